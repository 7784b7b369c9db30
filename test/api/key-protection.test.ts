// Key protection through the services both shells run and the contract's operations:
// keyProtection.status / keyProtection.set / recoveryKit.create, browser mode's refusal
// of a keychain-wrapped data folder, --restore-keys, and a backup restore that keeps the
// protection in force.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/main/cli-args';
import { dataPaths } from '../../src/main/core';
import { restoreKeysFromFlag } from '../../src/main/restore-flag';
import { startServices, type Services } from '../../src/main/services';
import { standInProtector } from '../support/stand-in-protector';
import { tempDir } from '../support/temp-core';

const PASSPHRASE = 'correct horse battery staple';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
const newDir = () => {
  const d = tempDir();
  cleanups.push(d.cleanup);
  return d.dir;
};

async function start(dir: string, mode: 'electron' | 'browser'): Promise<Services> {
  const services = await startServices({ dataDir: dir, mode, hostPort: 0, ...(mode === 'electron' ? { protector: standInProtector() } : {}) });
  cleanups.push(() => services.stop());
  return services;
}

const call = async (s: Services, op: string, input: unknown = {}) => {
  const r = await s.dispatch(op, input, { via: 'window' });
  if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
  return r.data as any;
};

describe('key protection in the desktop app and in browser mode', () => {
  it('the desktop app wraps a new installation; browser mode then refuses the folder with why and what to do', async () => {
    const dir = newDir();
    const app = await start(dir, 'electron');
    expect(await call(app, 'keyProtection.status')).toMatchObject({ protection: 'keychain', backend: 'stand-in', recoveryKitDue: true, keyFile: dataPaths(dir).keyFile });
    await app.stop();
    const before = readFileSync(dataPaths(dir).keyFile, 'utf8');

    const refused = await startServices({ dataDir: dir, mode: 'browser', hostPort: 0 }).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(refused).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect(refused!.message).toMatch(/browser mode runs without Electron and has no access to the OS keychain/);
    expect(refused!.message).toMatch(/switch key protection off in Settings → Encryption/);
    expect(refused!.message).toMatch(/--restore-keys FILE/);
    expect(readFileSync(dataPaths(dir).keyFile, 'utf8')).toBe(before);

    // Switched off in the desktop app, browser mode opens it.
    const again = await start(dir, 'electron');
    expect(await call(again, 'keyProtection.set', { protection: 'file' })).toMatchObject({ protection: 'file', fileOnlyReason: 'Protection by the OS keychain is switched off.' });
    await again.stop();
    const browser = await start(dir, 'browser');
    expect(await call(browser, 'keyProtection.status')).toMatchObject({
      protection: 'file',
      keychain: { available: false },
      fileOnlyReason: 'Browser mode runs without Electron and has no access to the OS keychain.',
    });
    const r = await browser.dispatch('keyProtection.set', { protection: 'keychain' });
    expect(r).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } });
  });

  it('validates input at the boundary: the protection named, the passphrase long enough', async () => {
    const app = await start(newDir(), 'electron');
    expect(await app.dispatch('keyProtection.set', { protection: 'vault' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'protection' } });
    expect(await app.dispatch('keyProtection.set', { protection: 'file', extra: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await app.dispatch('recoveryKit.create', { passphrase: 'short' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'passphrase' } });
    const kit = await call(app, 'recoveryKit.create', { passphrase: PASSPHRASE });
    expect(kit.fileName).toMatch(/\.cfkeys$/);
    expect(await call(app, 'keyProtection.status')).toMatchObject({ recoveryKitDue: false, recoveryKitCurrent: true });
    const audit = await call(app, 'audit.list', { action: 'recovery-kit.created' });
    expect(audit.entries[0]).toMatchObject({ actor: 'desktop window' });
  });

  it('restoring a backup in a keychain-protected app keeps the keys keychain-wrapped', async () => {
    const dir = newDir();
    const app = await start(dir, 'electron');
    const s = await call(app, 'secrets.create', { name: 'TOKEN', value: 'CANARY-restore-wrapped', scope: 'global' });
    const backup = await call(app, 'backup.create', { passphrase: PASSPHRASE });
    await call(app, 'backup.restore', { content: backup.content, passphrase: PASSPHRASE });
    expect(await call(app, 'keyProtection.status')).toMatchObject({ protection: 'keychain' });
    expect(JSON.parse(readFileSync(dataPaths(dir).keyFile, 'utf8')).protection).toBe('keychain');
    expect((await call(app, 'secrets.reveal', { id: s.id })).value).toBe('CANARY-restore-wrapped');
  });

  it('--restore-keys FILE: a kit opens a wrapped folder where no keychain is (browser mode)', async () => {
    const dir = newDir();
    const app = await start(dir, 'electron');
    const s = await call(app, 'secrets.create', { name: 'TOKEN', value: 'CANARY-restore-keys', scope: 'global' });
    const kit = await call(app, 'recoveryKit.create', { passphrase: PASSPHRASE });
    await app.stop();
    const kitFile = join(newDir(), kit.fileName);
    writeFileSync(kitFile, kit.content);

    expect(parseCliArgs(['--restore-keys', kitFile])).toEqual({ restoreKeys: kitFile });
    expect(() => parseCliArgs(['--restore-keys'])).toThrow(/\.cfkeys recovery kit/);
    expect(() => parseCliArgs(['--restore', 'a', '--restore-keys', 'b'])).toThrow(/do not go together/);
    await expect(restoreKeysFromFlag(kitFile, dir, {})).rejects.toThrow(/set CRUDE_RECOVERY_PASSPHRASE/);
    await expect(restoreKeysFromFlag(kitFile, dir, { CRUDE_RECOVERY_PASSPHRASE: 'not the passphrase' })).rejects.toThrow(/passphrase is wrong for this recovery kit/);

    const { message, restored } = await restoreKeysFromFlag(kitFile, dir, { CRUDE_RECOVERY_PASSPHRASE: PASSPHRASE });
    expect(message).toMatch(/^Restored the keys \(key A\) from the recovery kit made .* into .*; they are protected by file permissions until you switch the keychain on/);
    expect(message).toContain(restored.previousKeyFileKeptAs!);
    const browser = await start(dir, 'browser');
    expect((await call(browser, 'secrets.reveal', { id: s.id })).value).toBe('CANARY-restore-keys');
  });
});
