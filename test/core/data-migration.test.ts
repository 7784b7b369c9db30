import Database from 'better-sqlite3';
import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import { apiKeyBinding, executionBinding, secretBinding } from '../../src/main/core/crypto/bindings';
import { VersionedCipher } from '../../src/main/core/crypto/cipher';
import { readKeyFile } from '../../src/main/core/crypto/key-file';
import { tempDir } from '../support/temp-core';
import { coreTestKit } from '../support/core-test-kit';

const { cleanups } = coreTestKit();

/** What a value looked like before values were bound to their records: AES-GCM without additional data. */
function unboundEncrypt(version: string, key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return version + Buffer.concat([iv, body, c.getAuthTag()]).toString('base64');
}

/**
 * A data directory as the previous version left it: unbound ciphertexts, handler output in
 * plaintext in the execution log, no row MACs.
 */
function previousVersionDataDir() {
  const t = tempDir('crude-migrate-');
  cleanups.push(t.cleanup);
  const core = openCore({ dataDir: t.dir });
  const g = core.groups.create({ name: 'shipping' });
  const key = core.keys.create({ groupId: g.id, name: 'ship-key' });
  const fn = core.functions.create({ name: 'notify', route: '/notify', methods: ['POST'], handler: 'notify.ts', groupIds: [g.id] });
  core.secrets.create({ name: 'DB_URL', value: 'CANARY-db-url', scope: 'function', scopeId: fn.id });
  core.secrets.create({ name: 'LEVEL', value: 'CANARY-level', scope: 'key', scopeId: key.id });
  core.executions.record({
    functionId: fn.id, requestId: 'req-1', at: new Date().toISOString(), method: 'POST', path: '/run/notify', status: 500, durationMs: 1,
    keyId: key.id, keyName: 'ship-key', groupName: 'shipping', console: [{ level: 'log', message: 'CANARY-printed', at: '' }], error: 'CANARY-error-text', trace: [],
  });
  core.close();
  const keys = readKeyFile(`${t.dir}/encryption-keys.json`)!;
  const cipher = new VersionedCipher({ version: keys.currentVersion, key: keys.currentKey });
  const db = new Database(`${t.dir}/database.db`);
  for (const r of db.prepare('SELECT id, name, scope, scope_id, value_encrypted FROM secrets').all() as { id: number; name: string; scope: string; scope_id: number; value_encrypted: string }[]) {
    const plain = cipher.decrypt(r.value_encrypted, 'r', secretBinding(r));
    db.prepare('UPDATE secrets SET value_encrypted = ? WHERE id = ?').run(unboundEncrypt(keys.currentVersion, keys.currentKey, plain), r.id);
  }
  for (const r of db.prepare('SELECT id, name, group_id, value_encrypted FROM api_keys').all() as { id: number; name: string; group_id: number; value_encrypted: string }[]) {
    const plain = cipher.decrypt(r.value_encrypted, 'r', apiKeyBinding(r));
    db.prepare('UPDATE api_keys SET value_encrypted = ?, integrity = NULL WHERE id = ?').run(unboundEncrypt(keys.currentVersion, keys.currentKey, plain), r.id);
  }
  for (const r of db.prepare('SELECT id, request_id, console, error FROM executions').all() as { id: number; request_id: string; console: string; error: string }[]) {
    db.prepare('UPDATE executions SET console = ?, error = ? WHERE id = ?').run(
      cipher.decrypt(r.console, 'r', executionBinding(r.request_id, 'console')),
      cipher.decrypt(r.error, 'r', executionBinding(r.request_id, 'error')),
      r.id,
    );
  }
  db.prepare('UPDATE api_groups SET integrity = NULL').run();
  db.prepare('UPDATE functions SET integrity = NULL').run();
  db.prepare("DELETE FROM settings WHERE key = 'meta.dataVersion'").run();
  db.prepare('DELETE FROM secret_versions').run(); // the previous version kept no history
  db.close();
  return { dir: t.dir, keyValue: key.value, fnId: fn.id, keyId: key.id, cipher };
}

const dump = (dir: string) => {
  const db = new Database(`${dir}/database.db`, { readonly: true });
  try {
    return ['secrets', 'api_keys', 'api_groups', 'functions', 'executions', 'settings'].map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all())).join('\n');
  } finally {
    db.close();
  }
};

describe('the data migration to bound values, encrypted logs and row MACs', () => {
  it('migrates a previous version\'s data once: every value still reads, now bound; the log is ciphertext; no record is marked tampered', () => {
    const old = previousVersionDataDir();
    expect(dump(old.dir)).toContain('CANARY-printed');
    const core = openCore({ dataDir: old.dir });
    cleanups.push(() => core.close());
    expect(core.secrets.getSecret('DB_URL', { functionId: old.fnId })?.value).toBe('CANARY-db-url');
    expect(core.secrets.getSecret('LEVEL', { functionId: old.fnId, keyId: old.keyId })?.value).toBe('CANARY-level');
    expect(core.keys.authenticate(old.keyValue)?.key.name).toBe('ship-key');
    expect(core.functions.list().some((f) => f.tampered) || core.keys.list().some((k) => k.tampered) || core.groups.list().some((g) => g.tampered)).toBe(false);
    expect(core.executions.list(old.fnId)[0]).toMatchObject({ console: [{ message: 'CANARY-printed' }], error: 'CANARY-error-text' });
    // History begins with the value each secret had.
    const dbUrl = core.secrets.list('function', old.fnId)[0]!;
    expect(core.secrets.history(dbUrl.id)).toMatchObject([{ n: 1, change: 'created', changedBy: 'app (history begins)', current: true }]);
    expect(core.secrets.revealVersion(core.secrets.history(dbUrl.id)[0]!.id)).toBe('CANARY-db-url');
    const stored = dump(old.dir);
    expect(stored).not.toContain('CANARY');
    // Bound now: read without the record's binding, a value fails.
    const db = new Database(`${old.dir}/database.db`, { readonly: true });
    const v = db.prepare("SELECT value_encrypted FROM secrets WHERE name = 'DB_URL'").pluck().get() as string;
    db.close();
    expect(() => old.cipher.decrypt(v, 'r', null)).toThrow(/authentication failed/);
  });

  it('a migration interrupted part-way changes nothing, and the next start completes it', () => {
    const old = previousVersionDataDir();
    // An abort in the middle of the migration's transaction (the second secret it rewrites).
    const db = new Database(`${old.dir}/database.db`);
    db.exec(`CREATE TABLE crash_counter (n INTEGER); INSERT INTO crash_counter VALUES (0);
      CREATE TRIGGER crash_mid_migration AFTER UPDATE OF value_encrypted ON secrets BEGIN
        UPDATE crash_counter SET n = n + 1;
        SELECT RAISE(ABORT, 'simulated crash') WHERE (SELECT n FROM crash_counter) >= 2;
      END;`);
    db.close();
    const before = dump(old.dir);
    expect(() => openCore({ dataDir: old.dir })).toThrow(/simulated crash/);
    expect(dump(old.dir)).toBe(before);
    const fix = new Database(`${old.dir}/database.db`);
    fix.exec('DROP TRIGGER crash_mid_migration; DROP TABLE crash_counter;');
    fix.close();
    const core = openCore({ dataDir: old.dir });
    cleanups.push(() => core.close());
    expect(core.secrets.getSecret('DB_URL', { functionId: old.fnId })?.value).toBe('CANARY-db-url');
    expect(dump(old.dir)).not.toContain('CANARY');
  });
});
