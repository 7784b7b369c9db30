// Builds the app when the sources are newer than out/, starts browser mode on a fresh
// temporary data directory with ephemeral ports, and hands its JSON line to the specs
// through the environment (workers inherit it). Returns the teardown.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '..');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function buildIfNeeded(): void {
  const outs = ['out/main/serve.js', 'out/renderer/index.html'].map((p) => join(root, p));
  const stale = outs.some((p) => !existsSync(p)) || newest(join(root, 'src')) > Math.min(...outs.map((p) => statSync(p).mtimeMs));
  if ((!stale && !process.env.E2E_FORCE_BUILD) || process.env.E2E_SKIP_BUILD) return;
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('`npx electron-vite build` failed; see its output above.');
}

export interface ServeInfo {
  adminUrl: string;
  token: string;
  functionsUrl: string;
  dataDir: string;
}

function start(dataDir: string): Promise<{ child: ChildProcess; info: ServeInfo }> {
  // E2E_SERVE_SCRIPT: run the specs against another build of browser mode.
  const script = process.env.E2E_SERVE_SCRIPT ?? 'out/main/serve.js';
  const child = spawn(process.execPath, [script, '--data-dir', dataDir, '--port', '0', '--host-port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CRUDE_DATA_DIR: dataDir },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (process.env.E2E_SERVER_LOG) process.stderr.write(d);
  });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill();
      fail(new Error(`browser mode printed no JSON line within 60 s.\n${stderr}`));
    }, 60_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const t = line.trim();
      if (!t.startsWith('{')) return;
      try {
        const info = JSON.parse(t) as ServeInfo;
        if (!info.adminUrl || !info.token) return;
        clearTimeout(timer);
        ok({ child, info });
      } catch {
        // not our line
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`browser mode exited with code ${code} before it was ready.\n${stderr}`));
    });
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  buildIfNeeded();
  const dataDir = mkdtempSync(join(tmpdir(), 'crude-e2e-'));
  const { child, info } = await start(dataDir);
  process.env.E2E_ADMIN_URL = info.adminUrl;
  process.env.E2E_TOKEN = info.token;
  process.env.E2E_FUNCTIONS_URL = info.functionsUrl;
  process.env.E2E_DATA_DIR = info.dataDir ?? dataDir;
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => {
      if (child.exitCode !== null) return r(null);
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        r(null);
      }, 5000);
      child.on('exit', () => {
        clearTimeout(t);
        r(null);
      });
    });
    if (!process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  };
}
