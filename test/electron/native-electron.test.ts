// `npm run native:electron` (scripts/native-electron.mjs) builds better-sqlite3 for the
// Electron runtime it finds. Run here in a throwaway checkout against stand-ins: an
// Electron runtime whose dist/version differs from the npm package's (as with
// ELECTRON_OVERRIDE_DIST_PATH), and build tools (prebuild-install, node-gyp) that record
// the version they are asked to build for, since the real ones need the network.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { electronRuntimeVersion, electronVersion } from '../../scripts/electron-runtime.mjs';
import { createCheckout, type Checkout } from './support/checkout';
import { createStandIn, createStandInElectron, standInSkipReason, type StandIn } from './support/stand-in';

const packageVersion = electronVersion()!;
/** Another Electron than the npm package's. */
const runtimeVersion = `${Number(packageVersion.split('.')[0]) - 1}.2.3`;

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

interface Setup {
  checkout: Checkout;
  electron: StandIn;
  nodeGyp: StandIn;
}

function setup(): Setup {
  const checkout = createCheckout();
  const electron = createStandInElectron(runtimeVersion);
  // node-gyp "compiles": a file that is no Node addon, as an Electron build is not for Node.
  const nodeGyp = createStandIn(
    'node-gyp.js',
    `fs.mkdirSync('build/Release', { recursive: true }); fs.writeFileSync('build/Release/better_sqlite3.node', 'built by the stand-in');`,
  );
  cleanup.push(checkout.remove, electron.remove, nodeGyp.remove);
  return { checkout, electron, nodeGyp };
}

function nativeElectron(s: Setup) {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: s.electron.dir, npm_config_node_gyp: s.nodeGyp.file };
  return spawnSync(process.execPath, [join(s.checkout.root, 'scripts', 'native-electron.mjs')], { env, encoding: 'utf8', timeout: 60_000 });
}

const stampFile = (s: Setup) => join(s.checkout.root, '.native', 'electron', 'electron-version.txt');

describe.skipIf(standInSkipReason !== null)('npm run native:electron (stand-in runtime and build tools)', () => {
  it("reads the runtime's version from its dist/version file", () => {
    const electron = createStandInElectron(runtimeVersion);
    cleanup.push(electron.remove);
    expect(electronRuntimeVersion({ ELECTRON_OVERRIDE_DIST_PATH: electron.dir })).toBe(runtimeVersion);
    expect(electronRuntimeVersion({ ELECTRON_OVERRIDE_DIST_PATH: join(electron.dir, 'missing') })).toBeNull();
  });

  it('builds for the version of the runtime it found, not the npm package', () => {
    const s = setup();
    const r = nativeElectron(s);
    expect(r.status, r.stderr).toBe(0);
    expect(s.checkout.prebuildInstall.calls()[0]!.argv).toEqual(expect.arrayContaining(['--runtime', 'electron', '--target', runtimeVersion]));
    expect(s.nodeGyp.calls()[0]!.argv).toEqual(expect.arrayContaining(['rebuild', '--runtime=electron', `--target=${runtimeVersion}`]));
    expect(readFileSync(stampFile(s), 'utf8').trim()).toBe(runtimeVersion);
    expect(r.stderr).toContain(`Built better-sqlite3 for Electron ${runtimeVersion}`);
  });

  it("rebuilds a binding stamped with the package's version when the runtime is another: no loop", () => {
    // The state the shell's "run npm run native:electron" message left people in.
    const s = setup();
    mkdirSync(join(s.checkout.root, '.native', 'electron'), { recursive: true });
    writeFileSync(join(s.checkout.root, '.native', 'electron', 'better_sqlite3.node'), 'built for the package');
    writeFileSync(stampFile(s), `${packageVersion}\n`);
    const r = nativeElectron(s);
    expect(r.status, r.stderr).toBe(0);
    expect(s.nodeGyp.calls()).toHaveLength(1);
    expect(readFileSync(stampFile(s), 'utf8').trim()).toBe(runtimeVersion);
    // Once it matches the runtime, it is left alone.
    expect(nativeElectron(s).status).toBe(0);
    expect(s.nodeGyp.calls()).toHaveLength(1);
    expect(s.checkout.prebuildInstall.calls()).toHaveLength(1);
  });
});
