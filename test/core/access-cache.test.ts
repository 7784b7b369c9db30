import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { coreTestKit } from '../support/core-test-kit';
import { seedWorld } from '../support/temp-core';

const { fresh } = coreTestKit();

// Resolved answers and authenticated keys are cached (store/access-revision.ts); every
// change to what a caller may get must be seen by the very next call, whichever way it was
// made: the services, a cascade, a rotation, or SQL from another connection.
describe('cached answers follow every change', () => {
  it('getSecret and getCompleteSecret see creates, edits, deletes, cascades and rotations at once', async () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const ctx = { functionId: w.notify.id, keyId: w.shipKey.id };
    const ask = () => t.core.secrets.getSecret('LEVEL', ctx);
    expect(ask()).toBeUndefined();
    const global = t.core.secrets.create({ name: 'LEVEL', value: 'g', scope: 'global' });
    expect(ask()).toEqual({ value: 'g', scope: 'global' });
    const key = t.core.secrets.create({ name: 'LEVEL', value: 'k', scope: 'key', scopeId: w.shipKey.id });
    expect(ask()).toEqual({ value: 'k', scope: 'key' });
    expect(t.core.secrets.getCompleteSecret('LEVEL', ctx)).toMatchObject({ global: 'g', key: { value: 'k' } });
    t.core.secrets.update({ id: key.id, value: 'k2' });
    expect(ask()).toEqual({ value: 'k2', scope: 'key' });
    t.core.secrets.create({ name: 'LEVEL', value: 'grp', scope: 'group', scopeId: w.shipping.id });
    expect(ask()).toEqual({ value: 'k2', scope: 'key' });
    await t.core.rotation.rotateNow();
    expect(ask()).toEqual({ value: 'k2', scope: 'key' });
    // The key goes, and its secrets with it (a trigger); a deleted key belongs to no group.
    t.core.keys.delete(w.shipKey.id);
    expect(ask()).toEqual({ value: 'g', scope: 'global' });
    t.core.secrets.delete(global.id);
    expect(ask()).toBeUndefined();
  });

  it('sees edits made with SQL from another connection', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const ctx = { functionId: w.notify.id, keyId: w.shipKey.id };
    const g = t.core.secrets.create({ name: 'LEVEL', value: 'shipping', scope: 'group', scopeId: w.shipping.id });
    t.core.secrets.create({ name: 'LEVEL', value: 'manufacturing', scope: 'group', scopeId: w.manufacturing.id });
    expect(t.core.secrets.getSecret('LEVEL', ctx)?.value).toBe('shipping');
    const other = new Database(t.core.paths.databaseFile);
    try {
      // The key moves to another group: its group secret changes with it.
      other.prepare('UPDATE api_keys SET group_id = ? WHERE id = ?').run(w.manufacturing.id, w.shipKey.id);
      expect(t.core.secrets.getSecret('LEVEL', ctx)?.value).toBe('manufacturing');
      other.prepare('DELETE FROM secrets WHERE id = ?').run(g.id);
      other.prepare('UPDATE api_keys SET group_id = ? WHERE id = ?').run(w.shipping.id, w.shipKey.id);
      expect(t.core.secrets.getSecret('LEVEL', ctx)).toBeUndefined();
    } finally {
      other.close();
    }
  });

  it('authenticate sees a key moved to another group (refused: its row fails its check), a deleted key, and a new key', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const value = w.shipKey.value;
    expect(t.core.keys.authenticate(value)?.group.name).toBe('shipping');
    const other = new Database(t.core.paths.databaseFile);
    try {
      other.prepare('UPDATE api_keys SET group_id = ? WHERE id = ?').run(w.manufacturing.id, w.shipKey.id);
    } finally {
      other.close();
    }
    expect(t.core.keys.authenticate(value)).toBeNull();
    t.core.keys.delete(w.shipKey.id);
    expect(t.core.keys.authenticate(value)).toBeNull();
    const fresh2 = t.core.keys.create({ groupId: w.shipping.id, name: 'later' });
    expect(t.core.keys.authenticate(fresh2.value)?.key.name).toBe('later');
  });
});
