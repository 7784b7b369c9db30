import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { CoreError } from '../errors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One writer per data directory: a lock file holding the owner's pid. A second instance is
 * refused with a clear message; a lock left by a dead process is taken over.
 */
const heldHere = new Set<string>();

function lockedMessage(dataDir: string, pid: number): CoreError {
  return new CoreError(
    'LOCKED',
    `The data directory ${dataDir} is already open in another Crude Functions Desktop instance (pid ${pid}). Close it first, or choose another folder with --data-dir.`,
  );
}

export function acquireLock(file: string, dataDir: string): () => void {
  if (heldHere.has(file)) throw lockedMessage(dataDir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(file);
      return () => {
        heldHere.delete(file);
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
        throw lockedMessage(dataDir, owner);
      }
      rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new CoreError('LOCKED', `Could not lock the data directory ${dataDir}.`);
}
