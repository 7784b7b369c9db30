import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { CliError, parseCliArgs } from '../../src/main/cli-args';
import { APP_FOLDER_NAME, defaultUserDataDir, instanceProfileDir, resolveDataDir } from '../../src/main/data-dir';

describe('cli args', () => {
  it('reads --data-dir, --port and --host-port in both spellings, ignoring Electron switches', () => {
    expect(parseCliArgs(['--data-dir', '/d', '--port', '0', '--host-port=8001', '--inspect', '--no-sandbox'])).toEqual({
      dataDir: '/d',
      port: 0,
      hostPort: 8001,
    });
    expect(parseCliArgs([])).toEqual({});
    expect(parseCliArgs(['--restore=/b/x.cfbackup'])).toEqual({ restore: '/b/x.cfbackup' });
  });
  it('refuses bad values with a clear message', () => {
    expect(() => parseCliArgs(['--port', 'abc'])).toThrow(CliError);
    expect(() => parseCliArgs(['--port', '70000'])).toThrow(/0 to 65535/);
    expect(() => parseCliArgs(['--data-dir'])).toThrow(/folder/);
    expect(() => parseCliArgs(['--data-dir', '--port'])).toThrow(CliError);
    expect(() => parseCliArgs(['--restore'])).toThrow(/\.cfbackup file/);
  });
});

describe('data dir', () => {
  const userDataDir = () => '/home/u/.config/crude-functions-desktop';
  it('--data-dir wins, then CRUDE_DATA_DIR, then the per-user folder', () => {
    expect(resolveDataDir({ flag: 'rel', env: { CRUDE_DATA_DIR: '/env' }, userDataDir, cwd: '/cwd' })).toBe(resolve('/cwd', 'rel'));
    expect(resolveDataDir({ env: { CRUDE_DATA_DIR: '/env' }, userDataDir })).toBe(resolve('/env'));
    expect(resolveDataDir({ env: {}, userDataDir })).toBe(resolve(userDataDir()));
  });
  it('computes the folder Electron would use', () => {
    expect(defaultUserDataDir({ platform: 'linux', env: {}, homedir: '/home/u' })).toBe(join('/home/u/.config', APP_FOLDER_NAME));
    expect(defaultUserDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/x' }, homedir: '/home/u' })).toBe(join('/x', APP_FOLDER_NAME));
    expect(defaultUserDataDir({ platform: 'darwin', env: {}, homedir: '/Users/u' })).toBe(
      join('/Users/u/Library/Application Support', APP_FOLDER_NAME),
    );
    expect(defaultUserDataDir({ platform: 'win32', env: { APPDATA: 'C:\\AppData' }, homedir: 'C:\\u' })).toContain(APP_FOLDER_NAME);
  });
  it('one Chromium profile (and single-instance lock) per chosen data directory', () => {
    const base = userDataDir();
    expect(instanceProfileDir(base, base, false)).toBe(base);
    const a = instanceProfileDir(base, '/data/a', true);
    const b = instanceProfileDir(base, '/data/b', true);
    expect(a.startsWith(join(base, 'instances'))).toBe(true);
    expect(a).not.toBe(b);
    expect(instanceProfileDir(base, '/data/a/../a', true)).toBe(a); // the same folder, spelled differently
  });
});
