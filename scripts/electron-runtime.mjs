// Finds the Electron runtime binary WITHOUT triggering a download: `require('electron')`
// would try to fetch it when missing, which hangs or fails offline.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The electron npm package folder, or null when not installed. */
export function electronPackageDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The installed electron package version (e.g. "45.5.0"), or null. */
export function electronVersion() {
  const dir = electronPackageDir();
  if (!dir) return null;
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version ?? null;
  } catch {
    return null;
  }
}

/** Absolute path of the Electron executable when it is present on disk, else null. */
export function findElectronRuntime(env = process.env) {
  const dir = electronPackageDir();
  if (!dir) return null;
  const pathFile = join(dir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
    return existsSync(p) ? p : null;
  }
  if (!executable) return null;
  const full = join(dir, 'dist', executable);
  return existsSync(full) ? full : null;
}
