// The smoke test's launcher (support/launch-app.ts) against a stand-in Electron runtime
// that records how it was started: the real runtime cannot be downloaded here.
import { afterEach, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { describeRun, launchApp } from './support/launch-app';
import { createStandInElectron, standInSkipReason } from './support/stand-in';

const asRoot = process.getuid?.() === 0;
// Any existing folder: the stand-in does not load the app.
const appDir = tmpdir();
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

function standIn(behaviour = '') {
  const electron = createStandInElectron('45.0.0', behaviour);
  cleanup.push(electron.remove);
  return electron;
}

describe.skipIf(standInSkipReason !== null)('the smoke test launcher (stand-in Electron)', () => {
  it('starts the app with --no-sandbox exactly when running as root, without ELECTRON_RUN_AS_NODE', async () => {
    const electron = standIn();
    const run = await launchApp({
      runtime: electron.file,
      appDir,
      args: ['--data-dir', '/tmp/d'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', CRUDE_SMOKE_TEST: '1' },
    });
    expect(run).toMatchObject({ code: 0, timedOut: false });
    const [call] = electron.calls();
    const expected = [appDir, '--data-dir', '/tmp/d'];
    expect(call!.argv).toEqual(asRoot ? ['--no-sandbox', ...expected] : expected);
    expect(call!.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
    expect(call!.env.CRUDE_SMOKE_TEST).toBe('1');
    // The shell must not wait on a modal error box under a test.
    expect(call!.env.CRUDE_UNDER_TEST).toBe('1');
  });

  it("collects the app's stdout and stderr", async () => {
    const electron = standIn(`process.stdout.write('CRUDE_SMOKE {"ok":true}\\n'); process.stderr.write('a warning\\n');`);
    const run = await launchApp({ runtime: electron.file, appDir });
    expect(run.stdout).toContain('CRUDE_SMOKE {"ok":true}');
    expect(run.stderr).toBe('a warning\n');
  });

  it("a failed start shows the app's stderr: why it could not start", async () => {
    const electron = standIn(`process.stderr.write('Could not open /data/database.db: SQLITE_CANTOPEN: unable to open database file\\n'); process.exit(1);`);
    const run = await launchApp({ runtime: electron.file, appDir });
    expect(run.code).toBe(1);
    const shown = describeRun(run);
    expect(shown).toContain('The app exited with code 1.');
    expect(shown).toContain('Could not open /data/database.db: SQLITE_CANTOPEN');
  });

  it('an app that never exits is killed, and what it wrote on stderr is shown', async () => {
    // As the shell did when it sat on a modal error box: alive, silent on stdout.
    const electron = standIn(`process.stderr.write('better-sqlite3 is not built for this Electron version.\\n'); setInterval(() => {}, 1000);`);
    const run = await launchApp({ runtime: electron.file, appDir, timeoutMs: 1500 });
    expect(run.timedOut).toBe(true);
    const shown = describeRun(run, 1500);
    expect(shown).toContain('did not exit within 1.5 s and was killed');
    expect(shown).toContain('better-sqlite3 is not built for this Electron version.');
  });
});
