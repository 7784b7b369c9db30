#!/usr/bin/env node
// Builds a copy of better-sqlite3 for Electron's ABI into .native/electron/better_sqlite3.node,
// for the Electron runtime that `npm start` launches (its dist/version, which is what
// process.versions.electron says in the app). node_modules keeps Node's build (tests,
// browser mode); the Electron shell passes this copy to better-sqlite3 as `nativeBinding`.
// See docs/native-modules.md.
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { electronRuntimeVersion, findElectronRuntime } from './electron-runtime.mjs';
import { root } from './build-if-needed.mjs';

export const ELECTRON_BINDING_DIR = join(root, '.native', 'electron');
export const ELECTRON_BINDING = join(ELECTRON_BINDING_DIR, 'better_sqlite3.node');
/** Records which Electron version the binding was built for; the shell checks it too. */
export const ELECTRON_BINDING_STAMP = join(ELECTRON_BINDING_DIR, 'electron-version.txt');

const require = createRequire(import.meta.url);

function bindingIsCurrent(binding, stamp, version) {
  if (!existsSync(binding) || !existsSync(stamp)) return false;
  return readFileSync(stamp, 'utf8').trim() === version;
}

/** npm's own node-gyp (npm sets npm_config_node_gyp for scripts), else one that is installed. */
function nodeGypScript() {
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath) candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed as a package
  }
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

/**
 * The environment for the build tools without npm's header and target settings: an npm
 * config with `nodedir` (set on some machines) makes node-gyp compile against Node's own
 * headers, which yields a binary Electron cannot load.
 */
function buildEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|target_arch|build_from_source)$/i.test(k)) delete env[k];
  }
  return env;
}

/** An Electron build never loads in plain Node (different ABI); one that does is Node's. */
function loadsInNode(file) {
  const r = spawnSync(process.execPath, ['-e', 'process.dlopen({ exports: {} }, process.argv[1])', file], { stdio: 'ignore' });
  return r.status === 0;
}

function prebuildInstallScript() {
  try {
    return require.resolve('prebuild-install/bin.js');
  } catch {
    return null;
  }
}

/**
 * Builds better-sqlite3 for Electron `version` (default: the runtime findElectronRuntime()
 * finds) into `dir`/better_sqlite3.node with `dir`/electron-version.txt, unless that stamp
 * already names the version. Returns the binding's path, or null when it could not be built.
 */
export function buildElectronBinding({ force = false, version, dir = ELECTRON_BINDING_DIR } = {}) {
  version ??= electronRuntimeVersion();
  if (!version) {
    process.stderr.write('The Electron runtime is not installed; no Electron build of better-sqlite3 is needed.\n');
    return null;
  }
  const binding = join(dir, 'better_sqlite3.node');
  const stamp = join(dir, 'electron-version.txt');
  if (!force && bindingIsCurrent(binding, stamp, version)) return binding;
  const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
  const work = mkdtempSync(join(tmpdir(), 'crude-native-'));
  const copy = join(work, 'better-sqlite3');
  try {
    // The copy leaves node_modules/better-sqlite3 (Node's build) untouched.
    cpSync(pkgDir, copy, { recursive: true, filter: (src) => !src.startsWith(join(pkgDir, 'build')) });
    const opts = { cwd: copy, env: buildEnv(), stdio: ['ignore', process.stderr, process.stderr], timeout: 10 * 60_000 };
    // A prebuilt binary for Electron first; compile against Electron's headers otherwise.
    let r = { status: 1 };
    const prebuild = prebuildInstallScript();
    if (prebuild) {
      r = spawnSync(process.execPath, [prebuild, '--runtime', 'electron', '--target', version, '--arch', process.arch], opts);
    }
    if (r.status !== 0) {
      const gyp = nodeGypScript();
      if (gyp) {
        r = spawnSync(
          process.execPath,
          [gyp, 'rebuild', '--release', '--runtime=electron', `--target=${version}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'],
          opts,
        );
      } else {
        process.stderr.write('node-gyp was not found (it ships with npm); cannot compile better-sqlite3 for Electron.\n');
      }
    }
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (r.status !== 0 || !existsSync(built)) {
      process.stderr.write(`Could not build better-sqlite3 for Electron ${version} (see above). See docs/native-modules.md.\n`);
      return null;
    }
    if (loadsInNode(built)) {
      process.stderr.write(`The build of better-sqlite3 came out for Node's ABI, not Electron ${version}'s; not using it. See docs/native-modules.md.\n`);
      return null;
    }
    mkdirSync(dir, { recursive: true });
    copyFileSync(built, binding);
    writeFileSync(stamp, `${version}\n`);
    process.stderr.write(`Built better-sqlite3 for Electron ${version}: ${binding}\n`);
    return binding;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ok = buildElectronBinding({ force: process.argv.includes('--force') });
  process.exit(ok || !findElectronRuntime() ? 0 : 1);
}
