// Child process for the crash tests of switching key protection: opens a data directory
// with the stand-in keychain, switches protection, and stops dead at the chosen point of
// the key file's write ("temp-written": the new form is in its temp file, fsynced, not yet
// renamed; "renamed": the new form is in place) — announced on stdout, so the parent can
// SIGKILL it exactly there.
import { writeSync } from 'node:fs';
import { dataPaths, openCore, prepareKeys } from '../../src/main/core';
import { standInProtector } from './stand-in-protector';

const [dataDir, target, killAt] = process.argv.slice(2) as [string, 'file' | 'keychain', string];

function point(name: string): void {
  if (name !== killAt) return;
  writeSync(1, `at ${name}\n`);
  // Wait here (synchronously, as a crash would find it) until killed.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}

const protector = standInProtector();
const keys = await prepareKeys(dataPaths(dataDir).keyFile, protector);
const core = openCore({
  dataDir,
  keys,
  protector,
  keyFileHooks: { afterTempWritten: () => point('temp-written'), afterRenamed: () => point('renamed') },
});
await core.keyProtection.set(target);
core.close();
writeSync(1, 'done\n');
