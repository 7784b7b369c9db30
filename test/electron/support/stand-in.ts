// Stand-ins for programs these machines cannot run or reach: the Electron runtime (it
// cannot be downloaded here) and the tools that build better-sqlite3 for it (they need
// the network). Each is a small Node script made executable that records how it was
// called (argv, cwd, the CRUDE_* and ELECTRON_* variables; nothing else of the
// environment, so nothing secret lands in the record) and then does what the test says.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { electronPackageDir } from '../../../scripts/electron-runtime.mjs';

export interface RecordedCall {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface StandIn {
  /** The folder to point ELECTRON_OVERRIDE_DIST_PATH at (for a stand-in Electron). */
  dir: string;
  /** The executable script. */
  file: string;
  calls(): RecordedCall[];
  remove(): void;
}

/** Stand-ins need a shebang line and an executable bit, which Windows does not honour. */
export const standInSkipReason: string | null =
  process.platform === 'win32' ? 'stand-in executables are Node scripts with a shebang line, which Windows cannot run directly' : null;
if (standInSkipReason) console.log(`Skipped: ${standInSkipReason}.`);

/**
 * Writes `<dir>/<name>`: records its call to a file, then runs `behaviour` (CommonJS code;
 * `fs`, `path` and `call` are in scope). Without behaviour it exits 0.
 */
export function createStandIn(name: string, behaviour = '', options: { dir?: string } = {}): StandIn {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'crude-stand-in-'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  const record = join(dir, `${name}.calls.jsonl`);
  const script = `#!${process.execPath}
'use strict';
const fs = require('fs');
const path = require('path');
const env = {};
for (const [k, v] of Object.entries(process.env)) if (/^(CRUDE_|ELECTRON_)/.test(k)) env[k] = v;
const call = { argv: process.argv.slice(2), cwd: process.cwd(), env };
fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify(call) + '\\n');
${behaviour}
`;
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return {
    dir,
    file,
    calls: () =>
      existsSync(record)
        ? readFileSync(record, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as RecordedCall)
        : [],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A stand-in Electron runtime: `<dir>/electron` plus the `version` file a real dist folder
 * carries, so findElectronRuntime() finds it through ELECTRON_OVERRIDE_DIST_PATH.
 */
export function createStandInElectron(version: string, behaviour = ''): StandIn {
  // The executable's place inside dist/ is what node_modules/electron/path.txt says
  // ("electron" on Linux, "Electron.app/Contents/MacOS/Electron" on macOS).
  const pathFile = join(electronPackageDir() ?? '', 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const dir = mkdtempSync(join(tmpdir(), 'crude-stand-in-electron-'));
  const standIn = createStandIn(basename(executable), behaviour, { dir: join(dir, dirname(executable)) });
  writeFileSync(join(dir, 'version'), `v${version}\n`);
  return { ...standIn, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
