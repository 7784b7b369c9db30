#!/usr/bin/env node
// `npm run dist [-- <electron-builder options>]`: the installable packages for the OS this
// runs on (electron-builder.yml: AppImage and deb on Linux, dmg on macOS, NSIS on Windows).
//  1. a fresh `electron-vite build`;
//  2. better-sqlite3 built for the Electron version electron-builder packages (the electron
//     npm package's) into .native/dist/, apart from node_modules (docs/native-modules.md);
//  3. electron-builder, which copies that binding and this OS's Deno binary into resources/.
// Steps 2 and 3 download (Electron's headers or a prebuilt binding; Electron itself and
// the packaging tools), so this works only on a connected machine.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfNeeded, root } from './build-if-needed.mjs';
import { electronVersion } from './electron-runtime.mjs';
import { buildElectronBinding, ELECTRON_BINDING, ELECTRON_BINDING_STAMP } from './native-electron.mjs';

/** Where the packaged Electron's better-sqlite3 is built; electron-builder.yml copies it from here. */
export const DIST_BINDING_DIR = join(root, '.native', 'dist');

const require = createRequire(import.meta.url);

/** The npm package that carries Deno for this OS (as src/main/core/host/runtime/deno/deno-binary.ts names it). */
function denoPackage() {
  return process.platform === 'linux' ? `@deno/linux-${process.arch}-glibc` : `@deno/${process.platform}-${process.arch}`;
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function denoBinaryPresent() {
  try {
    const dir = dirname(require.resolve(`${denoPackage()}/package.json`));
    return existsSync(join(dir, process.platform === 'win32' ? 'deno.exe' : 'deno'));
  } catch {
    return false;
  }
}

/** The binding for `version`: npm start's copy when it was built for the same Electron, else a build. */
function distBinding(version) {
  const stamp = join(DIST_BINDING_DIR, 'electron-version.txt');
  if (existsSync(ELECTRON_BINDING) && existsSync(ELECTRON_BINDING_STAMP) && readFileSync(ELECTRON_BINDING_STAMP, 'utf8').trim() === version) {
    mkdirSync(DIST_BINDING_DIR, { recursive: true });
    copyFileSync(ELECTRON_BINDING, join(DIST_BINDING_DIR, 'better_sqlite3.node'));
    writeFileSync(stamp, `${version}\n`);
    return join(DIST_BINDING_DIR, 'better_sqlite3.node');
  }
  return buildElectronBinding({ version, dir: DIST_BINDING_DIR });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const version = electronVersion();
  if (!version) fail('The electron npm package is not installed; run `npm ci` first.');
  if (!denoBinaryPresent()) fail(`Deno for this OS (${denoPackage()}) is not in node_modules; run \`npm ci\` on the OS you package for.`);
  buildIfNeeded({ force: true });
  if (!distBinding(version)) {
    fail(`better-sqlite3 could not be built for Electron ${version} (see above); the packages need it. This step needs the network.`);
  }
  const cli = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
  const r = spawnSync(process.execPath, [cli, '--publish', 'never', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    fail('electron-builder failed (see above). It downloads Electron and its packaging tools, so `npm run dist` needs a connected machine.');
  }
  process.stderr.write(`The packages are in ${join(root, 'dist')}.\n`);
}
