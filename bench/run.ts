// `npm run bench`: runs each benchmark and prints one table. Every row compares with a
// baseline measured in the same run, because absolute times on shared machines drift.
import { cpus, totalmem } from 'node:os';
import { resolveBench } from './resolve.bench';
import { rotateBench } from './rotate.bench';
import { hostBench } from './host.bench';
import { startBench } from './start.bench';
import { uiBench } from './ui.bench';
import { printTable, type Row } from './stats';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

const rows: Row[] = [];
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`);
if (want('resolve')) rows.push(...resolveBench());
if (want('rotate')) rows.push(...(await rotateBench()));
if (want('host')) rows.push(...(await hostBench()));
if (want('start')) rows.push(...(await startBench()));
if (want('ui')) rows.push(...(await uiBench()));
printTable(rows);
