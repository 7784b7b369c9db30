// Launches the real Electron app when its runtime is installed; otherwise skips and says why.
// How it launches (argv, environment, what it collects) is tested against a stand-in
// runtime in launch-app.test.ts, which runs everywhere.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronRuntime } from '../../scripts/electron-runtime.mjs';
import { buildIfNeeded, root } from '../../scripts/build-if-needed.mjs';
import { buildElectronBinding } from '../../scripts/native-electron.mjs';
import { describeRun, launchApp } from './support/launch-app';

const runtime = findElectronRuntime();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason = !runtime
  ? "Electron smoke test skipped: Electron's runtime binary is not installed (node_modules/electron/dist is missing and cannot be downloaded here)."
  : noDisplay
    ? 'Electron smoke test skipped: no DISPLAY (run it under xvfb-run).'
    : null;
if (skipReason) console.log(skipReason);

describe('Electron app', () => {
  it.skipIf(skipReason !== null)(
    'opens a sandboxed window whose window.crude answers',
    async () => {
      buildIfNeeded();
      const binding = buildElectronBinding();
      expect(binding, 'better-sqlite3 for Electron could not be built').toBeTruthy();
      const dataDir = mkdtempSync(join(tmpdir(), 'crude-electron-'));
      try {
        const run = await launchApp({
          runtime: runtime!,
          appDir: root,
          args: ['--data-dir', dataDir],
          env: { ...process.env, CRUDE_SMOKE_TEST: '1' },
        });
        const line = run.stdout.split('\n').find((l) => l.startsWith('CRUDE_SMOKE '));
        // A store failure, a rejected binding…: the shell says why on stderr, shown here.
        expect(line, describeRun(run)).toBeTruthy();
        const r = JSON.parse(line!.slice('CRUDE_SMOKE '.length));
        expect(r).toMatchObject({ ok: true, crude: 'object', require: 'undefined', process: 'undefined' });
        expect(r.groups).toContain('management');
        expect(run.code, describeRun(run)).toBe(0);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
