// Key protection (issue 17): the key file guarded by file permissions only, or wrapped by
// the OS keychain — here a stand-in keychain (test/support/stand-in-protector.ts); the
// Electron one is tested with a mocked safeStorage in test/electron/key-protector.test.ts.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPaths, openCore, prepareKeys, type KeyProtector, type OpenCoreOptions } from '../../src/main/core';
import { runAs } from '../../src/main/core/audit/actor';
import type { Core } from '../../src/main/core/core-api';
import { readKeyFile } from '../../src/main/core/crypto/key-file';
import { CoreError } from '../../src/main/core/errors';
import { forgetfulProtector, standInProtector } from '../support/stand-in-protector';
import { coreTestKit } from '../support/core-test-kit';

const { cleanups, newDir } = coreTestKit();

/** What the services do: unwrap with the keychain, then open. */
async function openWith(dir: string, protector?: KeyProtector, extra: Partial<OpenCoreOptions> = {}): Promise<Core> {
  const keys = await prepareKeys(dataPaths(dir).keyFile, protector, { newInstallation: 'keychain' });
  const core = openCore({ dataDir: dir, keys, protector, ...extra });
  cleanups.push(() => {
    try {
      core.close();
    } catch {
      // closed by the test
    }
  });
  return core;
}

async function errorOf(fn: () => unknown): Promise<CoreError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof CoreError) return e;
    throw e;
  }
  throw new Error('expected a CoreError');
}

const keyFileJson = (dir: string) => JSON.parse(readFileSync(dataPaths(dir).keyFile, 'utf8')) as Record<string, unknown>;

describe('a new installation in the desktop app (keychain available)', () => {
  it('is wrapped from the start: the file says "keychain" with its backend and holds no key in the clear', async () => {
    const dir = newDir();
    const core = await openWith(dir, standInProtector());
    const s = core.secrets.create({ name: 'TOKEN', value: 'CANARY-wrapped-1', scope: 'global' });
    const json = keyFileJson(dir);
    expect(json).toMatchObject({ protection: 'keychain', backend: 'stand-in', currentVersion: 'A', phasedOutVersion: null });
    expect(json).not.toHaveProperty('currentKey');
    expect(json).not.toHaveProperty('hashKey');
    expect(json).not.toHaveProperty('phasedOutKey');
    const text = readFileSync(dataPaths(dir).keyFile, 'utf8');
    core.close();
    // Open it again with the same keychain: every value reads.
    const again = await openWith(dir, standInProtector());
    expect(again.secrets.reveal(s.id)).toBe('CANARY-wrapped-1');
    expect(await again.keyProtection.status()).toMatchObject({ protection: 'keychain', backend: 'stand-in', fileOnlyReason: null });
    expect(readFileSync(dataPaths(dir).keyFile, 'utf8')).toBe(text);
  });

  it('the wrapped file holds none of the keys in base64 or hex', async () => {
    const dir = newDir();
    const core = await openWith(dir, standInProtector());
    // Switch off and read the keys from the file, then on again and look for them.
    await core.keyProtection.set('file');
    const keys = readKeyFile(dataPaths(dir).keyFile)!;
    await core.keyProtection.set('keychain');
    const text = readFileSync(dataPaths(dir).keyFile, 'utf8');
    for (const key of [keys.currentKey, keys.hashKey]) {
      expect(text).not.toContain(key.toString('base64'));
      expect(text).not.toContain(key.toString('hex'));
      expect(text).not.toContain(key.toString('base64url'));
    }
  });

  it('keeps file protection where the keychain is unavailable, and says why', async () => {
    const dir = newDir();
    const core = await openWith(dir, standInProtector({ unavailable: 'No OS keyring was found (basic_text).', backend: 'basic_text' }));
    expect(keyFileJson(dir).protection).toBe('file');
    expect(await core.keyProtection.status()).toMatchObject({
      protection: 'file',
      backend: null,
      keychain: { available: false, backend: 'basic_text', reason: 'No OS keyring was found (basic_text).' },
      fileOnlyReason: 'No OS keyring was found (basic_text).',
      recoveryKitDue: false,
    });
  });
});

describe('opening a wrapped data folder', () => {
  async function wrappedInstallation(): Promise<{ dir: string; secretId: number; before: string }> {
    const dir = newDir();
    const core = await openWith(dir, standInProtector());
    const s = core.secrets.create({ name: 'TOKEN', value: 'CANARY-wrapped-2', scope: 'global' });
    core.close();
    return { dir, secretId: s.id, before: readFileSync(dataPaths(dir).keyFile, 'utf8') };
  }

  it('without a keychain (browser mode, openCore alone) is refused with why and what to do; nothing changed', async () => {
    const { dir, before } = await wrappedInstallation();
    for (const attempt of [() => openCore({ dataDir: dir }), () => prepareKeys(dataPaths(dir).keyFile, undefined)]) {
      const err = await errorOf(attempt);
      expect(err.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(err.message).toContain(dataPaths(dir).keyFile);
      expect(err.message).toMatch(/wrapped by the OS keychain \(stand-in\)/);
      expect(err.message).toMatch(/browser mode runs without Electron and has no access to the OS keychain/);
      expect(err.message).toMatch(/Open this data folder in the desktop app and switch key protection off in Settings → Encryption/);
      expect(err.message).toMatch(/--restore-keys FILE and your recovery kit/);
      expect(err.message).toMatch(/Nothing was changed/);
    }
    expect(readFileSync(dataPaths(dir).keyFile, 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'app.lock'))).toBe(false);
  });

  it('where the keychain is unavailable, or is another machine\'s, is refused with the reason; nothing changed', async () => {
    const { dir, before } = await wrappedInstallation();
    const locked = await errorOf(() => prepareKeys(dataPaths(dir).keyFile, standInProtector({ unavailable: 'The keyring is locked.' })));
    expect(locked.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(locked.message).toMatch(/not available here: The keyring is locked\./);
    expect(locked.message).toMatch(/unlock the keychain/);
    const other = await errorOf(() => prepareKeys(dataPaths(dir).keyFile, standInProtector({ keychain: 'another machine' })));
    expect(other.message).toMatch(/could not unwrap the keys .* another machine or for another user account/);
    expect(other.message).toMatch(/--restore-keys FILE/);
    const gone = await errorOf(() => prepareKeys(dataPaths(dir).keyFile, standInProtector({ failUnwrap: true })));
    expect(gone.code).toBe('KEYCHAIN_UNAVAILABLE');
    // The keychain's own words (which may name its internals) are not passed on.
    expect(gone.message).not.toContain('no such entry');
    expect(readFileSync(dataPaths(dir).keyFile, 'utf8')).toBe(before);
  });

  it('an edited version letter or installation id in a wrapped file fails its seal, named; nothing changed', async () => {
    const { dir } = await wrappedInstallation();
    for (const patch of [{ currentVersion: 'B' }, { lastRotationAt: '2020-01-01T00:00:00.000Z' }]) {
      const json = keyFileJson(dir);
      const edited = JSON.stringify({ ...json, ...patch });
      writeFileSync(dataPaths(dir).keyFile, edited);
      const err = await errorOf(() => prepareKeys(dataPaths(dir).keyFile, standInProtector()));
      expect(err).toMatchObject({ code: 'KEY_FILE', field: 'sealedKeys' });
      expect(err.message).toMatch(/edited or damaged/);
      expect(readFileSync(dataPaths(dir).keyFile, 'utf8')).toBe(edited);
      writeFileSync(dataPaths(dir).keyFile, JSON.stringify(json));
    }
  });

  it('names the malformed field of a wrapped file, and refuses one that also carries a key in the clear', async () => {
    const { dir } = await wrappedInstallation();
    const json = keyFileJson(dir);
    const cases: [Record<string, unknown>, string][] = [
      [{ protection: 'vault' }, 'protection'],
      [{ backend: '' }, 'backend'],
      [{ wrappedKey: 'not base64!' }, 'wrappedKey'],
      [{ sealedKeys: 42 }, 'sealedKeys'],
      [{ currentKey: Buffer.alloc(32, 1).toString('base64') }, 'currentKey'],
      [{ hashKey: Buffer.alloc(32, 2).toString('base64') }, 'hashKey'],
    ];
    for (const [patch, field] of cases) {
      writeFileSync(dataPaths(dir).keyFile, JSON.stringify({ ...json, ...patch }));
      const err = await errorOf(() => prepareKeys(dataPaths(dir).keyFile, standInProtector()));
      expect(err).toMatchObject({ code: 'KEY_FILE', field });
      expect(err.message).toContain(`"${field}"`);
    }
  });

  it('a key file changed between reading it and taking the lock is refused (another instance)', async () => {
    const { dir } = await wrappedInstallation();
    const keys = await prepareKeys(dataPaths(dir).keyFile, standInProtector());
    writeFileSync(dataPaths(dir).keyFile, `${readFileSync(dataPaths(dir).keyFile, 'utf8')} `);
    const err = await errorOf(() => openCore({ dataDir: dir, keys }));
    expect(err.code).toBe('KEY_FILE');
    expect(err.message).toMatch(/changed while the app was starting/);
  });

  it('when the keychain asks for a new wrapping, the file is rewritten once, with the same keys', async () => {
    const { dir, secretId, before } = await wrappedInstallation();
    const protector = standInProtector();
    protector.askRewrap(true);
    const core = await openWith(dir, protector);
    const after = readFileSync(dataPaths(dir).keyFile, 'utf8');
    expect(after).not.toBe(before);
    expect(JSON.parse(after).wrappedKey).not.toBe(JSON.parse(before).wrappedKey);
    expect(core.secrets.reveal(secretId)).toBe('CANARY-wrapped-2');
    core.close();
    protector.askRewrap(false);
    expect((await openWith(dir, protector)).secrets.reveal(secretId)).toBe('CANARY-wrapped-2');
  });
});

describe('a key file written by an older version', () => {
  it('has no protection field and is file protection', async () => {
    const dir = newDir();
    openCore({ dataDir: dir }).close();
    const json = keyFileJson(dir);
    expect(json.protection).toBe('file');
    delete json.protection;
    writeFileSync(dataPaths(dir).keyFile, JSON.stringify(json));
    const core = await openWith(dir, standInProtector());
    // An existing installation is not switched silently: that is the operator's choice.
    expect(await core.keyProtection.status()).toMatchObject({ protection: 'file', fileOnlyReason: 'Protection by the OS keychain is switched off.', keychain: { available: true } });
    expect(keyFileJson(dir).protection).toBeUndefined();
  });
});

describe('switching protection', () => {
  it('on and off explicitly: each switch rewrites the file in the other form, values read in every form, and is audited', async () => {
    const dir = newDir();
    openCore({ dataDir: dir }).close();
    const protector = standInProtector();
    let core = await openWith(dir, protector);
    const s = core.secrets.create({ name: 'TOKEN', value: 'CANARY-switch', scope: 'global' });
    const key = core.keys.create({ groupId: core.groups.list()[0]!.id, name: 'switch-key' });

    const on = await runAs({ via: 'window' }, () => core.keyProtection.set('keychain'));
    expect(on).toMatchObject({ protection: 'keychain', backend: 'stand-in', fileOnlyReason: null, recoveryKitDue: true });
    expect(keyFileJson(dir)).toMatchObject({ protection: 'keychain' });
    expect(core.secrets.reveal(s.id)).toBe('CANARY-switch');
    // Setting what is already in force changes nothing.
    const text = readFileSync(dataPaths(dir).keyFile, 'utf8');
    await core.keyProtection.set('keychain');
    expect(readFileSync(dataPaths(dir).keyFile, 'utf8')).toBe(text);

    core.close();
    core = await openWith(dir, protector);
    expect(core.secrets.reveal(s.id)).toBe('CANARY-switch');
    expect(core.keys.authenticate(key.value)?.key.id).toBe(key.id);

    const off = await runAs({ via: 'window' }, () => core.keyProtection.set('file'));
    expect(off).toMatchObject({ protection: 'file', backend: null, recoveryKitDue: false });
    expect(keyFileJson(dir)).toMatchObject({ protection: 'file' });
    core.close();
    // File protection opens anywhere, without a keychain.
    core = openCore({ dataDir: dir });
    cleanups.push(() => core.close());
    expect(core.secrets.reveal(s.id)).toBe('CANARY-switch');
    expect(core.keys.authenticate(key.value)?.key.id).toBe(key.id);

    const audit = core.audit.list({ action: 'key-protection.' }).entries;
    expect(audit.map((e) => e.detail)).toEqual([
      { from: 'keychain', to: 'file' },
      { from: 'file', to: 'keychain', backend: 'stand-in' },
    ]);
    expect(audit.every((e) => e.actor === 'desktop window')).toBe(true);
    // No key material in the audit log: look for the keys in the database file.
    const keys = readKeyFile(dataPaths(dir).keyFile)!;
    const db = readFileSync(dataPaths(dir).databaseFile);
    for (const k of [keys.currentKey, keys.hashKey]) expect(db.includes(k.toString('base64'))).toBe(false);
  });

  it('refuses to switch on where there is no keychain, saying why; the file stays as it was', async () => {
    const dir = newDir();
    const plain = openCore({ dataDir: dir });
    const before = readFileSync(dataPaths(dir).keyFile, 'utf8');
    const none = await errorOf(() => plain.keyProtection.set('keychain'));
    expect(none.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(none.message).toMatch(/Browser mode runs without Electron and has no access to the OS keychain/);
    expect(await plain.keyProtection.status()).toMatchObject({
      protection: 'file',
      keychain: { available: false, backend: null },
      fileOnlyReason: 'Browser mode runs without Electron and has no access to the OS keychain.',
    });
    plain.close();

    const basic = await openWith(dir, standInProtector({ unavailable: 'No OS keyring was found (basic_text).', backend: 'basic_text' }));
    const err = await errorOf(() => basic.keyProtection.set('keychain'));
    expect(err.message).toMatch(/cannot be used here: No OS keyring was found/);
    basic.close();

    const broken = await openWith(dir, forgetfulProtector());
    const lost = await errorOf(() => broken.keyProtection.set('keychain'));
    expect(lost.message).toMatch(/did not give back the key it was asked to wrap/);
    expect(readFileSync(dataPaths(dir).keyFile, 'utf8')).toBe(before);
  });

  it('is refused while a rotation runs (the rotation rewrites the key file)', async () => {
    const dir = newDir();
    let core!: Core;
    let during: CoreError | null = null;
    let pending: Promise<unknown> | null = null;
    core = await openWith(dir, standInProtector(), {
      rotationHooks: {
        onStep: (step) => {
          if (step === 'batch-done' && !pending) pending = core.keyProtection.set('file').catch((e: CoreError) => (during = e));
        },
      },
    });
    core.secrets.create({ name: 'X', value: 'CANARY-x', scope: 'global' });
    await core.rotation.rotateNow();
    await pending;
    expect(during).toMatchObject({ code: 'ROTATION_IN_PROGRESS' });
    expect(keyFileJson(dir).protection).toBe('keychain');
  });
});

describe('rotation with protection on', () => {
  it('keeps the key file wrapped at every write, and the rotated keys open', async () => {
    const dir = newDir();
    const seen: Record<string, unknown>[] = [];
    const core = await openWith(dir, standInProtector(), { rotationHooks: { onStep: (step) => step === 'phased-out-key-written' && seen.push(keyFileJson(dir)) } });
    const s = core.secrets.create({ name: 'TOKEN', value: 'CANARY-rotated', scope: 'global' });
    const result = await core.rotation.rotateNow();
    expect(result).toMatchObject({ fromVersion: 'A', toVersion: 'B' });
    // Mid-rotation: the new key and the phased-out one, both sealed.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ protection: 'keychain', currentVersion: 'B', phasedOutVersion: 'A' });
    expect(seen[0]).not.toHaveProperty('currentKey');
    expect(keyFileJson(dir)).toMatchObject({ protection: 'keychain', currentVersion: 'B', phasedOutVersion: null });
    expect(keyFileJson(dir)).not.toHaveProperty('phasedOutKey');
    core.close();
    const again = await openWith(dir, standInProtector());
    expect(again.secrets.reveal(s.id)).toBe('CANARY-rotated');
    expect(again.rotation.status().currentVersion).toBe('B');
  });

  it('an interrupted rotation is finished at the next start, and the file stays wrapped', async () => {
    const dir = newDir();
    const core = await openWith(dir, standInProtector(), {
      rotationHooks: {
        onStep: (step) => {
          if (step === 'batch-done') throw new Error('power cut');
        },
      },
    });
    const s = core.secrets.create({ name: 'TOKEN', value: 'CANARY-interrupted', scope: 'global' });
    await expect(core.rotation.rotateNow()).rejects.toThrow('power cut');
    core.close();
    expect(keyFileJson(dir)).toMatchObject({ protection: 'keychain', phasedOutVersion: 'A', currentVersion: 'B' });
    const again = await openWith(dir, standInProtector());
    expect(again.rotation.status()).toMatchObject({ currentVersion: 'B', phasedOutVersion: null });
    expect(keyFileJson(dir)).toMatchObject({ protection: 'keychain', phasedOutVersion: null });
    expect(again.secrets.reveal(s.id)).toBe('CANARY-interrupted');
    // The database holds values under B only.
    const db = new Database(dataPaths(dir).databaseFile, { readonly: true });
    cleanups.push(() => db.close());
    expect(db.prepare('SELECT DISTINCT substr(value_encrypted, 1, 1) FROM secrets').pluck().all()).toEqual(['B']);
  });
});
