import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { coreErrorOf, coreTestKit } from '../support/core-test-kit';
import { seedWorld, tempDir } from '../support/temp-core';

const { cleanups, fresh } = coreTestKit();
const err = coreErrorOf;
function count(file: string, sql: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('API key groups', () => {
  it('has a management group after first start that cannot be deleted or renamed', () => {
    const t = fresh();
    const mgmt = t.core.groups.getByName('management')!;
    expect(mgmt).toBeDefined();
    expect(err(() => t.core.groups.delete(mgmt.id)).code).toBe('IN_USE');
    expect(err(() => t.core.groups.update({ id: mgmt.id, name: 'admins' })).field).toBe('name');
  });

  it('names are unique and lowercase [a-z0-9_-]', () => {
    const t = fresh();
    t.core.groups.create({ name: 'shipping_2-a' });
    expect(err(() => t.core.groups.create({ name: 'shipping_2-a' })).code).toBe('CONFLICT');
    for (const bad of ['Shipping', 'ship ping', 'ship.ping', '']) {
      expect(err(() => t.core.groups.create({ name: bad })).field).toBe('name');
    }
  });
});

describe('API keys', () => {
  it('generates at least 32 random bytes, URL-safe, returned once at creation', () => {
    const t = fresh();
    const g = t.core.groups.create({ name: 'g' });
    const k = t.core.keys.create({ groupId: g.id, name: 'k1' });
    expect(k.value).toMatch(/^cfk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(k.value.slice(4), 'base64url').length).toBe(32);
    expect(JSON.stringify(t.core.keys.list())).not.toContain(k.value);
    expect(t.core.keys.reveal(k.id)).toBe(k.value);
    const k2 = t.core.keys.create({ groupId: g.id, name: 'k2' });
    expect(k2.value).not.toBe(k.value);
  });

  it('authenticates by value, returning the key and its group; unknown or altered values fail', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const auth = t.core.keys.authenticate(w.shipKey.value)!;
    expect(auth.key.id).toBe(w.shipKey.id);
    expect(auth.group).toEqual({ id: w.shipping.id, name: 'shipping' });
    expect(t.core.keys.authenticate(`${w.shipKey.value}x`)).toBeNull();
    expect(t.core.keys.authenticate(w.shipKey.value.slice(0, -1))).toBeNull();
    expect(t.core.keys.authenticate('')).toBeNull();
    expect(t.core.keys.authenticate('x'.repeat(10_000))).toBeNull();
  });

  it('stores an HMAC of the value for lookup, not the value', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    t.core.close();
    const db = new Database(t.core.paths.databaseFile, { readonly: true });
    cleanups.push(() => db.close());
    const rows = db.prepare('SELECT value_hash, value_encrypted FROM api_keys').all() as { value_hash: string; value_encrypted: string }[];
    expect(rows.some((r) => r.value_hash.includes(w.shipKey.value) || r.value_encrypted.includes(w.shipKey.value))).toBe(false);
  });

  it('names are unique within a group, not across groups', () => {
    const t = fresh();
    const a = t.core.groups.create({ name: 'a' });
    const b = t.core.groups.create({ name: 'b' });
    t.core.keys.create({ groupId: a.id, name: 'svc' });
    t.core.keys.create({ groupId: b.id, name: 'svc' });
    const e = err(() => t.core.keys.create({ groupId: a.id, name: 'svc' }));
    expect(e.code).toBe('CONFLICT');
    expect(e.field).toBe('name');
    expect(err(() => t.core.keys.create({ groupId: 999, name: 'x' })).field).toBe('groupId');
  });
});

describe('functions', () => {
  it('refuses two functions answering the same method on the same normalised route', () => {
    const t = fresh();
    t.core.functions.create({ name: 'a', route: '/users/:id', methods: ['GET', 'POST'], handler: 'a.ts' });
    const e = err(() => t.core.functions.create({ name: 'b', route: '/users/:key/', methods: ['POST'], handler: 'b.ts' }));
    expect(e.code).toBe('CONFLICT');
    expect(e.field).toBe('route');
    expect(e.message).toContain('"a"');
    expect(e.message).toContain('POST');
    // Another method on the same route is fine, and so is another route.
    t.core.functions.create({ name: 'c', route: '/users/:key', methods: ['DELETE'], handler: 'c.ts' });
    t.core.functions.create({ name: 'd', route: '/users/:id/posts', methods: ['GET'], handler: 'd.ts' });
    // An update into a conflict is refused too.
    const c = t.core.functions.list().find((f) => f.name === 'c')!;
    expect(err(() => t.core.functions.update({ id: c.id, methods: ['GET'] })).code).toBe('CONFLICT');
    expect(t.core.functions.get(c.id).methods).toEqual(['DELETE']);
  });

  it('validates name, route, methods, handler path and groups, naming the field', () => {
    const t = fresh();
    const base = { name: 'f', route: '/f', methods: ['GET' as const], handler: 'f.ts' };
    expect(err(() => t.core.functions.create({ ...base, name: 'bad name' })).field).toBe('name');
    expect(err(() => t.core.functions.create({ ...base, route: 'no-slash' })).field).toBe('route');
    expect(err(() => t.core.functions.create({ ...base, route: '/a/:id/:id' })).field).toBe('route');
    expect(err(() => t.core.functions.create({ ...base, methods: [] })).field).toBe('methods');
    expect(err(() => t.core.functions.create({ ...base, methods: ['FETCH' as never] })).field).toBe('methods');
    expect(err(() => t.core.functions.create({ ...base, handler: '../escape.ts' })).field).toBe('handler');
    expect(err(() => t.core.functions.create({ ...base, handler: '/etc/passwd.js' })).field).toBe('handler');
    expect(err(() => t.core.functions.create({ ...base, handler: 'f.py' })).field).toBe('handler');
    expect(err(() => t.core.functions.create({ ...base, groupIds: [424242] })).field).toBe('groupIds');
    t.core.functions.create(base);
    expect(err(() => t.core.functions.create({ ...base, route: '/other' })).code).toBe('CONFLICT');
    expect(t.core.functions.list()).toHaveLength(1);
  });

  it('writes a starter handler when the file does not exist, and keeps an existing one', () => {
    const t = fresh();
    t.core.code.write('mine.ts', 'export default async (c) => c.text("mine")');
    t.core.functions.create({ name: 'new', route: '/new', methods: ['GET'], handler: 'sub/new.ts' });
    t.core.functions.create({ name: 'mine', route: '/mine', methods: ['GET'], handler: 'mine.ts' });
    expect(t.core.code.read('sub/new.ts')).toContain('export default async function');
    expect(t.core.code.read('mine.ts')).toContain('c.text("mine")');
  });

  it('refuses code paths that leave code/: .., absolute, and symlinks out', () => {
    const t = fresh();
    const outside = tempDir();
    cleanups.push(outside.cleanup);
    symlinkSync(outside.dir, join(t.core.paths.codeDir, 'link'));
    mkdirSync(join(t.core.paths.codeDir, 'ok'), { recursive: true });
    for (const p of ['../x.ts', 'a/../../x.ts', '/etc/x.ts', 'link/evil.ts']) {
      expect(err(() => t.core.code.write(p, 'x')).field).toBe('path');
    }
    expect(err(() => t.core.functions.create({ name: 'l', route: '/l', methods: ['GET'], handler: 'link/evil.ts' })).field).toBe('path');
    expect(existsSync(join(outside.dir, 'evil.ts'))).toBe(false);
    t.core.code.write('ok/fine.ts', 'export default 1');
    expect(t.core.code.list().map((f) => f.path)).toEqual(['ok/fine.ts']);
  });

  it('a symlink planted where a save puts its temp file does not send the write elsewhere', () => {
    const t = fresh();
    const target = join(t.core.paths.codeDir, 'handler.ts');
    const keysBefore = readFileSync(t.core.paths.keyFile, 'utf8');
    // The name the save used to write through before renaming, and a few guesses like it.
    for (const name of [`${target}.${process.pid}.saving`, `${target}.saving`, `${target}.tmp`]) symlinkSync(t.core.paths.keyFile, name);
    t.core.code.write('handler.ts', 'export default async (c) => c.text("saved")');
    expect(readFileSync(t.core.paths.keyFile, 'utf8')).toBe(keysBefore);
    expect(readFileSync(target, 'utf8')).toBe('export default async (c) => c.text("saved")');
    expect(lstatSync(target).isSymbolicLink()).toBe(false);
  });

  it('a NUL byte in a code path is a validation error naming the field, not an internal error', () => {
    const t = fresh();
    for (const op of [() => t.core.code.write('a\u0000.ts', 'x'), () => t.core.code.read('x\u0000y'), () => t.core.code.delete('\u0000')]) {
      expect(err(op)).toMatchObject({ code: 'VALIDATION', field: 'path' });
    }
  });
});

describe('cascade deletes, previewed beforehand, in one transaction', () => {
  it('deleting a function removes its secrets and log; the preview said so', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    t.core.secrets.create({ name: 'F1', value: 'v', scope: 'function', scopeId: w.notify.id });
    t.core.secrets.create({ name: 'F2', value: 'v', scope: 'function', scopeId: w.notify.id });
    t.core.secrets.create({ name: 'F1', value: 'v', scope: 'function', scopeId: w.report.id });
    t.core.executions.record({ functionId: w.notify.id, requestId: 'r', at: '', method: 'GET', path: '/', status: 200, durationMs: 1, keyId: null, keyName: null, groupName: null, console: [], error: null, trace: [] });
    const preview = t.core.secrets.deletePreview('function', w.notify.id);
    expect(preview.secrets.map((s) => s.name)).toEqual(['F1', 'F2']);
    expect(t.core.functions.delete(w.notify.id)).toEqual(preview);
    expect(t.core.secrets.names()).toEqual(['F1']);
    expect(count(t.core.paths.databaseFile, 'SELECT COUNT(*) AS n FROM executions')).toBe(0);
  });

  it('deleting a key removes its key-scoped secrets only', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    t.core.secrets.create({ name: 'K', value: 'v', scope: 'key', scopeId: w.shipKey.id });
    t.core.secrets.create({ name: 'K', value: 'v', scope: 'key', scopeId: w.shipKey2.id });
    t.core.secrets.create({ name: 'G', value: 'v', scope: 'group', scopeId: w.shipping.id });
    expect(t.core.keys.delete(w.shipKey.id).secrets.map((s) => s.scopeId)).toEqual([w.shipKey.id]);
    expect(t.core.secrets.inspect('K').definitions.map((d) => d.scopeId)).toEqual([w.shipKey2.id]);
    expect(t.core.secrets.inspect('G').definitions).toHaveLength(1);
    expect(t.core.keys.authenticate(w.shipKey.value)).toBeNull();
  });

  it('deleting a group removes its keys, their secrets and its group secrets', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const lonely = t.core.groups.create({ name: 'lonely' });
    const k1 = t.core.keys.create({ groupId: lonely.id, name: 'k1' });
    const k2 = t.core.keys.create({ groupId: lonely.id, name: 'k2' });
    t.core.secrets.create({ name: 'S', value: 'v', scope: 'group', scopeId: lonely.id });
    t.core.secrets.create({ name: 'S', value: 'v', scope: 'key', scopeId: k1.id });
    t.core.secrets.create({ name: 'T', value: 'v', scope: 'key', scopeId: k2.id });
    t.core.secrets.create({ name: 'S', value: 'v', scope: 'group', scopeId: w.shipping.id });
    const preview = t.core.secrets.deletePreview('group', lonely.id);
    expect(preview.keys.map((k) => k.name)).toEqual(['k1', 'k2']);
    expect(preview.secrets).toHaveLength(3);
    expect(preview.blockingFunctions).toEqual([]);
    expect(t.core.groups.delete(lonely.id)).toEqual(preview);
    expect(t.core.keys.list().some((k) => k.groupId === lonely.id)).toBe(false);
    expect(t.core.secrets.inspect('S').definitions.map((d) => d.scopeId)).toEqual([w.shipping.id]);
    expect(t.core.secrets.names()).toEqual(['S']);
  });

  it('refuses to delete a group that a function requires (it would turn public), changing nothing', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    t.core.secrets.create({ name: 'G', value: 'v', scope: 'group', scopeId: w.shipping.id });
    const preview = t.core.secrets.deletePreview('group', w.shipping.id);
    expect(preview.blockingFunctions.map((f) => f.name)).toEqual(['notify']);
    const e = err(() => t.core.groups.delete(w.shipping.id));
    expect(e.code).toBe('IN_USE');
    expect(e.message).toContain('"notify"');
    expect(t.core.groups.get(w.shipping.id).keyCount).toBe(2);
    expect(t.core.secrets.names()).toEqual(['G']);
  });

  it('foreign keys hold even for raw deletes (triggers cascade secrets)', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const temp = t.core.groups.create({ name: 'temp' });
    const key = t.core.keys.create({ groupId: temp.id, name: 'k' });
    t.core.secrets.create({ name: 'K', value: 'v', scope: 'key', scopeId: key.id });
    t.core.secrets.create({ name: 'G', value: 'v', scope: 'group', scopeId: temp.id });
    t.core.close();
    const db = new Database(t.core.paths.databaseFile);
    db.pragma('foreign_keys = ON');
    // A group a function requires cannot vanish even behind the app's back.
    expect(() => db.prepare('DELETE FROM api_groups WHERE id = ?').run(w.manufacturing.id)).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM api_groups WHERE id = ?').run(temp.id);
    expect((db.prepare('SELECT COUNT(*) AS n FROM secrets').get() as { n: number }).n).toBe(0);
    expect((db.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE group_id = ?').get(temp.id) as { n: number }).n).toBe(0);
    db.close();
  });
});

describe('settings', () => {
  it('defaults: rotation every 90 days, host port 8000; validated updates', () => {
    const t = fresh();
    expect(t.core.settings.get()).toMatchObject({ rotationIntervalDays: 90, hostPort: 8000 });
    expect(t.core.settings.set({ logRetention: 50 }).logRetention).toBe(50);
    expect(err(() => t.core.settings.set({ rotationIntervalDays: 0 })).field).toBe('rotationIntervalDays');
    expect(t.reopen().settings.get().logRetention).toBe(50);
  });

  it('the execution log is trimmed to the retention setting per function', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    t.core.settings.set({ logRetention: 3 });
    for (let i = 0; i < 6; i++) {
      for (const f of [w.notify, w.report]) {
        t.core.executions.record({ functionId: f.id, requestId: `r${i}`, at: '', method: 'GET', path: '/', status: 200 + i, durationMs: 1, keyId: null, keyName: null, groupName: null, console: [], error: null, trace: [] });
      }
    }
    expect(t.core.executions.list(w.notify.id).map((e) => e.requestId)).toEqual(['r5', 'r4', 'r3']);
    expect(t.core.executions.list(w.report.id)).toHaveLength(3);
    expect(t.core.functions.get(w.notify.id).lastStatus).toBe(205);
  });
});

describe('architecture', () => {
  it('core never imports electron', () => {
    const { execSync } = require('node:child_process') as typeof import('node:child_process');
    const out = execSync(`grep -rlE "from ['\\"]electron['\\"]|require\\(['\\"]electron['\\"]\\)|import\\(['\\"]electron['\\"]\\)" src/main/core || true`, { encoding: 'utf8' });
    expect(out.trim()).toBe('');
    expect(readFileSync('.oxlintrc.json', 'utf8')).toContain('src/main/core/**');
  });
});
