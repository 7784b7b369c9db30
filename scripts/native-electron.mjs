#!/usr/bin/env node
// Builds a copy of better-sqlite3 for Electron's ABI into .native/electron/better_sqlite3.node.
// node_modules keeps Node's build (tests, browser mode); the Electron shell passes this copy
// to better-sqlite3 as `nativeBinding`. See docs/native-modules.md.
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { electronVersion, findElectronRuntime } from './electron-runtime.mjs';
import { root } from './build-if-needed.mjs';

export const ELECTRON_BINDING = join(root, '.native', 'electron', 'better_sqlite3.node');

export function buildElectronBinding({ force = false } = {}) {
  if (!force && existsSync(ELECTRON_BINDING)) return ELECTRON_BINDING;
  const version = electronVersion();
  if (!version || !findElectronRuntime()) {
    process.stderr.write('The Electron runtime is not installed; no Electron build of better-sqlite3 is needed.\n');
    return null;
  }
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
  const work = mkdtempSync(join(tmpdir(), 'crude-native-'));
  const copy = join(work, 'better-sqlite3');
  try {
    cpSync(pkgDir, copy, { recursive: true, filter: (src) => !src.includes(`${join(pkgDir, 'build')}`) });
    const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
    const opts = { cwd: copy, stdio: ['ignore', process.stderr, process.stderr], timeout: 10 * 60_000 };
    // A prebuilt binary for Electron first; compile against Electron's headers otherwise.
    let r = spawnSync(npx, ['--no-install', 'prebuild-install', '--runtime', 'electron', '--target', version, '--arch', process.arch], opts);
    if (r.status !== 0) {
      r = spawnSync(
        npx,
        ['--no-install', 'node-gyp', 'rebuild', '--release', `--target=${version}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'],
        opts,
      );
    }
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (r.status !== 0 || !existsSync(built)) {
      process.stderr.write('Could not build better-sqlite3 for Electron (see above). See docs/native-modules.md.\n');
      return null;
    }
    mkdirSync(dirname(ELECTRON_BINDING), { recursive: true });
    copyFileSync(built, ELECTRON_BINDING);
    process.stderr.write(`Built better-sqlite3 for Electron ${version}: ${ELECTRON_BINDING}\n`);
    return ELECTRON_BINDING;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ok = buildElectronBinding({ force: process.argv.includes('--force') });
  process.exit(ok || !findElectronRuntime() ? 0 : 1);
}
