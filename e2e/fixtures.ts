// The `test` every spec uses. Its `appPage` fixture is the app's window: a Chromium tab on
// browser mode (project "browser"), or the real Electron window (project "electron", run
// where Electron's runtime is installed). Specs are written once against it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { buildElectronBinding } from '../scripts/native-electron.mjs';
import { root } from '../scripts/build-if-needed.mjs';
import { electronRuntime } from './electron-target';
import { useTarget } from './helpers';

export type AppMode = 'browser' | 'electron';

interface WorkerFixtures {
  appMode: AppMode;
  electronApp: ElectronApplication | null;
}

export const test = base.extend<{ appPage: Page }, WorkerFixtures>({
  appMode: ['browser', { scope: 'worker', option: true }],

  // One Electron app per worker on a fresh data directory, like the one browser-mode server.
  electronApp: [
    async ({ appMode }, use) => {
      if (appMode !== 'electron') return use(null);
      if (!buildElectronBinding()) throw new Error('better-sqlite3 could not be built for Electron; see docs/native-modules.md.');
      const dataDir = mkdtempSync(join(tmpdir(), 'crude-e2e-electron-'));
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
      // A failure to start is reported on stderr, not in a modal box nobody will close.
      env.CRUDE_UNDER_TEST = '1';
      const app = await _electron.launch({
        executablePath: electronRuntime!,
        // Chromium refuses its sandbox as root (containers); the app's own sandboxing is per window.
        args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), root, '--data-dir', dataDir, '--host-port', '0'],
        cwd: root,
        env,
      });
      try {
        await use(app);
      } finally {
        await app.close();
        if (!process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker' },
  ],

  appPage: async ({ appMode, electronApp, page }, use) => {
    if (appMode === 'electron') {
      const win = await electronApp!.firstWindow();
      // Specs seed data through window.crude before they open a screen: wait for the preload.
      await win.waitForFunction(() => 'crude' in window);
      useTarget({ mode: 'electron', page: win });
      await use(win);
      return;
    }
    useTarget({ mode: 'browser' });
    await use(page);
  },
});

export { expect } from '@playwright/test';
