import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import { createFunctionHost } from '../../src/main/core/host';
import type { Core } from '../../src/main/core/core-api';
import { MANAGEMENT_GROUP } from '../../src/shared/rules';
import { tempDir } from '../support/temp-core';

// Edits an attacker with write access to database.db could make — on a stopped app, with
// SQLite, as the threat model in docs/security.md has it — then the app started and called.
// Each must fail loudly for the record concerned, and closed: never a value handed to the
// wrong caller, never a key promoted, never a protected function made public.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function dataDir() {
  const t = tempDir('crude-edits-');
  cleanups.push(t.cleanup);
  return t.dir;
}

function open(dir: string): Core {
  const core = openCore({ dataDir: dir });
  cleanups.push(() => core.close());
  return core;
}

/** Stops the app (closes core), runs `edit` with SQLite on the database file, starts it again. */
function editStopped(core: Core, edit: (db: Database.Database) => void): Core {
  const dir = core.paths.dataDir;
  core.close();
  const db = new Database(core.paths.databaseFile);
  try {
    edit(db);
  } finally {
    db.close();
  }
  return open(dir);
}

async function hostOn(core: Core) {
  const host = createFunctionHost(core, { port: 0, denoDir: process.env.CRUDE_TEST_DENO_DIR });
  const status = await host.start();
  cleanups.push(() => host.stop());
  return status.url!;
}

describe('silent edits of the database are caught where the record is used', () => {
  it('swapping the ciphertexts of two secrets: both fail to decrypt, each naming its record; neither value reaches the other function', async () => {
    let core = open(dataDir());
    const a = core.functions.create({ name: 'alpha', route: '/alpha', methods: ['GET'], handler: 'alpha.ts' });
    const b = core.functions.create({ name: 'beta', route: '/beta', methods: ['GET'], handler: 'beta.ts' });
    const sa = core.secrets.create({ name: 'TOKEN', value: 'CANARY-alpha-token', scope: 'function', scopeId: a.id });
    const sb = core.secrets.create({ name: 'TOKEN', value: 'CANARY-beta-token', scope: 'function', scopeId: b.id });
    core.code.write('alpha.ts', 'export default async (c, ctx) => c.json({ token: await ctx.getSecret("TOKEN") ?? null })');
    core = editStopped(core, (db) => {
      const va = db.prepare('SELECT value_encrypted AS v FROM secrets WHERE id = ?').pluck().get(sa.id);
      const vb = db.prepare('SELECT value_encrypted AS v FROM secrets WHERE id = ?').pluck().get(sb.id);
      db.prepare('UPDATE secrets SET value_encrypted = ? WHERE id = ?').run(vb, sa.id);
      db.prepare('UPDATE secrets SET value_encrypted = ? WHERE id = ?').run(va, sb.id);
    });
    expect(() => core.secrets.reveal(sa.id)).toThrow(new RegExp(`secret #${sa.id}.*authentication failed`));
    expect(() => core.secrets.getSecret('TOKEN', { functionId: b.id })).toThrow(new RegExp(`secret #${sb.id}`));
    const run = await hostOn(core);
    const res = await fetch(`${run}/alpha`);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).toMatch(/Cannot decrypt secret #\d+/);
    expect(body).not.toContain('CANARY-beta-token');
  });

  it('moving a key into the management group (UPDATE api_keys SET group_id): the key authenticates nobody, and the list marks it', () => {
    let core = open(dataDir());
    const shipping = core.groups.create({ name: 'shipping' });
    const key = core.keys.create({ groupId: shipping.id, name: 'ship-key' });
    const management = core.groups.getByName(MANAGEMENT_GROUP)!;
    core = editStopped(core, (db) => db.prepare('UPDATE api_keys SET group_id = ? WHERE id = ?').run(management.id, key.id));
    expect(core.keys.authenticate(key.value)).toBeNull();
    expect(core.keys.list().find((k) => k.id === key.id)).toMatchObject({ name: 'ship-key', groupName: MANAGEMENT_GROUP, tampered: true });
    expect(() => core.keys.reveal(key.id)).toThrow(/API key #\d+ \("ship-key"\)/);
    // Editing it must not bless the edit: the row's MAC is not re-sealed, the key still authenticates nobody.
    expect(() => core.keys.update({ id: key.id, description: 'harmless' })).toThrow(/failed its integrity check.*delete it/);
    expect(core.keys.authenticate(key.value)).toBeNull();
    expect(core.keys.list().find((k) => k.id === key.id)).toMatchObject({ tampered: true });
  });

  it('renaming another group to "management": its keys do not become admin keys', () => {
    let core = open(dataDir());
    const ops = core.groups.create({ name: 'ops' });
    const key = core.keys.create({ groupId: ops.id, name: 'ops-key' });
    core = editStopped(core, (db) => {
      db.prepare("UPDATE api_groups SET name = 'management-old' WHERE name = 'management'").run();
      db.prepare("UPDATE api_groups SET name = 'management' WHERE id = ?").run(ops.id);
    });
    expect(core.keys.authenticate(key.value)).toBeNull();
    expect(core.groups.list().filter((g) => g.tampered).map((g) => g.name).sort()).toEqual(['management', 'management-old']);
  });

  it('deleting the rows that say which groups a function requires: the function is refused, not public', async () => {
    let core = open(dataDir());
    const shipping = core.groups.create({ name: 'shipping' });
    core.code.write('guarded.ts', 'export default async (c, ctx) => c.json({ secret: await ctx.getSecret("PRIVATE") ?? null })');
    const fn = core.functions.create({ name: 'guarded', route: '/guarded', methods: ['GET'], handler: 'guarded.ts', groupIds: [shipping.id] });
    core.secrets.create({ name: 'PRIVATE', value: 'CANARY-guarded', scope: 'function', scopeId: fn.id });
    core = editStopped(core, (db) => db.prepare('DELETE FROM function_groups WHERE function_id = ?').run(fn.id));
    expect(core.functions.get(fn.id)).toMatchObject({ groupIds: [], tampered: true });
    const run = await hostOn(core);
    const res = await fetch(`${run}/guarded`);
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: string; message: string };
    expect(body).toMatchObject({ error: 'Forbidden', message: expect.stringMatching(/guarded was changed outside the app/) });
    expect(JSON.stringify(body)).not.toContain('CANARY');
    // Saving it again in the app is the operator's way to accept the rows as they are.
    core.functions.update({ id: fn.id, groupIds: [shipping.id] });
    expect(core.functions.get(fn.id).tampered).toBeUndefined();
    expect((await fetch(`${run}/guarded`)).status).toBe(401);
  });

  it('enabling a disabled function with SQL: refused', async () => {
    let core = open(dataDir());
    core.code.write('off.ts', 'export default async (c) => c.text("ran")');
    const fn = core.functions.create({ name: 'off', route: '/off', methods: ['GET'], handler: 'off.ts', enabled: false });
    core = editStopped(core, (db) => db.prepare('UPDATE functions SET enabled = 1 WHERE id = ?').run(fn.id));
    const run = await hostOn(core);
    expect((await fetch(`${run}/off`)).status).toBe(403);
  });

  it('a function\'s CORS rules edited with SQL (to let any origin in): refused', async () => {
    let core = open(dataDir());
    core.code.write('web.ts', 'export default async (c) => c.text("ran")');
    const fn = core.functions.create({ name: 'web', route: '/web', methods: ['GET'], handler: 'web.ts', cors: { origins: ['https://app.example.com'] } });
    core = editStopped(core, (db) => db.prepare(`UPDATE functions SET cors = ? WHERE id = ?`).run(JSON.stringify({ origins: ['*'], credentials: false, maxAge: 86400, allowHeaders: [], exposeHeaders: [] }), fn.id));
    const run = await hostOn(core);
    expect((await fetch(`${run}/web`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });
});
