import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DataPaths } from '../core-api';

/**
 * Replacing an installation with a backup never deletes the one it replaces: its files
 * are moved, by rename (same folder, so atomic per file), into `replaced-<time>/` inside
 * the data folder, and moved back if the restored installation does not open.
 */
function installationFiles(paths: DataPaths): string[] {
  return [paths.databaseFile, `${paths.databaseFile}-wal`, `${paths.databaseFile}-shm`, paths.keyFile, paths.codeDir];
}

/** Moves the closed installation's files aside; returns the folder they are in now. */
export function moveInstallationAside(paths: DataPaths, now = new Date()): string {
  const aside = join(paths.dataDir, `replaced-${now.toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(aside, { mode: 0o700 });
  const moved: string[] = [];
  try {
    for (const file of installationFiles(paths)) {
      if (!existsSync(file)) continue;
      renameSync(file, join(aside, basename(file)));
      moved.push(file);
    }
  } catch (err) {
    for (const file of moved) renameSync(join(aside, basename(file)), file);
    rmdirSync(aside);
    throw err;
  }
  return aside;
}

/** Undoes moveInstallationAside: whatever stands in the installation's place must be gone first. */
export function putInstallationBack(paths: DataPaths, aside: string): void {
  for (const file of installationFiles(paths)) {
    const from = join(aside, basename(file));
    if (existsSync(from)) renameSync(from, file);
  }
  if (readdirSync(aside).length === 0) rmdirSync(aside);
}

/** Removes a just-written restored installation that failed to open (the backup file still holds it). */
export function removeRestoredInstallation(paths: DataPaths): void {
  for (const file of installationFiles(paths)) rmSync(file, { recursive: true, force: true });
}
