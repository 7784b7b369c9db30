// Where an installation keeps its data. Pure, so browser mode (no Electron) and tests
// compute exactly the folder Electron's app.getPath('userData') would give.
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

/** Electron names the userData folder after package.json's `name` (no productName is set). */
export const APP_FOLDER_NAME = 'crude-functions-desktop';

export interface PlatformInfo {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
}

/** The per-user application data folder, as Electron computes it for this app. */
export function defaultUserDataDir({ platform, env, homedir }: PlatformInfo): string {
  if (platform === 'win32') {
    const appData = env.APPDATA || join(homedir, 'AppData', 'Roaming');
    return join(appData, APP_FOLDER_NAME);
  }
  if (platform === 'darwin') return join(homedir, 'Library', 'Application Support', APP_FOLDER_NAME);
  const config = env.XDG_CONFIG_HOME || join(homedir, '.config');
  return join(config, APP_FOLDER_NAME);
}

export interface DataDirSources {
  /** From `--data-dir`. */
  flag?: string;
  env: Record<string, string | undefined>;
  /** The per-user default: app.getPath('userData') in Electron, defaultUserDataDir() otherwise. */
  userDataDir: () => string;
  cwd?: string;
}

/** `--data-dir`, else CRUDE_DATA_DIR, else the per-user app data folder; always absolute. */
export function resolveDataDir({ flag, env, userDataDir, cwd = process.cwd() }: DataDirSources): string {
  if (flag) return resolve(cwd, flag);
  if (env.CRUDE_DATA_DIR) return resolve(cwd, env.CRUDE_DATA_DIR);
  return resolve(userDataDir());
}

/**
 * Chromium's profile folder for this instance. One instance runs per data directory: the
 * default data directory uses Electron's own folder; any other one (`--data-dir`,
 * CRUDE_DATA_DIR) gets a folder of its own below it, so its single-instance lock does not
 * collide with another installation's (or the e2e suite's).
 */
export function instanceProfileDir(defaultUserData: string, dataDir: string, chosen: boolean): string {
  if (!chosen) return defaultUserData;
  return join(defaultUserData, 'instances', createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16));
}
