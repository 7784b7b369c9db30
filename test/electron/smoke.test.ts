// Launches the real Electron app when its runtime is installed; otherwise skips and says why.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronRuntime } from '../../scripts/electron-runtime.mjs';
import { buildIfNeeded, root } from '../../scripts/build-if-needed.mjs';
import { buildElectronBinding } from '../../scripts/native-electron.mjs';

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
        const env: NodeJS.ProcessEnv = { ...process.env, CRUDE_SMOKE_TEST: '1' };
        delete env.ELECTRON_RUN_AS_NODE;
        const child = spawn(runtime!, [root, '--data-dir', dataDir], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        const code = await new Promise<number | null>((ok) => {
          const t = setTimeout(() => child.kill('SIGKILL'), 60_000);
          child.on('exit', (c) => {
            clearTimeout(t);
            ok(c);
          });
        });
        const line = out.split('\n').find((l) => l.startsWith('CRUDE_SMOKE '));
        expect(line, out).toBeTruthy();
        const r = JSON.parse(line!.slice('CRUDE_SMOKE '.length));
        expect(r).toMatchObject({ ok: true, crude: 'object', require: 'undefined', process: 'undefined' });
        expect(r.groups).toContain('management');
        expect(code).toBe(0);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
