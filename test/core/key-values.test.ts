import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/api/registry';
import { stubHost } from '../../src/main/api/host-api';
import { coreErrorOf, coreTestKit } from '../support/core-test-kit';
import { apiKeyBinding } from '../../src/main/core/crypto/bindings';
import { Integrity } from '../../src/main/core/crypto/integrity';
import { readKeyFile } from '../../src/main/core/crypto/key-file';
import { KeyRing } from '../../src/main/core/crypto/key-ring';
import { keyIntegrityFields } from '../../src/main/core/keys/keys';

// Keys pulled from a server keep the values its operator chose: a key can be created with a
// given value ([a-zA-Z0-9_-]+), generated when none is given; names follow the platform's
// lowercase rule.
const kit = coreTestKit();

describe('API keys with a given value', () => {
  it('creates a key with the value given, which then authenticates; none given, one is generated', () => {
    const { core } = kit.fresh();
    const g = core.groups.create({ name: 'ops' });
    const given = core.keys.create({ groupId: g.id, name: 'chosen', value: 'CANARY-chosen-Value_1' });
    expect(given.value).toBe('CANARY-chosen-Value_1');
    expect(core.keys.authenticate('CANARY-chosen-Value_1')?.key.id).toBe(given.id);
    expect(core.keys.reveal(given.id)).toBe('CANARY-chosen-Value_1');
    const generated = core.keys.create({ groupId: g.id, name: 'generated' });
    expect(generated.value).toMatch(/^cfk_[A-Za-z0-9_-]{43}$/);
    expect(core.audit.list({ action: 'key.created' }).entries.map((e) => e.detail)).toEqual([{ groupId: g.id }, { groupId: g.id, valueGiven: true }]);
  });

  it('refuses values outside the platform\'s alphabet, and a value another key has, never quoting it', () => {
    const { core } = kit.fresh();
    const g = core.groups.create({ name: 'ops' });
    core.keys.create({ groupId: g.id, name: 'first', value: 'CANARY-shared-value' });
    for (const bad of ['has space', 'dot.ted', '', 'x'.repeat(513)]) {
      const e = coreErrorOf(() => core.keys.create({ groupId: g.id, name: 'second', value: bad }));
      expect(e).toMatchObject({ code: 'VALIDATION', field: 'value' });
    }
    const dup = coreErrorOf(() => core.keys.create({ groupId: g.id, name: 'second', value: 'CANARY-shared-value' }));
    expect(dup).toMatchObject({ code: 'CONFLICT', field: 'value', message: 'Another API key already has this value.' });
    expect(core.keys.list(g.id).map((k) => k.name)).toEqual(['first']);
  });

  it('replaces a key\'s value: the old one stops working, the new one is bound and sealed like a new key', () => {
    const { core, dir: _dir } = kit.fresh();
    const g = core.groups.create({ name: 'ops' });
    const k = core.keys.create({ groupId: g.id, name: 'svc', value: 'CANARY-old-value' });
    core.keys.update({ id: k.id, value: 'CANARY-new-value' });
    expect(core.keys.authenticate('CANARY-old-value')).toBeNull();
    expect(core.keys.authenticate('CANARY-new-value')?.key.id).toBe(k.id);
    expect(core.keys.list(g.id)[0]!.tampered).toBeUndefined();
    expect(core.audit.list({ action: 'key.updated' }).entries[0]!.detail).toEqual({ fields: ['value'] });
    const db = new Database(core.paths.databaseFile, { readonly: true });
    const bytes = JSON.stringify(db.prepare('SELECT * FROM api_keys').all());
    db.close();
    expect(bytes).not.toMatch(/CANARY-/);
  });

  it('key names follow the platform\'s rule: lowercase; a name from before the rule stays until it is changed', async () => {
    const t = kit.fresh();
    const g = t.core.groups.create({ name: 'ops' });
    expect(coreErrorOf(() => t.core.keys.create({ groupId: g.id, name: 'Billing' }))).toMatchObject({ field: 'name', message: expect.stringMatching(/lowercase/) });
    const dispatch = createDispatcher({ core: t.core, host: stubHost(), mode: 'browser' });
    expect(await dispatch('keys.create', { groupId: g.id, name: 'Billing' })).toMatchObject({ ok: false, error: { field: 'name' } });
    expect(await dispatch('keys.create', { groupId: g.id, name: 'svc', value: 'bad value' })).toMatchObject({ ok: false, error: { field: 'value' } });
    expect(await dispatch('keys.create', { groupId: g.id, name: 'svc', value: 'CANARY-good_value' })).toMatchObject({ ok: true, data: { value: 'CANARY-good_value' } });
    // A key named before the rule, as the app of then wrote it: renamed in the database here,
    // with its value re-bound and its row MAC re-sealed under this installation's keys (an
    // edit without them would be a tampered row, which update refuses).
    const legacy = t.core.keys.create({ groupId: g.id, name: 'legacy' });
    t.core.close();
    const keys = readKeyFile(t.core.paths.keyFile)!;
    const cipher = new KeyRing(keys).cipher;
    const db = new Database(t.core.paths.databaseFile);
    const row = db.prepare('SELECT * FROM api_keys WHERE id = ?').get(legacy.id) as { value_hash: string };
    db.prepare("UPDATE api_keys SET name = 'Legacy', value_encrypted = ?, integrity = ? WHERE id = ?").run(
      cipher.encrypt(legacy.value, apiKeyBinding({ group_id: g.id, name: 'Legacy' })),
      new Integrity(keys.hashKey).seal('api_key', keyIntegrityFields({ id: legacy.id, group_id: g.id, name: 'Legacy', value_hash: row.value_hash })),
      legacy.id,
    );
    db.close();
    const core = t.reopen();
    expect(core.keys.list().find((k) => k.id === legacy.id)).not.toHaveProperty('tampered');
    expect(core.keys.update({ id: legacy.id, name: 'Legacy', description: 'kept' }).description).toBe('kept');
    expect(core.keys.reveal(legacy.id)).toBe(legacy.value);
    expect(coreErrorOf(() => core.keys.update({ id: legacy.id, name: 'Other' })).field).toBe('name');
  });
});
