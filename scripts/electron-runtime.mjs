// Finds the Electron runtime binary WITHOUT triggering a download: `require('electron')`
// would try to fetch it when missing, which hangs or fails offline. Also how to launch it
// (the Chromium switches it needs here) and which version it is.
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

/** The folder the runtime lives in: $ELECTRON_OVERRIDE_DIST_PATH, else the package's dist/. */
function distDir(env) {
  if (env.ELECTRON_OVERRIDE_DIST_PATH) return env.ELECTRON_OVERRIDE_DIST_PATH;
  const dir = electronPackageDir();
  return dir ? join(dir, 'dist') : null;
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

/**
 * The version of the runtime findElectronRuntime() finds, from the `version` file of
 * Electron's dist folder ("45.5.0" or "v45.5.0"): what `process.versions.electron` will say
 * in the app. It differs from the npm package's version when ELECTRON_OVERRIDE_DIST_PATH
 * names another build. Without that file, the package's version; null without a runtime.
 */
export function electronRuntimeVersion(env = process.env) {
  if (!findElectronRuntime(env)) return null;
  try {
    const v = readFileSync(join(distDir(env), 'version'), 'utf8').trim().replace(/^v/, '');
    if (v) return v;
  } catch {
    // no version file: the package's version below
  }
  return electronVersion();
}

/** Whether this process runs as root (uid 0), where Chromium refuses its sandbox. */
export function runningAsRoot() {
  return process.getuid?.() === 0;
}

/**
 * The argv and environment to start the Electron app with. As root (CI containers, many
 * Linux dev boxes) Chromium will not start without --no-sandbox; the app's renderer keeps
 * its own isolation (contextIsolation, sandboxed preload, no Node). ELECTRON_RUN_AS_NODE,
 * when inherited, would run the app as plain Node.
 */
export function electronLaunch(appArgs, { env = process.env, asRoot = runningAsRoot() } = {}) {
  const childEnv = { ...env };
  delete childEnv.ELECTRON_RUN_AS_NODE;
  return { args: [...(asRoot ? ['--no-sandbox'] : []), ...appArgs], env: childEnv };
}
