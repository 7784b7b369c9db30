import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { coreErrorOf, coreTestKit } from '../support/core-test-kit';
import { seedWorld } from '../support/temp-core';

const { cleanups, fresh } = coreTestKit();
const err = coreErrorOf;

describe('secret naming rules (spec)', () => {
  const valid = ['API_KEY', 'DATABASE_URL', 'SMTP_HOST', 'stripe-webhook-secret', 'oauth_client_id', 'ThirdPartyToken'];
  const invalid = ['api.key', 'my secret', 'secret@example', '', 'naïve', 'a/b', 'x:y', 'tab\tname', 'semi;colon'];

  it.each(valid)('accepts %s', (name) => {
    const t = fresh();
    expect(t.core.secrets.create({ name, value: 'v', scope: 'global' }).name).toBe(name);
  });

  it.each(invalid)('rejects %j with a validation error on field "name", storing nothing', (name) => {
    const t = fresh();
    const e = err(() => t.core.secrets.create({ name, value: 'v', scope: 'global' }));
    expect(e.code).toBe('VALIDATION');
    expect(e.field).toBe('name');
    expect(t.core.secrets.list('global')).toEqual([]);
  });

  it('is case-sensitive: API_KEY and api_key are different secrets', () => {
    const t = fresh();
    t.core.secrets.create({ name: 'API_KEY', value: 'upper', scope: 'global' });
    t.core.secrets.create({ name: 'api_key', value: 'lower', scope: 'global' });
    const w = seedWorld(t.core);
    expect(t.core.secrets.getSecret('API_KEY', { functionId: w.report.id })?.value).toBe('upper');
    expect(t.core.secrets.getSecret('api_key', { functionId: w.report.id })?.value).toBe('lower');
    expect(t.core.secrets.getSecret('Api_Key', { functionId: w.report.id })).toBeUndefined();
  });
});

describe('uniqueness within a scope', () => {
  it('rejects a duplicate global name (no NULL scope id loophole)', () => {
    const t = fresh();
    t.core.secrets.create({ name: 'DUP', value: '1', scope: 'global' });
    const e = err(() => t.core.secrets.create({ name: 'DUP', value: '2', scope: 'global' }));
    expect(e.code).toBe('CONFLICT');
    expect(e.field).toBe('name');
    expect(e.message).not.toContain('2');
    expect(t.core.secrets.list('global')).toHaveLength(1);
  });

  it('rejects duplicate global rows even when written with raw SQL', () => {
    const t = fresh();
    t.core.secrets.create({ name: 'RAW', value: '1', scope: 'global' });
    const db = new Database(t.core.paths.databaseFile);
    cleanups.push(() => db.close());
    expect(() =>
      db.prepare("INSERT INTO secrets (name, value_encrypted, value_length, scope, scope_id, created_at, updated_at) VALUES ('RAW', 'Ax', 1, 'global', 0, '', '')").run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare("INSERT INTO secrets (name, value_encrypted, value_length, scope, scope_id, created_at, updated_at) VALUES ('RAW2', 'Ax', 1, 'global', NULL, '', '')").run(),
    ).toThrow(/NOT NULL/);
  });

  it('rejects duplicates per function, group and key, but allows the same name in other records and scopes', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const scopes = [
      { scope: 'function' as const, scopeId: w.notify.id, other: w.report.id },
      { scope: 'group' as const, scopeId: w.shipping.id, other: w.manufacturing.id },
      { scope: 'key' as const, scopeId: w.shipKey.id, other: w.mfgKey.id },
    ];
    t.core.secrets.create({ name: 'SAME', value: 'g', scope: 'global' });
    for (const s of scopes) {
      t.core.secrets.create({ name: 'SAME', value: 'a', scope: s.scope, scopeId: s.scopeId });
      expect(err(() => t.core.secrets.create({ name: 'SAME', value: 'b', scope: s.scope, scopeId: s.scopeId })).code).toBe('CONFLICT');
      t.core.secrets.create({ name: 'SAME', value: 'c', scope: s.scope, scopeId: s.other });
    }
    expect(t.core.secrets.inspect('SAME').definitions).toHaveLength(7);
  });

  it('renaming into an existing name of the same scope is refused and changes nothing', () => {
    const t = fresh();
    t.core.secrets.create({ name: 'ONE', value: '1', scope: 'global' });
    const two = t.core.secrets.create({ name: 'TWO', value: '2', scope: 'global' });
    expect(err(() => t.core.secrets.update({ id: two.id, name: 'ONE', value: 'changed' })).code).toBe('CONFLICT');
    expect(t.core.secrets.reveal(two.id)).toBe('2');
    expect(t.core.secrets.list('global').map((s) => s.name)).toEqual(['ONE', 'TWO']);
  });
});

describe('scope records and values', () => {
  it('needs a scopeId naming an existing record for non-global scopes, and none for global', () => {
    const t = fresh();
    expect(err(() => t.core.secrets.create({ name: 'X', value: 'v', scope: 'function' })).field).toBe('scopeId');
    expect(err(() => t.core.secrets.create({ name: 'X', value: 'v', scope: 'key', scopeId: 999 })).message).toMatch(/API key #999 does not exist/);
    expect(err(() => t.core.secrets.create({ name: 'X', value: 'v', scope: 'global', scopeId: 1 })).field).toBe('scopeId');
    expect(err(() => t.core.secrets.create({ name: 'X', value: 'v', scope: 'team' as never })).field).toBe('scope');
  });

  it('limits values to 16 KiB of UTF-8 with a clear error naming the field', () => {
    const t = fresh();
    expect(t.core.secrets.create({ name: 'MAX', value: 'x'.repeat(16 * 1024), scope: 'global' }).valueLength).toBe(16384);
    const e = err(() => t.core.secrets.create({ name: 'BIG', value: 'é'.repeat(8193), scope: 'global' }));
    expect(e.field).toBe('value');
    expect(e.message).toMatch(/16386 bytes; the limit is 16384/);
    expect(t.core.secrets.names()).toEqual(['MAX']);
  });

  it('lists masked summaries (no value) and reveals one value on request', () => {
    const t = fresh();
    const s = t.core.secrets.create({ name: 'TOKEN', value: 'hunter2', scope: 'global', comment: 'for tests' });
    const [listed] = t.core.secrets.list('global');
    expect(listed).toMatchObject({ id: s.id, name: 'TOKEN', comment: 'for tests', valueLength: 7, scopeId: null });
    expect(JSON.stringify(t.core.secrets.list('global'))).not.toContain('hunter2');
    expect(t.core.secrets.reveal(s.id)).toBe('hunter2');
  });

  it('lists by name, and with a limit only the first by name of that scope', () => {
    const t = fresh();
    for (const n of ['DELTA', 'ALPHA', 'CHARLIE', 'BRAVO']) t.core.secrets.create({ name: n, value: 'v', scope: 'global' });
    const g = t.core.groups.create({ name: 'team' });
    t.core.secrets.create({ name: 'AAA', value: 'v', scope: 'group', scopeId: g.id });
    const names = (limit?: number) => t.core.secrets.list('global', null, limit).map((s) => s.name);
    expect(names()).toEqual(['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA']);
    expect(names(2)).toEqual(['ALPHA', 'BRAVO']);
    expect(names(10)).toEqual(['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA']);
    expect(t.core.secrets.list('group', g.id, 1)).toMatchObject([{ name: 'AAA', scope: 'group', scopeId: g.id }]);
  });

  it('updates value and comment, keeping what is not given', () => {
    const t = fresh();
    const s = t.core.secrets.create({ name: 'U', value: 'old', scope: 'global', comment: 'c' });
    t.core.secrets.update({ id: s.id, value: 'new' });
    expect(t.core.secrets.reveal(s.id)).toBe('new');
    expect(t.core.secrets.list('global')[0]!.comment).toBe('c');
    t.core.secrets.update({ id: s.id, comment: null });
    expect(t.core.secrets.list('global')[0]!.comment).toBeNull();
    expect(t.core.secrets.reveal(s.id)).toBe('new');
  });

  it('lists distinct names over all scopes and searches them case-insensitively (underscore is literal)', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    t.core.secrets.create({ name: 'DB_URL', value: '1', scope: 'global' });
    t.core.secrets.create({ name: 'DB_URL', value: '2', scope: 'function', scopeId: w.notify.id });
    t.core.secrets.create({ name: 'dbXurl', value: '3', scope: 'group', scopeId: w.shipping.id });
    t.core.secrets.create({ name: 'OTHER', value: '4', scope: 'key', scopeId: w.shipKey.id });
    expect(t.core.secrets.names()).toEqual(['DB_URL', 'OTHER', 'dbXurl']);
    expect(t.core.secrets.names('db_')).toEqual(['DB_URL']);
    expect(t.core.secrets.names('URL')).toEqual(['DB_URL', 'dbXurl']);
  });

  it('stores ciphertext only, in the VERSION + base64(IV || ciphertext || tag) format (read from the file directly)', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    t.core.secrets.create({ name: 'PLAIN_CHECK', value: 'very-secret-value-123', scope: 'global' });
    t.core.secrets.create({ name: 'PLAIN_CHECK', value: 'very-secret-value-123', scope: 'function', scopeId: w.notify.id });
    t.core.close();
    const db = new Database(t.core.paths.databaseFile, { readonly: true });
    cleanups.push(() => db.close());
    const rows = db.prepare('SELECT value_encrypted FROM secrets').all() as { value_encrypted: string }[];
    for (const { value_encrypted: v } of rows) {
      expect(v).toMatch(/^A[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(v.slice(1), 'base64').length).toBe(12 + 'very-secret-value-123'.length + 16);
    }
    expect(rows[0]!.value_encrypted).not.toBe(rows[1]!.value_encrypted); // unique IV each
    const keyRows = db.prepare('SELECT value_encrypted, value_hash FROM api_keys').all() as { value_encrypted: string; value_hash: string }[];
    expect(keyRows.length).toBe(3);
    for (const k of keyRows) {
      expect(k.value_encrypted).toMatch(/^A[A-Za-z0-9+/]+=*$/);
      expect(k.value_hash).toMatch(/^[0-9a-f]{64}$/);
    }
    db.close();
    const fileText = readFileSync(t.core.paths.databaseFile).toString('latin1');
    expect(fileText).not.toContain('very-secret-value-123');
    expect(fileText).not.toContain(w.shipKey.value);
  });
});
