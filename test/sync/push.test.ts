import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core-api';
import type { SyncComparison } from '../../src/shared/sync';
import { createHttpServerClient } from '../../src/main/core/sync/http-client';
import { readServerWorld } from '../../src/main/core/sync/server-world';
import { differingAnswers } from '../../src/main/core/sync/winners';
import { localSnapshot, syncKit } from './fixture';
import type { CrudeServer } from '../support/crude-server';

const kit = syncKit();

async function pulled() {
  const w = await kit.start();
  const c = await w.core.sync.compare(w.conn.id);
  w.core.sync.pull(w.conn.id, c.snapshotId, c.rows.filter((r) => r.presence !== 'local' && !r.pullProblem && !r.warning).map((r) => r.ref));
  return w;
}

const pushable = (c: SyncComparison) => c.rows.filter((r) => r.presence !== 'server' && !r.pushProblem).map((r) => r.ref);
const serverSecret = (s: CrudeServer, name: string, scopeRef?: string) => [...s.data.secrets.values()].find((x) => x.name === name && (x.scopeRef ?? undefined) === scopeRef);

/** The edits of a day's work, here. */
function edit(core: Core) {
  const shipping = core.groups.getByName('shipping')!;
  const groupSecret = core.secrets.list('group', shipping.id).find((s) => s.name === 'RECIPIENT')!;
  core.secrets.update({ id: groupSecret.id, value: 'CANARY-new-ship@example.com' });
  const shipC = core.keys.create({ groupId: shipping.id, name: 'ship-c', value: 'CANARY-key-ship-c', description: 'third shipper' });
  core.secrets.create({ name: 'RECIPIENT', value: 'CANARY-ship-c@example.com', scope: 'key', scopeId: shipC.id, comment: 'own inbox' });
  core.code.write('apps/notify.ts', 'export default async (c) => c.json({ v: 2 });\n');
  const report = core.functions.list().find((f) => f.name === 'report')!;
  core.functions.update({ id: report.id, description: 'Monthly report', enabled: false, cors: null });
  // A secret deleted here: on the server it is now the only copy.
  core.secrets.delete(core.secrets.list('function', report.id).find((s) => s.name === 'LOG_LEVEL')!.id);
  return { shipping, shipC, report };
}

describe('push local changes to a Crude Functions server', () => {
  it('pull → edit → push → pull again is stable, and the push changes nothing here', async () => {
    const { core, conn, server, seeded } = await pulled();
    edit(core);
    const c = await core.sync.compare(conn.id);
    expect(c.rows.map((r) => `${r.presence} ${r.label} ${r.changed.join(',')}`).sort()).toEqual([
      'both file apps/notify.ts content',
      'both function report description,cors,enabled',
      'both secret RECIPIENT (group shipping) value',
      'local key shipping/ship-c ',
      'local secret RECIPIENT (key shipping/ship-c) ',
      'server file apps/logo.png ',
      'server key management/admin ',
      'server secret LOG_LEVEL (function report) ',
    ]);
    const refs = [...pushable(c), 'secret:function:report:LOG_LEVEL'];
    const plan = await core.sync.pushPreview(conn.id, refs);
    expect(plan.problems).toEqual([]);
    expect(plan.steps.map((s) => `${s.action} ${s.label} ${s.call}`)).toEqual([
      'create key shipping/ship-c POST /api/keys',
      'update file apps/notify.ts PUT /api/sources/:id/files/:path',
      'update function report PUT /api/functions/:id',
      'update secret RECIPIENT (group shipping) PUT /api/secrets/:id',
      'create secret RECIPIENT (key shipping/ship-c) POST /api/secrets',
      'delete secret LOG_LEVEL (function report) DELETE /api/secrets/:id',
    ]);
    // What the server's callers will read: ship-b gets the changed group value; ship-a keeps its own key value;
    // report's callers lose the function value and get the global one.
    const pairs = plan.whatIf.pairs.map((p) => `${p.functionName} ${p.caller ? `${p.caller.group}/${p.caller.key}` : '-'} ${p.name} ${p.before}→${p.after}${p.valueChanges ? ' (value)' : ''}`);
    expect(pairs).toContain('notify shipping/ship-b RECIPIENT group→group (value)');
    expect(pairs).toContain('report - LOG_LEVEL function→global');
    expect(pairs.some((p) => p.startsWith('notify shipping/ship-a RECIPIENT'))).toBe(false);
    expect(plan.whatIf.summary).toMatch(/on "staging"/);
    expect(JSON.stringify(plan)).not.toMatch(/CANARY-/);

    const local = localSnapshot(core);
    const client = createHttpServerClient({ id: conn.id, name: 'staging', url: server.url, key: server.managementKey });
    const serverBefore = await readServerWorld(client);
    await expect(core.sync.push(conn.id, plan.planId, 'production')).rejects.toMatchObject({ code: 'VALIDATION', field: 'serverName' });
    const result = await core.sync.push(conn.id, plan.planId, 'staging');
    // The preview's what-if is what really changed on the server, answer for answer.
    const real = differingAnswers(serverBefore.world, (await readServerWorld(client)).world);
    const said = (p: { functionName: string; caller: { group: string; key: string } | null; name: string | null }) => `${p.functionName} ${p.caller ? `${p.caller.group}/${p.caller.key}` : '-'} ${p.name}`;
    expect(plan.whatIf.pairs.map(said).sort()).toEqual(real.pairs.map(said).sort());
    expect(plan.whatIf.affected).toBe(real.differing);
    expect(result).toMatchObject({ done: 6, failed: 0, skipped: 0, summary: 'Pushed 6 changes to server "staging".' });
    expect(localSnapshot(core)).toBe(local);

    // The server has it all.
    expect(serverSecret(server, 'RECIPIENT', seeded!.shipping.id)!.value).toBe('CANARY-new-ship@example.com');
    const shipC = [...server.data.keys.values()].find((k) => k.name === 'ship-c')!;
    expect(shipC).toMatchObject({ value: 'CANARY-key-ship-c', description: 'third shipper', groupId: seeded!.shipping.id });
    expect(serverSecret(server, 'RECIPIENT', shipC.id)).toMatchObject({ value: 'CANARY-ship-c@example.com', comment: 'own inbox' });
    expect(new TextDecoder().decode(seeded!.src.files.get('notify.ts'))).toBe('export default async (c) => c.json({ v: 2 });\n');
    expect(server.data.functions.get(seeded!.report.id)).toMatchObject({ description: 'Monthly report', enabled: false });
    expect(server.data.functions.get(seeded!.report.id)!.cors).toBeUndefined();
    expect(serverSecret(server, 'LOG_LEVEL', seeded!.report.id)).toBeUndefined();

    // Pulling again finds nothing to do; the diff finds no caller with another answer.
    const again = await core.sync.compare(conn.id);
    expect(again.rows.map((r) => r.label).sort()).toEqual(['file apps/logo.png', 'key management/admin']);
    expect(again.winners).toMatchObject({ differing: 0 });
    expect(again.winners.compared).toBeGreaterThan(0);
    expect(core.audit.list({ action: 'sync.pushed' }).entries[0]).toMatchObject({ recordName: 'staging', detail: { done: 6, failed: 0, skipped: 0 } });
    expect(core.servers.get(conn.id).lastPushedAt).not.toBeNull();
    // A plan runs once.
    await expect(core.sync.push(conn.id, plan.planId, 'staging')).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'planId' });
  });

  it('a failure mid-push is reported per record, keeps both sides consistent, and loses nothing here', async () => {
    const { core, conn, server } = await pulled();
    edit(core);
    const c = await core.sync.compare(conn.id);
    const plan = await core.sync.pushPreview(conn.id, [...pushable(c), 'secret:function:report:LOG_LEVEL']);
    const local = localSnapshot(core);
    // The key create and the group secret's update are refused by the server.
    server.fail({ method: 'POST', path: /^\/api\/keys$/, status: 409, body: { error: "A key with name 'ship-c' already exists in group 'shipping'" } });
    server.fail({ method: 'PUT', path: /^\/api\/secrets\//, status: 500, body: { error: 'Key rotation failed', details: 'disk full' } });
    const result = await core.sync.push(conn.id, plan.planId, 'staging');
    const by = Object.fromEntries(result.outcomes.map((o) => [o.label, o]));
    expect(by['key shipping/ship-c']).toMatchObject({ status: 'failed', message: `Server "staging" (${server.url}): POST /api/keys was refused (409: A key with name 'ship-c' already exists in group 'shipping').` });
    expect(by['secret RECIPIENT (key shipping/ship-c)']).toMatchObject({ status: 'skipped', message: 'not attempted: key shipping/ship-c was not pushed' });
    expect(by['secret RECIPIENT (group shipping)']).toMatchObject({ status: 'failed', message: expect.stringMatching(/PUT \/api\/secrets\/\w+ was refused \(500: Key rotation failed: disk full\)\.$/) });
    expect(by['file apps/notify.ts']!.status).toBe('done');
    expect(by['function report']!.status).toBe('done');
    expect(by['secret LOG_LEVEL (function report)']!.status).toBe('done');
    expect(result).toMatchObject({ done: 3, failed: 2, skipped: 1 });
    expect(result.summary).toBe('Pushed 3 of 6 changes to server "staging"; 2 failed, 1 not attempted. Nothing here was changed.');
    expect(localSnapshot(core)).toBe(local);
    expect(JSON.stringify(result)).not.toMatch(/CANARY-/);
    const audit = core.audit.list({ action: 'sync.pushed' }).entries[0]!;
    expect(audit.detail).toMatchObject({ done: 3, failed: 2, skipped: 1, failedRecords: ['key shipping/ship-c', 'secret RECIPIENT (group shipping)'] });

    // Both sides are whole: what failed still differs, what went through is equal, and pushing again finishes it.
    const after = await core.sync.compare(conn.id);
    expect(after.rows.filter((r) => r.presence !== 'server').map((r) => r.label).sort()).toEqual(['key shipping/ship-c', 'secret RECIPIENT (group shipping)', 'secret RECIPIENT (key shipping/ship-c)']);
    const retry = await core.sync.pushPreview(conn.id, pushable(after));
    expect((await core.sync.push(conn.id, retry.planId, 'staging')).done).toBe(3);
    expect((await core.sync.compare(conn.id)).winners.differing).toBe(0);
  });

  it('a server that stops answering mid-push stops the push there and says which records were not attempted', async () => {
    const { core, conn, server } = await pulled();
    edit(core);
    const c = await core.sync.compare(conn.id);
    const plan = await core.sync.pushPreview(conn.id, pushable(c));
    server.fail({ method: 'PUT', path: /^\/api\/functions\//, drop: true });
    const result = await core.sync.push(conn.id, plan.planId, 'staging');
    expect(result.outcomes.map((o) => `${o.status} ${o.label}`)).toEqual([
      'done key shipping/ship-c',
      'done file apps/notify.ts',
      'failed function report',
      'skipped secret RECIPIENT (group shipping)',
      'skipped secret RECIPIENT (key shipping/ship-c)',
    ]);
    expect(result.outcomes[2]!.message).toMatch(/PUT \/api\/functions\/\w+ closed the connection before answering\.$/);
    expect(result.outcomes[4]!.message).toBe('not attempted: the push stopped at function report (the server stopped answering)');
  });

  it('refuses to overwrite a record that changed on the server since the preview', async () => {
    const { core, conn, server, seeded } = await pulled();
    edit(core);
    const c = await core.sync.compare(conn.id);
    const plan = await core.sync.pushPreview(conn.id, ['secret:group:shipping:RECIPIENT', 'function:report']);
    serverSecret(server, 'RECIPIENT', seeded!.shipping.id)!.value = 'CANARY-someone-else';
    const result = await core.sync.push(conn.id, plan.planId, 'staging');
    expect(result.outcomes.find((o) => o.label === 'secret RECIPIENT (group shipping)')).toMatchObject({ status: 'failed', message: 'it changed on the server since the preview; compare again to see the change' });
    expect(result.outcomes.find((o) => o.label === 'function report')!.status).toBe('done');
    expect(serverSecret(server, 'RECIPIENT', seeded!.shipping.id)!.value).toBe('CANARY-someone-else');
    expect(c.snapshotId).not.toBe(plan.planId);
  });

  it('plans what a new function needs: a manual code source, its handler file, its group; and says what cannot go', async () => {
    const { core, conn, server } = await pulled();
    const ops = core.groups.create({ name: 'ops' });
    core.code.write('tools/ping.ts', 'export default async (c) => c.text("pong");\n');
    core.functions.create({ name: 'ping', route: '/ping', methods: ['GET'], handler: 'tools/ping.ts', groupIds: [ops.id] });
    core.code.write('root.ts', 'export default async (c) => c.text("root");\n');
    core.functions.create({ name: 'rooted', route: '/rooted', methods: ['GET'], handler: 'root.ts' });
    core.secrets.create({ name: 'BLANK', value: '  ', scope: 'global' });
    const c = await core.sync.compare(conn.id);
    expect(c.rows.find((r) => r.label === 'file root.ts')!.pushProblem).toMatch(/code sources \(code\/<source>\/…\)/);
    expect(c.rows.find((r) => r.label === 'secret BLANK (global)')!.pushProblem).toBe('the server refuses empty or blank secret values');

    const missingGroup = await core.sync.pushPreview(conn.id, ['function:ping']);
    expect(missingGroup.steps).toEqual([]);
    expect(missingGroup.problems).toEqual([{ ref: 'function:ping', label: 'function ping', message: 'it needs group ops on the server: choose it too' }]);

    const plan = await core.sync.pushPreview(conn.id, ['function:ping', 'group:ops', 'file:tools%2Fping.ts', 'file:root.ts', 'secret:global::BLANK']);
    expect(plan.steps.map((s) => `${s.action} ${s.label}`)).toEqual(['create code source tools (a new manual source)', 'create group ops', 'create file tools/ping.ts', 'create function ping']);
    expect(plan.problems.map((p) => p.label)).toEqual(['file root.ts', 'secret BLANK (global)']);
    const result = await core.sync.push(conn.id, plan.planId, 'staging');
    expect(result.failed).toBe(0);
    const src = [...server.data.sources.values()].find((s) => s.name === 'tools')!;
    expect(src.type).toBe('manual');
    expect(new TextDecoder().decode(src.files.get('ping.ts'))).toBe('export default async (c) => c.text("pong");\n');
    const ping = [...server.data.functions.values()].find((f) => f.name === 'ping')!;
    expect(ping).toMatchObject({ handler: 'tools/ping.ts', routePath: '/ping', keys: [[...server.data.groups.values()].find((g) => g.name === 'ops')!.id] });
  });

  it('cannot push a file of a git source, nor delete the server\'s management group', async () => {
    const { core, conn, server } = await kit.start();
    const git = server.seed.source('upstream', 'git');
    server.seed.file(git, 'handler.ts', 'export default () => new Response("git");\n');
    const c0 = await core.sync.compare(conn.id);
    core.sync.pull(conn.id, c0.snapshotId, ['file:upstream%2Fhandler.ts']);
    core.code.write('upstream/handler.ts', 'export default () => new Response("edited");\n');
    const c = await core.sync.compare(conn.id);
    expect(c.rows.find((r) => r.label === 'file upstream/handler.ts')!.pushProblem).toMatch(/git source: its files are read-only on the server/);
    const plan = await core.sync.pushPreview(conn.id, ['file:upstream%2Fhandler.ts']);
    expect(plan.steps).toEqual([]);
    expect(plan.problems[0]!.message).toMatch(/read-only/);
  });
});
