// End-to-end tests: the real renderer in Debian's Chromium against browser mode
// (`node out/main/serve.js`) with a fresh data directory (project "browser", see
// e2e/global-setup.ts), and the same specs against the Electron app (project "electron")
// where Electron's runtime is installed. Where it is not, that project is left out and
// the reason printed.
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import type { AppMode } from './e2e/fixtures';
import { electronSkipReason } from './e2e/electron-target';

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('No Chromium found for the e2e tests: run `apt-get install -y chromium` (or set CHROMIUM_PATH).');
  return found;
}

// The config is loaded by the runner and by each worker; say it once.
if (electronSkipReason && !process.env.E2E_ELECTRON_REASON_SHOWN) {
  process.env.E2E_ELECTRON_REASON_SHOWN = '1';
  console.log(electronSkipReason);
}

export default defineConfig<{ appMode: AppMode }>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  // One browser-mode server is shared; specs use their own names, but run them in turn.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: 'test-results',
  use: {
    viewport: { width: 1440, height: 900 },
    actionTimeout: 15_000,
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    permissions: ['clipboard-read', 'clipboard-write'],
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    { name: 'browser', use: { appMode: 'browser' } },
    ...(electronSkipReason ? [] : [{ name: 'electron', use: { appMode: 'electron' as const } }]),
  ],
});
