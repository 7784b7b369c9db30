// The Electron KeyProtector (src/main/key-protector.ts) on a mocked safeStorage: Electron's
// runtime is not installed on these machines, so the real OS keychain is never reached
// here. The mock follows electron.d.ts (Electron 45): isAsyncEncryptionAvailable,
// encryptStringAsync, decryptStringAsync → { result, shouldReEncrypt }, and
// getSelectedStorageBackend on Linux.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataPaths, openCore, prepareKeys } from '../../src/main/core';
import { BASIC_TEXT_REASON, electronKeyProtector, type SafeStorageApi } from '../../src/main/key-protector';

type Backend = ReturnType<SafeStorageApi['getSelectedStorageBackend']>;

/** A safeStorage whose "OS keychain" is an AES key of its own; records what it was given. */
function mockSafeStorage(options: { available?: boolean; backend?: Backend; shouldReEncrypt?: boolean; machine?: string } = {}) {
  const key = createHash('sha256').update(options.machine ?? 'this machine').digest();
  const calls = { encrypt: [] as string[], decrypt: 0, sync: 0 };
  const api: SafeStorageApi & Record<string, unknown> = {
    isAsyncEncryptionAvailable: async () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    async encryptStringAsync(plainText: string) {
      calls.encrypt.push(plainText);
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      return Buffer.concat([iv, c.update(plainText, 'utf8'), c.final(), c.getAuthTag()]);
    },
    async decryptStringAsync(encrypted: Buffer) {
      calls.decrypt++;
      const d = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      d.setAuthTag(encrypted.subarray(encrypted.length - 16));
      const result = Buffer.concat([d.update(encrypted.subarray(12, encrypted.length - 16)), d.final()]).toString('utf8');
      return { result, shouldReEncrypt: options.shouldReEncrypt ?? false };
    },
    // The deprecated sync API must never be used.
    encryptString: () => {
      calls.sync++;
      throw new Error('sync API used');
    },
    decryptString: () => {
      calls.sync++;
      throw new Error('sync API used');
    },
  };
  return { api, calls };
}

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('the Electron key protector (mocked safeStorage)', () => {
  it('wraps with encryptStringAsync and unwraps with decryptStringAsync (round trip), never the sync API', async () => {
    const { api, calls } = mockSafeStorage();
    const p = electronKeyProtector(api, 'linux');
    expect(await p.available()).toEqual({ ok: true, backend: 'gnome_libsecret' });
    const secret = randomBytes(32);
    const wrapped = await p.wrap(secret);
    expect(wrapped.includes(secret)).toBe(false);
    expect(calls.encrypt).toEqual([secret.toString('base64')]);
    const back = await p.unwrap(wrapped);
    expect(back.plain.equals(secret)).toBe(true);
    expect(back.rewrap).toBe(false);
    expect(calls.sync).toBe(0);
  });

  it('passes shouldReEncrypt on as a request to rewrap', async () => {
    const { api } = mockSafeStorage({ shouldReEncrypt: true });
    const p = electronKeyProtector(api, 'linux');
    expect((await p.unwrap(await p.wrap(randomBytes(32)))).rewrap).toBe(true);
  });

  it('Linux with the basic_text backend is no keychain: unavailable with the reason, and it refuses to wrap', async () => {
    const { api, calls } = mockSafeStorage({ backend: 'basic_text', available: true });
    const p = electronKeyProtector(api, 'linux');
    expect(await p.available()).toEqual({ ok: false, backend: 'basic_text', reason: BASIC_TEXT_REASON });
    expect(BASIC_TEXT_REASON).toMatch(/protected by file permissions only/);
    await expect(p.wrap(randomBytes(32))).rejects.toThrow(/basic_text/);
    expect(calls.encrypt).toEqual([]);
  });

  it('names the backend per OS, and says why when safeStorage is unavailable or asked too early', async () => {
    expect(await electronKeyProtector(mockSafeStorage().api, 'darwin').available()).toEqual({ ok: true, backend: 'macos-keychain' });
    expect(await electronKeyProtector(mockSafeStorage().api, 'win32').available()).toEqual({ ok: true, backend: 'windows-dpapi' });
    expect(await electronKeyProtector(mockSafeStorage({ backend: 'kwallet6' }).api, 'linux').available()).toEqual({ ok: true, backend: 'kwallet6' });
    const off = await electronKeyProtector(mockSafeStorage({ available: false }).api, 'darwin').available();
    expect(off).toMatchObject({ ok: false, backend: 'macos-keychain', reason: expect.stringMatching(/not available/) });
    const early = await electronKeyProtector(mockSafeStorage({ backend: 'unknown' }).api, 'linux').available();
    expect(early).toMatchObject({ ok: false, reason: expect.stringMatching(/before the app was ready/) });
    const broken = mockSafeStorage().api;
    broken.isAsyncEncryptionAvailable = async () => {
      throw new Error('dbus gone');
    };
    expect(await electronKeyProtector(broken, 'linux').available()).toMatchObject({ ok: false, reason: expect.stringMatching(/safeStorage failed/) });
  });

  it('wraps a real installation: a new data folder is keychain-protected, opens again, and another machine is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crude-electron-protector-'));
    dirs.push(dir);
    const p = electronKeyProtector(mockSafeStorage().api, 'linux');
    const core = openCore({ dataDir: dir, keys: await prepareKeys(dataPaths(dir).keyFile, p, { newInstallation: 'keychain' }), protector: p });
    const s = core.secrets.create({ name: 'TOKEN', value: 'CANARY-electron', scope: 'global' });
    core.close();
    expect(JSON.parse(readFileSync(dataPaths(dir).keyFile, 'utf8'))).toMatchObject({ protection: 'keychain', backend: 'gnome_libsecret' });
    const again = openCore({ dataDir: dir, keys: await prepareKeys(dataPaths(dir).keyFile, p), protector: p });
    expect(again.secrets.reveal(s.id)).toBe('CANARY-electron');
    again.close();
    const elsewhere = electronKeyProtector(mockSafeStorage({ machine: 'another machine' }).api, 'linux');
    await expect(prepareKeys(dataPaths(dir).keyFile, elsewhere)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    // basic_text on the same machine (no keyring this session): refused, saying why.
    const basic = electronKeyProtector(mockSafeStorage({ backend: 'basic_text' }).api, 'linux');
    await expect(prepareKeys(dataPaths(dir).keyFile, basic)).rejects.toThrow(/protected by file permissions only|No OS keyring/);
  });

  it('a new installation on basic_text keeps file protection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crude-electron-protector-'));
    dirs.push(dir);
    const p = electronKeyProtector(mockSafeStorage({ backend: 'basic_text' }).api, 'linux');
    const core = openCore({ dataDir: dir, keys: await prepareKeys(dataPaths(dir).keyFile, p, { newInstallation: 'keychain' }), protector: p });
    try {
      expect(await core.keyProtection.status()).toMatchObject({ protection: 'file', fileOnlyReason: BASIC_TEXT_REASON, keychain: { available: false, backend: 'basic_text' } });
    } finally {
      core.close();
    }
  });
});
