// The recovery kit (.cfkeys): keychain-wrapped keys cannot leave their machine, so Settings
// offers them sealed under a passphrase (the backup's sealing), and `--restore-keys FILE`
// puts them back next to their database where the keychain cannot unwrap them.
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataPaths, openCore, prepareKeys, type KeyProtector } from '../../src/main/core';
import { runAs } from '../../src/main/core/audit/actor';
import type { Core } from '../../src/main/core/core-api';
import { readKeyFile } from '../../src/main/core/crypto/key-file';
import { CoreError } from '../../src/main/core/errors';
import { openRecoveryKit, restoreKeysFromKit, sealRecoveryKit } from '../../src/main/core/key-protection';
import { openBackup } from '../../src/main/core/backup';
import { standInProtector } from '../support/stand-in-protector';
import { coreTestKit } from '../support/core-test-kit';

const PASSPHRASE = 'correct horse battery staple';
const FAST_KDF = { N: 2 ** 10, r: 8, p: 1 };
const { cleanups, newDir } = coreTestKit();

async function openWith(dir: string, protector?: KeyProtector): Promise<Core> {
  const keys = await prepareKeys(dataPaths(dir).keyFile, protector, { newInstallation: 'keychain' });
  const core = openCore({ dataDir: dir, keys, protector });
  cleanups.push(() => {
    try {
      core.close();
    } catch {
      // closed by the test
    }
  });
  return core;
}

function errorOf(fn: () => unknown): CoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CoreError) return e;
    throw e;
  }
  throw new Error('expected a CoreError');
}

/** A keychain-wrapped installation with a secret and an API key, closed, and its kit. */
async function wrappedWithKit() {
  const dir = newDir();
  const core = await openWith(dir, standInProtector());
  const secret = core.secrets.create({ name: 'TOKEN', value: 'CANARY-kit-secret', scope: 'global' });
  const key = core.keys.create({ groupId: core.groups.list()[0]!.id, name: 'kit-key' });
  const kit = runAs({ via: 'window' }, () => core.keyProtection.createRecoveryKit(PASSPHRASE));
  core.close();
  return { dir, secret, key, kit };
}

describe('the recovery kit', () => {
  it('Settings nags while the keys are keychain-wrapped and no kit exists; making one is audited without key material', async () => {
    const dir = newDir();
    const core = await openWith(dir, standInProtector());
    expect(await core.keyProtection.status()).toMatchObject({ protection: 'keychain', recoveryKit: null, recoveryKitCurrent: false, recoveryKitDue: true });
    const kit = runAs({ via: 'window' }, () => core.keyProtection.createRecoveryKit(PASSPHRASE));
    expect(kit.fileName).toMatch(/^crude-functions-keys-\d{4}-\d{2}-\d{2}\.cfkeys$/);
    expect(await core.keyProtection.status()).toMatchObject({ recoveryKit: { createdAt: kit.createdAt, keyVersion: 'A' }, recoveryKitCurrent: true, recoveryKitDue: false });
    const entry = core.audit.list({ action: 'recovery-kit.created' }).entries[0]!;
    expect(entry).toMatchObject({ actor: 'desktop window', detail: { keyVersion: 'A' } });
    // Not a change a backup would miss: the backup reminder does not count it.
    expect(core.backups.status()).toMatchObject({ unsavedChanges: false, lastChangeAt: null });
    // Neither the passphrase nor any key is in the audit log or anywhere in the database file.
    await core.keyProtection.set('file');
    const keys = readKeyFile(dataPaths(dir).keyFile)!;
    const db = readFileSync(dataPaths(dir).databaseFile);
    for (const needle of [PASSPHRASE, keys.currentKey.toString('base64'), keys.hashKey.toString('base64'), keys.currentKey.toString('hex')]) {
      expect(db.includes(needle)).toBe(false);
    }
    // With file protection no kit is needed: the key file itself is portable.
    expect((await core.keyProtection.status()).recoveryKitDue).toBe(false);
  });

  it('after a rotation the kit is stale: Settings nags again until a new one is made', async () => {
    const dir = newDir();
    const core = await openWith(dir, standInProtector());
    core.keyProtection.createRecoveryKit(PASSPHRASE);
    await core.rotation.rotateNow();
    expect(await core.keyProtection.status()).toMatchObject({ currentKeyVersion: 'B', recoveryKit: { keyVersion: 'A' }, recoveryKitCurrent: false, recoveryKitDue: true });
    core.keyProtection.createRecoveryKit(PASSPHRASE);
    expect(await core.keyProtection.status()).toMatchObject({ recoveryKit: { keyVersion: 'B' }, recoveryKitDue: false });
  });

  it('refuses a short passphrase, naming the field, and records nothing', async () => {
    const dir = newDir();
    const core = await openWith(dir, standInProtector());
    expect(errorOf(() => core.keyProtection.createRecoveryKit('short'))).toMatchObject({ code: 'VALIDATION', field: 'passphrase' });
    expect((await core.keyProtection.status()).recoveryKit).toBeNull();
    expect(core.audit.list({ action: 'recovery-kit.' }).entries).toEqual([]);
  });

  it('round trip: on a machine without that keychain, --restore-keys puts the keys back and every value reads', async () => {
    const { dir, secret, key, kit } = await wrappedWithKit();
    const wrapped = readFileSync(dataPaths(dir).keyFile, 'utf8');
    // Another machine: its keychain cannot unwrap the key file.
    await expect(prepareKeys(dataPaths(dir).keyFile, standInProtector({ keychain: 'another machine' }))).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });

    const r = restoreKeysFromKit(dataPaths(dir), kit.content, PASSPHRASE);
    expect(r).toMatchObject({ kitCreatedAt: kit.createdAt, keyVersion: 'A' });
    // The wrapped key file is kept, never deleted.
    expect(r.previousKeyFileKeptAs).toMatch(/encryption-keys\.json\.before-recovery-/);
    expect(readFileSync(r.previousKeyFileKeptAs!, 'utf8')).toBe(wrapped);
    expect(JSON.parse(readFileSync(dataPaths(dir).keyFile, 'utf8')).protection).toBe('file');

    // Opens without any keychain (browser mode), and with the other machine's.
    const core = openCore({ dataDir: dir });
    expect(core.secrets.reveal(secret.id)).toBe('CANARY-kit-secret');
    expect(core.keys.authenticate(key.value)?.key.id).toBe(key.id);
    core.close();
    const there = await openWith(dir, standInProtector({ keychain: 'another machine' }));
    expect(await there.keyProtection.status()).toMatchObject({ protection: 'file', fileOnlyReason: 'Protection by the OS keychain is switched off.' });
    // …where the keychain can be switched on again.
    await there.keyProtection.set('keychain');
    expect(there.secrets.reveal(secret.id)).toBe('CANARY-kit-secret');
  });

  it('a wrong passphrase is told apart from a damaged file; nothing is written', async () => {
    const { dir, kit } = await wrappedWithKit();
    const before = readdirSync(dir).sort();
    const keyFile = readFileSync(dataPaths(dir).keyFile, 'utf8');
    const wrong = errorOf(() => restoreKeysFromKit(dataPaths(dir), kit.content, 'not the passphrase'));
    expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'passphrase', message: 'The passphrase is wrong for this recovery kit.' });

    const outer = JSON.parse(kit.content);
    const data = Buffer.from(outer.data, 'base64');
    data[Math.floor(data.length / 2)]! ^= 0x01;
    const damaged = errorOf(() => restoreKeysFromKit(dataPaths(dir), JSON.stringify({ ...outer, data: data.toString('base64') }), PASSPHRASE));
    expect(damaged).toMatchObject({ code: 'VALIDATION', field: 'file' });
    expect(damaged.message).toMatch(/passphrase is right, but the recovery kit is damaged/);

    for (const cut of [kit.content.slice(0, kit.content.length / 2), '']) {
      expect(errorOf(() => restoreKeysFromKit(dataPaths(dir), cut, PASSPHRASE))).toMatchObject({ field: 'file', message: expect.stringMatching(/not a Crude Functions Desktop recovery kit/) });
    }
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readFileSync(dataPaths(dir).keyFile, 'utf8')).toBe(keyFile);
  });

  it('a backup is not a recovery kit, nor the reverse: each message says which file it is', async () => {
    const dir = newDir();
    const core = await openWith(dir, standInProtector());
    const kit = core.keyProtection.createRecoveryKit(PASSPHRASE);
    const backup = core.backups.create(PASSPHRASE);
    expect(errorOf(() => openRecoveryKit(backup.content, PASSPHRASE)).message).toMatch(/This is a backup, not a recovery kit: .*--restore FILE/);
    expect(errorOf(() => openBackup(kit.content, PASSPHRASE)).message).toMatch(/This is a recovery kit, not a backup: .*--restore-keys FILE/);
  });

  it('a kit from before a rotation is refused, naming the key versions; nothing is written', async () => {
    const dir = newDir();
    const core = await openWith(dir, standInProtector());
    core.secrets.create({ name: 'TOKEN', value: 'CANARY-stale', scope: 'global' });
    const old = core.keyProtection.createRecoveryKit(PASSPHRASE);
    await core.rotation.rotateNow();
    core.close();
    const before = readFileSync(dataPaths(dir).keyFile, 'utf8');
    const err = errorOf(() => restoreKeysFromKit(dataPaths(dir), old.content, PASSPHRASE));
    expect(err.code).toBe('KEY_FILE');
    expect(err.message).toMatch(/holds key A, but the database is encrypted with key B: the keys were rotated after the kit was made/);
    expect(readFileSync(dataPaths(dir).keyFile, 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.includes('before-recovery'))).toEqual([]);
  });

  it('refuses a kit of another installation, a folder without a database, and a key file that needs no recovery', async () => {
    const { dir, kit } = await wrappedWithKit();
    const other = newDir();
    openCore({ dataDir: other }).close();
    const otherKeys = readFileSync(dataPaths(other).keyFile, 'utf8');
    const foreign = errorOf(() => restoreKeysFromKit(dataPaths(other), kit.content, PASSPHRASE));
    expect(foreign.message).toMatch(/belongs to another installation/);
    expect(readFileSync(dataPaths(other).keyFile, 'utf8')).toBe(otherKeys);

    const empty = newDir();
    expect(errorOf(() => restoreKeysFromKit(dataPaths(empty), kit.content, PASSPHRASE)).message).toMatch(/holds no database\.db.*--restore FILE/);
    expect(readdirSync(empty)).toEqual([]);

    // Restored once (file protection now): a second time is refused, the keys are readable.
    restoreKeysFromKit(dataPaths(dir), kit.content, PASSPHRASE);
    const needless = errorOf(() => restoreKeysFromKit(dataPaths(dir), kit.content, PASSPHRASE));
    expect(needless).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/needs no recovery kit/) });
  });

  it('replaces a missing, damaged or unreadable key file, keeping what was there', async () => {
    const { dir, secret, kit } = await wrappedWithKit();
    rmSync(dataPaths(dir).keyFile);
    expect(restoreKeysFromKit(dataPaths(dir), kit.content, PASSPHRASE).previousKeyFileKeptAs).toBeNull();
    writeFileSync(dataPaths(dir).keyFile, '{"currentVersion": "A", "curr');
    const damaged = restoreKeysFromKit(dataPaths(dir), kit.content, PASSPHRASE);
    expect(readFileSync(damaged.previousKeyFileKeptAs!, 'utf8')).toBe('{"currentVersion": "A", "curr');
    if (process.getuid?.() !== 0) {
      // (root reads any file: the unreadable case cannot be made there)
      writeFileSync(dataPaths(dir).keyFile, 'x');
      chmodSync(dataPaths(dir).keyFile, 0o000);
      const unreadable = restoreKeysFromKit(dataPaths(dir), kit.content, PASSPHRASE);
      expect(existsSync(unreadable.previousKeyFileKeptAs!)).toBe(true);
    }
    const core = openCore({ dataDir: dir });
    expect(core.secrets.reveal(secret.id)).toBe('CANARY-kit-secret');
    core.close();
  });

  it('carries the keys of the moment, phased-out key included, sealed with the backup sealing', () => {
    const dir = newDir();
    const core = openCore({ dataDir: dir });
    const keys = readKeyFile(dataPaths(dir).keyFile)!;
    core.close();
    const mid = { ...keys, currentVersion: 'B', currentKey: Buffer.alloc(32, 7), phasedOutVersion: 'A', phasedOutKey: keys.currentKey };
    const text = sealRecoveryKit(mid, '2024-01-01T00:00:00.000Z', PASSPHRASE, FAST_KDF);
    expect(JSON.parse(text)).toMatchObject({ format: 'crude-functions-desktop-recovery-kit', version: 1, cipher: 'aes-256-gcm', kdf: { name: 'scrypt' } });
    expect(text).not.toContain(keys.currentKey.toString('base64'));
    const opened = openRecoveryKit(text, PASSPHRASE);
    expect(opened.createdAt).toBe('2024-01-01T00:00:00.000Z');
    expect(opened.keys.phasedOutVersion).toBe('A');
    expect(opened.keys.phasedOutKey!.equals(keys.currentKey)).toBe(true);
    expect(opened.keys.hashKey.equals(keys.hashKey)).toBe(true);
  });
});
