import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MANAGEMENT_GROUP } from '../../src/shared/rules';
import { startApi, type ApiWorld } from '../api/helpers';
import { coreTestKit } from '../support/core-test-kit';

const { fresh } = coreTestKit();
const worlds: ApiWorld[] = [];
afterEach(async () => {
  while (worlds.length) await worlds.pop()!.close();
});

describe('the audit log', () => {
  it('records every change and disclosure, by whom, and never a value', async () => {
    const w = await startApi();
    worlds.push(w);
    const ok = async (op: string, input: unknown, headers?: Record<string, string>) => {
      const r = await w.rpc(op, input, headers);
      expect(r.body.ok, `${op}: ${JSON.stringify(r.body.error)}`).toBe(true);
      return r.body.data;
    };
    const g = await ok('groups.create', { name: 'shipping' });
    await ok('groups.update', { id: g.id, description: 'boats' });
    const key = await ok('keys.create', { groupId: g.id, name: 'ship-key' });
    await ok('keys.reveal', { id: key.id });
    await ok('keys.reveal', { id: key.id, purpose: 'copy' });
    const fn = await ok('functions.create', { name: 'notify', route: '/notify', methods: ['POST'], handler: 'notify.ts', groupIds: [g.id] });
    await ok('functions.update', { id: fn.id, route: '/notify2' });
    const s = await ok('secrets.create', { name: 'RECIPIENT', value: 'CANARY-audit-first', scope: 'group', scopeId: g.id });
    await ok('secrets.update', { id: s.id, value: 'CANARY-audit-second' });
    await ok('secrets.reveal', { id: s.id });
    await ok('secrets.reveal', { id: s.id, purpose: 'copy' });
    const versions = await ok('secrets.history', { id: s.id });
    await ok('secrets.restore', { versionId: versions[1].id });
    await ok('secrets.delete', { id: s.id });
    await ok('settings.set', { logRetention: 50 });
    await ok('rotation.rotateNow', {});
    // A management key on the admin API: its calls are recorded with its name.
    const mgmt = w.t.core.groups.getByName(MANAGEMENT_GROUP)!;
    const admin = await ok('keys.create', { groupId: mgmt.id, name: 'ops-admin' });
    await ok('groups.list', {}, { 'x-api-key': admin.value });
    await ok('secrets.create', { name: 'FROM_API', value: 'CANARY-audit-api', scope: 'global' }, { 'x-api-key': admin.value });
    await ok('keys.delete', { id: key.id });
    await ok('functions.delete', { id: fn.id });
    await ok('groups.delete', { id: g.id });

    const { entries, chain } = await ok('audit.list', { limit: 1000 });
    expect(chain).toMatchObject({ ok: true });
    const actions = entries.map((e: { action: string }) => e.action).reverse();
    for (const a of [
      'group.created', 'group.updated', 'key.created', 'key.revealed', 'key.copied', 'function.created', 'function.updated',
      'secret.created', 'secret.updated', 'secret.revealed', 'secret.copied', 'secret.restored', 'secret.deleted', 'settings.changed',
      'rotation.started', 'rotation.finished', 'admin-api.called', 'key.deleted', 'function.deleted', 'group.deleted',
    ]) {
      expect(actions, a).toContain(a);
    }
    const updated = entries.find((e: { action: string }) => e.action === 'secret.updated');
    expect(updated).toMatchObject({ actor: 'browser session', recordKind: 'secret', recordName: 'RECIPIENT', scope: 'group', detail: { fields: ['value'] } });
    const byApi = entries.filter((e: { actor: string }) => e.actor.startsWith('admin API key "ops-admin"'));
    expect(byApi.map((e: { action: string; detail: { operation?: string } }) => [e.action, e.detail.operation ?? null])).toEqual(
      expect.arrayContaining([['admin-api.called', 'groups.list'], ['admin-api.called', 'secrets.create'], ['secret.created', null]]),
    );
    // No value anywhere: not in the entries, not in the database file.
    const everything = JSON.stringify(entries) + readFileSync(w.t.core.paths.databaseFile).toString('latin1');
    for (const v of ['CANARY-audit-first', 'CANARY-audit-second', 'CANARY-audit-api', key.value, admin.value]) expect(everything).not.toContain(v);
    // Export: JSON lines, oldest first.
    const exported = await ok('audit.export', { action: 'secret.' });
    const lines = exported.jsonl.split('\n').map((l: string) => JSON.parse(l));
    expect(lines[0].action).toBe('secret.created');
    expect(lines.every((l: { action: string }) => l.action.startsWith('secret.'))).toBe(true);
    expect(exported.fileName).toMatch(/^crude-functions-audit-\d{4}-\d{2}-\d{2}\.jsonl$/);
  });

  it('says plainly where the chain is broken: an entry edited, removed or inserted', () => {
    const t = fresh();
    for (let i = 0; i < 5; i++) t.core.groups.create({ name: `g${i}` });
    const ids = t.core.audit.list().entries.map((e) => e.id).reverse();
    expect(t.core.audit.verify()).toEqual({ ok: true, checked: 5 });
    const db = new Database(t.core.paths.databaseFile);
    try {
      const original = db.prepare('SELECT record_name FROM audit_log WHERE id = ?').pluck().get(ids[2]);
      db.prepare("UPDATE audit_log SET record_name = 'innocent' WHERE id = ?").run(ids[2]);
      expect(t.core.audit.verify()).toMatchObject({ ok: false, checked: 2, brokenAt: { id: ids[2] } });
      db.prepare('UPDATE audit_log SET record_name = ? WHERE id = ?').run(original, ids[2]);
      expect(t.core.audit.verify().ok).toBe(true);
      const row = db.prepare('SELECT * FROM audit_log WHERE id = ?').get(ids[1]) as Record<string, unknown>;
      db.prepare('DELETE FROM audit_log WHERE id = ?').run(ids[1]);
      expect(t.core.audit.verify()).toMatchObject({ ok: false, brokenAt: { id: ids[2] } });
      db.prepare('INSERT INTO audit_log (id, at, actor, action, record_kind, record_id, record_name, scope, scope_id, detail, mac) VALUES (@id, @at, @actor, @action, @record_kind, @record_id, @record_name, @scope, @scope_id, @detail, @mac)').run(row);
      expect(t.core.audit.verify().ok).toBe(true);
    } finally {
      db.close();
    }
  });

  it('keeps the chain verifiable after retention drops the oldest entries; a forged start is seen', () => {
    const t = fresh();
    t.core.settings.set({ auditRetention: 100 });
    for (let i = 0; i < 260; i++) t.core.audit.append({ action: 'settings.changed', detail: { i } });
    t.core.audit.trim();
    expect(t.core.audit.list().total).toBe(100);
    expect(t.core.audit.verify()).toEqual({ ok: true, checked: 100 });
    const db = new Database(t.core.paths.databaseFile);
    try {
      // Dropping more of the head by hand, with the anchor moved along, is not a valid start.
      const first = db.prepare('SELECT id, mac FROM audit_log ORDER BY id LIMIT 1').get() as { id: number; mac: string };
      db.prepare('DELETE FROM audit_log WHERE id = ?').run(first.id);
      const anchor = JSON.parse(db.prepare("SELECT value FROM settings WHERE key = 'meta.auditAnchor'").pluck().get() as string);
      db.prepare("UPDATE settings SET value = ? WHERE key = 'meta.auditAnchor'").run(JSON.stringify(JSON.stringify({ ...JSON.parse(anchor), mac: first.mac, throughId: first.id })));
    } finally {
      db.close();
    }
    expect(t.core.audit.verify().ok).toBe(false);
  });
});
