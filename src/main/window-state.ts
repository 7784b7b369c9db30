// Window size and position, remembered in <dataDir>/window-state.json. Plain Node.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWindowState, type WindowState } from './window-security';

export const WINDOW_STATE_FILE = 'window-state.json';

export function loadWindowState(dataDir: string): WindowState {
  try {
    return parseWindowState(JSON.parse(readFileSync(join(dataDir, WINDOW_STATE_FILE), 'utf8')));
  } catch {
    return parseWindowState(null);
  }
}

export function saveWindowState(dataDir: string, state: WindowState): void {
  const file = join(dataDir, WINDOW_STATE_FILE);
  try {
    writeFileSync(`${file}.tmp`, `${JSON.stringify(parseWindowState(state))}\n`, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch (err) {
    console.error(`Could not remember the window position: ${(err as Error).message}`);
  }
}
