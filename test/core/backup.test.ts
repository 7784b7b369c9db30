import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPaths, openCore, prepareKeys } from '../../src/main/core';
import { standInProtector } from '../support/stand-in-protector';
import { runAs } from '../../src/main/core/audit/actor';
import { openBackup, restoreIntoFreshDataDir } from '../../src/main/core/backup';
import { sealBackup } from '../../src/main/core/backup/backup';
import type { Core } from '../../src/main/core/core-api';
import { coreErrorOf, coreTestKit } from '../support/core-test-kit';
import { seedWorld } from '../support/temp-core';

const PASSPHRASE = 'correct horse battery staple';
const { fresh, cleanups, newDir: emptyDir } = coreTestKit();
/** Everything an installation holds, values included, in a comparable form. */
function everything(core: Core) {
  const scopes: { scope: 'global' | 'function' | 'group' | 'key'; id: number | null }[] = [{ scope: 'global', id: null }];
  for (const f of core.functions.list()) scopes.push({ scope: 'function', id: f.id });
  for (const g of core.groups.list()) scopes.push({ scope: 'group', id: g.id });
  for (const k of core.keys.list()) scopes.push({ scope: 'key', id: k.id });
  return {
    groups: core.groups.list(),
    keys: core.keys.list().map((k) => ({ ...k, value: core.keys.reveal(k.id) })),
    functions: core.functions.list(),
    code: core.code.list().map((f) => ({ path: f.path, content: core.code.read(f.path) })),
    secrets: scopes.flatMap(({ scope, id }) =>
      core.secrets.list(scope, id).map((s) => ({
        ...s,
        value: core.secrets.reveal(s.id),
        history: core.secrets.history(s.id).map((v) => ({ n: v.n, change: v.change, value: core.secrets.revealVersion(v.id) })),
      })),
    ),
    settings: core.settings.get(),
    // A server connection's key is encrypted and bound to the row: it must still decrypt (no keyProblem).
    servers: core.servers.list(),
  };
}

function populated(core: Core) {
  const w = seedWorld(core);
  core.secrets.create({ name: 'API_URL', value: 'CANARY-global-url', scope: 'global' });
  const s = core.secrets.create({ name: 'TOKEN', value: 'CANARY-fn-v1', scope: 'function', scopeId: w.notify.id });
  core.secrets.update({ id: s.id, value: 'CANARY-fn-v2' });
  core.secrets.create({ name: 'TOKEN', value: 'CANARY-group', scope: 'group', scopeId: w.shipping.id });
  core.secrets.create({ name: 'TOKEN', value: 'CANARY-key', scope: 'key', scopeId: w.shipKey.id });
  core.code.write('notify.ts', 'export default async () => new Response("CANARY-in-handler");\n');
  core.code.write('lib/util.ts', 'export const x = 1;\n');
  core.settings.set({ backupReminderDays: 3 });
  core.servers.create({ name: 'staging', url: 'https://functions.example.com:9000', key: 'CANARYserverkey0123456789' });
  return w;
}

describe('the encrypted backup', () => {
  it('restores into a fresh data folder with every value, handler file, history and setting equal', () => {
    const t = fresh();
    populated(t.core);
    const before = everything(t.core);
    const backup = t.core.backups.create(PASSPHRASE);
    expect(backup.fileName).toMatch(/^crude-functions-backup-\d{4}-\d{2}-\d{2}\.cfbackup$/);

    const target = emptyDir();
    expect(restoreIntoFreshDataDir(dataPaths(target), backup.content, PASSPHRASE)).toEqual({ restoredFrom: backup.createdAt });
    const restored = openCore({ dataDir: target });
    cleanups.push(() => restored.close());
    expect(before.servers).toHaveLength(1);
    expect(everything(restored)).toEqual(before);
    // The audit log came along, unbroken.
    expect(restored.audit.verify()).toMatchObject({ ok: true });
    expect(restored.audit.list({ action: 'backup.created' }).entries).toHaveLength(0); // written after the copy
  });

  it('a backup made from a keychain-wrapped installation restores on a machine without that keychain', async () => {
    const source = emptyDir();
    const keychain = standInProtector();
    const wrapped = openCore({ dataDir: source, keys: await prepareKeys(dataPaths(source).keyFile, keychain, { newInstallation: 'keychain' }), protector: keychain });
    cleanups.push(() => wrapped.close());
    populated(wrapped);
    expect(JSON.parse(readFileSync(dataPaths(source).keyFile, 'utf8')).protection).toBe('keychain');
    const before = everything(wrapped);
    const backup = wrapped.backups.create(PASSPHRASE);
    // The backup carries the keys in their portable form: inside, the key file holds them.
    const inside = JSON.parse(openBackup(backup.content, PASSPHRASE).keyFile);
    expect(inside.protection).toBe('file');
    expect(Buffer.from(inside.currentKey, 'base64')).toHaveLength(32);

    // Another machine: no keychain at all (browser mode), or another one.
    for (const protector of [undefined, standInProtector({ keychain: 'another machine' })]) {
      const target = emptyDir();
      restoreIntoFreshDataDir(dataPaths(target), backup.content, PASSPHRASE);
      const restored = openCore({ dataDir: target, keys: await prepareKeys(dataPaths(target).keyFile, protector), protector });
      try {
        expect(everything(restored)).toEqual(before);
        expect((await restored.keyProtection.status()).protection).toBe('file');
      } finally {
        restored.close();
      }
    }
  });

  it('holds no secret, key value or handler text in plaintext', () => {
    const t = fresh();
    const w = populated(t.core);
    const { content } = t.core.backups.create(PASSPHRASE);
    expect(content).not.toMatch(/CANARY/);
    expect(content).not.toContain(t.core.keys.reveal(w.shipKey.id));
    expect(content).not.toContain(readFileSync(dataPaths(t.dir).keyFile, 'utf8').slice(20, 60));
    expect(content).not.toContain('SQLite format');
  });

  it('a wrong passphrase is a clear error naming the passphrase, and writes nothing', () => {
    const t = fresh();
    populated(t.core);
    const { content } = t.core.backups.create(PASSPHRASE);
    const target = emptyDir();
    const err = coreErrorOf(() => restoreIntoFreshDataDir(dataPaths(target), content, 'not the passphrase'));
    expect(err).toMatchObject({ code: 'VALIDATION', field: 'passphrase' });
    expect(err.message).toBe('The passphrase is wrong for this backup.');
    expect(readdirSync(target)).toEqual([]);
  });

  it('a truncated file is a clear error naming the file, and writes nothing', () => {
    const t = fresh();
    populated(t.core);
    const { content } = t.core.backups.create(PASSPHRASE);
    const target = emptyDir();
    for (const cut of [content.slice(0, content.length / 2), content.slice(0, 10), '']) {
      const err = coreErrorOf(() => restoreIntoFreshDataDir(dataPaths(target), cut, PASSPHRASE));
      expect(err).toMatchObject({ code: 'VALIDATION', field: 'file' });
      expect(err.message).toMatch(/not a Crude Functions Desktop backup, or the file is damaged or cut short/);
    }
    expect(readdirSync(target)).toEqual([]);
  });

  it('a changed byte inside the sealed data is told apart from a wrong passphrase', () => {
    const t = fresh();
    populated(t.core);
    const outer = JSON.parse(t.core.backups.create(PASSPHRASE).content);
    const data = Buffer.from(outer.data, 'base64');
    data[Math.floor(data.length / 2)]! ^= 0x01;
    const damaged = JSON.stringify({ ...outer, data: data.toString('base64') });
    const err = coreErrorOf(() => openBackup(damaged, PASSPHRASE));
    expect(err).toMatchObject({ code: 'VALIDATION', field: 'file' });
    expect(err.message).toMatch(/passphrase is right, but the backup is damaged/);
  });

  it('refuses a data folder that already holds an installation, touching nothing', () => {
    const t = fresh();
    populated(t.core);
    const { content } = t.core.backups.create(PASSPHRASE);
    const other = fresh();
    const before = readFileSync(dataPaths(other.dir).databaseFile);
    const err = coreErrorOf(() => restoreIntoFreshDataDir(dataPaths(other.dir), content, PASSPHRASE));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/needs a fresh data folder/);
    expect(readFileSync(dataPaths(other.dir).databaseFile)).toEqual(before);
  });

  it('refuses a short passphrase, naming the field', () => {
    const t = fresh();
    expect(coreErrorOf(() => t.core.backups.create('short'))).toMatchObject({ code: 'VALIDATION', field: 'passphrase' });
  });

  it('a handler path leaving code/ inside a backup is refused before anything is written', () => {
    const snapshot = { createdAt: new Date().toISOString(), database: Buffer.from('SQLite format 3\u0000rest'), keyFile: '{}', code: [{ path: '../escape.ts', content: Buffer.from('x') }] };
    const content = sealBackup(snapshot, PASSPHRASE, { N: 2 ** 10, r: 8, p: 1 });
    const target = emptyDir();
    expect(coreErrorOf(() => restoreIntoFreshDataDir(dataPaths(target), content, PASSPHRASE))).toMatchObject({ field: 'file' });
    expect(readdirSync(target)).toEqual([]);
    expect(existsSync(join(target, '..', 'escape.ts'))).toBe(false);
  });

  it('asks for key-derivation settings no larger than it accepts (a hostile file cannot make it allocate gigabytes)', () => {
    const outer = { format: 'crude-functions-desktop-backup', version: 1, createdAt: 'x', kdf: { name: 'scrypt', N: 2 ** 30, r: 8, p: 1, salt: 'AA==' }, check: 'AA==', cipher: 'aes-256-gcm', iv: 'AA==', data: 'AA==' };
    expect(coreErrorOf(() => openBackup(JSON.stringify(outer), PASSPHRASE))).toMatchObject({ field: 'file' });
  });
});

describe('the backup reminder', () => {
  it('is due only when a change has waited longer than the setting for a backup', () => {
    const t = fresh();
    // A fresh installation: nothing changed, nothing to remind of.
    expect(t.core.backups.status()).toMatchObject({ lastBackupAt: null, due: false, reminderDays: 7, firstStart: true });
    // What the app does by itself (here: a change outside any caller) is not the operator's.
    t.core.secrets.create({ name: 'BY_APP', value: 'CANARY-app', scope: 'global' });
    expect(t.core.backups.status()).toMatchObject({ unsavedChanges: false, lastChangeAt: null });
    runAs({ via: 'window' }, () => t.core.secrets.create({ name: 'A', value: 'CANARY-a', scope: 'global' }));
    expect(t.core.backups.status()).toMatchObject({ unsavedChanges: true, due: false });
    // The change is older than the setting: age it in the audit log.
    const db = new Database(dataPaths(t.dir).databaseFile);
    cleanups.push(() => db.close());
    const old = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString();
    db.prepare("UPDATE audit_log SET at = ? WHERE action = 'secret.created' AND record_name = 'A'").run(old);
    expect(t.core.backups.status()).toMatchObject({ unsavedChanges: true, due: true, lastChangeAt: old });
    // A reveal is not a change; a backup clears it.
    runAs({ via: 'window' }, () => t.core.secrets.reveal(t.core.secrets.list('global').find((s) => s.name === 'A')!.id));
    expect(t.core.backups.status().lastChangeAt).toBe(old);
    t.core.backups.create(PASSPHRASE);
    expect(t.core.backups.status()).toMatchObject({ unsavedChanges: false, due: false });
    // 0 turns the reminder off.
    t.core.settings.set({ backupReminderDays: 0 });
    expect(t.core.backups.status().reminderDays).toBe(0);
    expect(t.reopen().backups.status().firstStart).toBe(false);
  });
});
