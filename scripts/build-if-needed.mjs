// Builds with electron-vite when out/ is missing or older than the sources. Build output
// goes to stderr so browser mode's stdout stays exactly one JSON line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');

/** What `npm run build` makes and `npm start` / `npm run serve` need (relative to root). */
export const OUTPUTS = ['out/main/index.js', 'out/main/serve.js', 'out/main/handler-runtime.js', 'out/main/rotation-worker.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const INPUTS = ['src', 'electron.vite.config.ts', 'package.json'];

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

export function isStale() {
  const outs = OUTPUTS.map((p) => join(root, p));
  if (outs.some((p) => !existsSync(p))) return true;
  const oldestOut = Math.min(...outs.map((p) => statSync(p).mtimeMs));
  const newestIn = Math.max(...INPUTS.map((p) => join(root, p)).filter(existsSync).map(newest));
  return newestIn > oldestOut;
}

export function buildIfNeeded({ force = false } = {}) {
  if (!force && !isStale()) return;
  process.stderr.write('Building the app (electron-vite build)…\n');
  const r = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-vite', 'build'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
    timeout: 10 * 60_000,
  });
  if (r.status !== 0) {
    process.stderr.write('The build failed; see its output above.\n');
    process.exit(1);
  }
}
