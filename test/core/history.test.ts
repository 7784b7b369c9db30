import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreTestKit } from '../support/core-test-kit';
import { seedWorld } from '../support/temp-core';

const { fresh } = coreTestKit();

describe('secret history and restore', () => {
  it('keeps every earlier value with when and through what; a restore is a new version', async () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const s = t.core.secrets.create({ name: 'RECIPIENT', value: 'CANARY-v1', scope: 'group', scopeId: w.shipping.id, comment: 'first' });
    t.core.secrets.update({ id: s.id, value: 'CANARY-v2' });
    t.core.secrets.update({ id: s.id, comment: 'second' });
    const versions = t.core.secrets.history(s.id);
    expect(versions.map((v) => [v.n, v.change, v.detail.fields ?? [], v.current])).toEqual([
      [3, 'updated', ['comment'], true],
      [2, 'updated', ['value'], false],
      [1, 'created', [], false],
    ]);
    expect(versions.every((v) => v.changedBy === 'app' && !('value' in v))).toBe(true);
    expect(t.core.secrets.revealVersion(versions[2]!.id)).toBe('CANARY-v1');
    // Restore version 1: the value comes back, as version 4 — history is never rewritten.
    expect(t.core.secrets.restore(versions[2]!.id)).toMatchObject({ id: s.id, comment: 'first' });
    expect(t.core.secrets.reveal(s.id)).toBe('CANARY-v1');
    expect(t.core.secrets.history(s.id).map((v) => [v.n, v.change, v.detail.restoredFrom ?? null])).toEqual([
      [4, 'restored', 1],
      [3, 'updated', null],
      [2, 'updated', null],
      [1, 'created', null],
    ]);
  });

  it('a deleted secret is listed per scope and comes back, with its history', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const s = t.core.secrets.create({ name: 'GONE', value: 'CANARY-gone', scope: 'function', scopeId: w.notify.id });
    t.core.secrets.delete(s.id);
    const deleted = t.core.secrets.deleted('function', w.notify.id);
    expect(deleted).toMatchObject([{ name: 'GONE', scope: 'function', scopeId: w.notify.id, versions: 2 }]);
    expect(t.core.secrets.deleted('global')).toEqual([]);
    const back = t.core.secrets.restore(deleted[0]!.versionId);
    expect(back).toMatchObject({ name: 'GONE', scope: 'function', scopeId: w.notify.id });
    expect(t.core.secrets.getSecret('GONE', { functionId: w.notify.id })?.value).toBe('CANARY-gone');
    expect(t.core.secrets.deleted('function', w.notify.id)).toEqual([]);
    expect(t.core.secrets.history(back.id).map((v) => v.change)).toEqual(['restored', 'deleted', 'created']);
  });

  it('a rename ends the old name\'s history and starts the new one\'s', () => {
    const t = fresh();
    const s = t.core.secrets.create({ name: 'OLD_NAME', value: 'v', scope: 'global' });
    t.core.secrets.update({ id: s.id, name: 'NEW_NAME' });
    expect(t.core.secrets.history(s.id).map((v) => [v.change, v.detail.renamedFrom])).toEqual([['renamed', 'OLD_NAME']]);
    expect(t.core.secrets.historyAt('global', null, 'OLD_NAME').map((v) => [v.change, v.detail.renamedTo ?? null])).toEqual([
      ['renamed', 'NEW_NAME'],
      ['created', null],
    ]);
    expect(t.core.secrets.deleted('global').map((d) => d.name)).toEqual(['OLD_NAME']);
  });

  it('versions survive a rotation and a restart, and are ciphertext on disk', async () => {
    const t = fresh();
    const s = t.core.secrets.create({ name: 'KEPT', value: 'CANARY-old-value', scope: 'global' });
    t.core.secrets.update({ id: s.id, value: 'CANARY-new-value' });
    await t.core.rotation.rotateNow();
    const core = t.reopen();
    const versions = core.secrets.history(s.id);
    expect(versions.map((v) => core.secrets.revealVersion(v.id))).toEqual(['CANARY-new-value', 'CANARY-old-value']);
    const db = new Database(core.paths.databaseFile, { readonly: true });
    expect((db.prepare('SELECT DISTINCT substr(value_encrypted, 1, 1) FROM secret_versions').pluck().all() as string[])).toEqual(['B']);
    db.close();
    expect(readFileSync(core.paths.databaseFile).toString('latin1')).not.toContain('CANARY-old-value');
  });

  it('retention keeps the newest N versions and every version younger than the days set', () => {
    const t = fresh();
    t.core.settings.set({ historyKeepVersions: 3, historyKeepDays: 0 });
    const s = t.core.secrets.create({ name: 'CHURN', value: 'v0', scope: 'global' });
    for (let i = 1; i <= 6; i++) t.core.secrets.update({ id: s.id, value: `v${i}` });
    expect(t.core.secrets.history(s.id).map((v) => v.n)).toEqual([7, 6, 5]);
    // With days set, young versions stay beyond the count.
    t.core.settings.set({ historyKeepVersions: 1, historyKeepDays: 30 });
    t.core.secrets.update({ id: s.id, value: 'v7' });
    expect(t.core.secrets.history(s.id).map((v) => v.n)).toEqual([8, 7, 6, 5]);
  });

  it('a version moved to another secret (SQL) fails to decrypt, naming it', () => {
    const t = fresh();
    const a = t.core.secrets.create({ name: 'A_SECRET', value: 'CANARY-a', scope: 'global' });
    const b = t.core.secrets.create({ name: 'B_SECRET', value: 'CANARY-b', scope: 'global' });
    const db = new Database(t.core.paths.databaseFile);
    const va = db.prepare("SELECT value_encrypted FROM secret_versions WHERE name = 'A_SECRET'").pluck().get();
    db.prepare("UPDATE secret_versions SET value_encrypted = ? WHERE name = 'B_SECRET'").run(va);
    db.close();
    expect(() => t.core.secrets.revealVersion(t.core.secrets.history(b.id)[0]!.id)).toThrow(/version 1 of secret "B_SECRET".*authentication failed/);
    expect(t.core.secrets.revealVersion(t.core.secrets.history(a.id)[0]!.id)).toBe('CANARY-a');
  });
});
