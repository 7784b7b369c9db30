// `npm start` (scripts/start.mjs) with a stand-in Electron runtime that records how it is
// started: the real runtime cannot be downloaded here, so this is how the launch itself
// is checked on these machines.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { electronVersion } from '../../scripts/electron-runtime.mjs';
import { createCheckout, type Checkout } from './support/checkout';
import { createStandInElectron, standInSkipReason, type StandIn } from './support/stand-in';

const asRoot = process.getuid?.() === 0;

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

/** A checkout whose Electron build of better-sqlite3 is current for `version`, so start builds nothing. */
function checkoutWithBinding(version: string): Checkout {
  const checkout = createCheckout();
  cleanup.push(checkout.remove);
  const native = join(checkout.root, '.native', 'electron');
  mkdirSync(native, { recursive: true });
  writeFileSync(join(native, 'better_sqlite3.node'), 'stand-in binding');
  writeFileSync(join(native, 'electron-version.txt'), `${version}\n`);
  return checkout;
}

function start(checkout: Checkout, electron: StandIn, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: electron.dir, ELECTRON_RUN_AS_NODE: '1' };
  return spawnSync(process.execPath, [join(checkout.root, 'scripts', 'start.mjs'), ...args], { env, encoding: 'utf8', timeout: 60_000 });
}

describe.skipIf(standInSkipReason !== null)('npm start with an Electron runtime (stand-in)', () => {
  const version = electronVersion()!;

  it('starts Electron on the checkout, with --no-sandbox exactly when running as root', () => {
    const checkout = checkoutWithBinding(version);
    const electron = createStandInElectron(version);
    cleanup.push(electron.remove);
    const r = start(checkout, electron, ['--data-dir', '/tmp/crude-some-data']);
    expect(r.status, r.stderr).toBe(0);
    const calls = electron.calls();
    expect(calls).toHaveLength(1);
    const expected = [checkout.root, '--data-dir', '/tmp/crude-some-data'];
    // As root (CI containers, this machine) Chromium refuses to start without it.
    expect(calls[0]!.argv).toEqual(asRoot ? ['--no-sandbox', ...expected] : expected);
    expect(calls[0]!.env.ELECTRON_RUN_AS_NODE, 'ELECTRON_RUN_AS_NODE would run the app as plain Node').toBeUndefined();
    expect(r.stderr).not.toMatch(/browser mode/);
  });

  it("hands on the app's exit code", () => {
    const checkout = checkoutWithBinding(version);
    const electron = createStandInElectron(version, 'process.exit(3);');
    cleanup.push(electron.remove);
    expect(start(checkout, electron, []).status).toBe(3);
  });
});
