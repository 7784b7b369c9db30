import { describe, expect, it } from 'vitest';
import { createHttpServerClient } from '../../src/main/core/sync/http-client';
import type { ServerTarget } from '../../src/main/core/sync/servers';
import type { SyncComparison } from '../../src/shared/sync';
import { HANDLER_NOTIFY, LIB_FORMAT, localSnapshot, syncKit } from './fixture';

const kit = syncKit();

const pullable = (c: SyncComparison) => c.rows.filter((r) => r.presence !== 'local' && !r.pullProblem && !r.warning).map((r) => r.ref);
const byLabel = (c: SyncComparison) => Object.fromEntries(c.rows.map((r) => [r.label, r]));

describe('pull from a Crude Functions server', () => {
  it('previews new, changed and only-local records by name, with values masked', async () => {
    const { core, conn, server } = await kit.start();
    // Local state that overlaps the server's: a changed global, a local-only secret, a group with another description.
    core.secrets.create({ name: 'LOG_LEVEL', value: 'CANARY-warn', scope: 'global', comment: 'default level' });
    core.secrets.create({ name: 'ONLY_HERE', value: 'CANARY-local', scope: 'global' });
    core.groups.create({ name: 'shipping', description: 'Shipping services' });
    const requestsBefore = server.requests.length;

    const c = await core.sync.compare(conn.id);
    const rows = byLabel(c);
    expect(rows['secret LOG_LEVEL (global)']).toMatchObject({ presence: 'both', changed: ['value'], local: { valueLength: 11 }, server: { valueLength: 11 } });
    expect(rows['secret ONLY_HERE (global)']).toMatchObject({ presence: 'local' });
    expect(rows['secret RECIPIENT (key shipping/ship-a)']).toMatchObject({ presence: 'server', requires: ['key:shipping/ship-a'] });
    expect(rows['key shipping/ship-a']).toMatchObject({ presence: 'server', requires: ['group:shipping'] });
    expect(rows['function notify']).toMatchObject({ presence: 'server', requires: ['group:billing', 'group:shipping'] });
    expect(rows['file apps/lib/format.ts']).toMatchObject({ presence: 'server' });
    // The binary file is shown, and refused with the reason.
    expect(rows['file apps/logo.png']?.pullProblem).toMatch(/binary/);
    // A key of the management group is marked (it would become an admin key here).
    expect(rows['key management/admin']?.warning).toMatch(/admin API/);
    // The same group with the same description is not a row at all.
    expect(rows['group shipping']).toBeUndefined();
    expect(c.unchanged).toBeGreaterThanOrEqual(1);
    // No value anywhere in the answer.
    expect(JSON.stringify(c)).not.toMatch(/CANARY-/);
    // It read every list the docs name, with values, and the source's files.
    const calls = server.requests.slice(requestsBefore);
    for (const call of ['GET /api/functions', 'GET /api/key-groups', 'GET /api/keys', 'GET /api/secrets?includeValues=true', 'GET /api/sources']) expect(calls).toContain(call);
    expect(calls.some((r) => r.startsWith('GET /api/sources/') && r.endsWith('/files'))).toBe(true);
    // Nothing was written by a preview.
    expect(core.secrets.names()).toEqual(['LOG_LEVEL', 'ONLY_HERE']);
  });

  it('applies the chosen records in one transaction: functions, handler files, groups, keys with their values, secrets at every scope', async () => {
    const { core, conn, seeded } = await kit.start();
    const c = await core.sync.compare(conn.id);
    const result = core.sync.pull(conn.id, c.snapshotId, pullable(c));
    expect(result.applied).toEqual({ group: 3, key: 3, function: 2, file: 3, secret: 5 });
    expect(result.summary).toBe('Pulled 2 functions, 3 files, 3 groups, 3 keys, 5 secrets from server "staging".');

    const notify = core.functions.list().find((f) => f.name === 'notify')!;
    const shipping = core.groups.getByName('shipping')!;
    const billing = core.groups.getByName('billing')!;
    expect(notify).toMatchObject({ route: '/notify', methods: ['POST'], handler: 'apps/notify.ts', description: 'Sends notifications', enabled: true });
    expect(notify.groupIds).toEqual([shipping.id, billing.id].sort((a, b) => a - b));
    expect(core.functions.list().find((f) => f.name === 'report')!.cors).toMatchObject({ origins: ['https://app.example.com'], maxAge: 600 });
    expect(core.code.read('apps/notify.ts')).toBe(HANDLER_NOTIFY);
    expect(core.code.read('apps/lib/format.ts')).toBe(LIB_FORMAT);

    // Keys keep the server's values: they authenticate here as there.
    const shipA = core.keys.list(shipping.id).find((k) => k.name === 'ship-a')!;
    expect(core.keys.authenticate(seeded!.shipA.value)?.key.id).toBe(shipA.id);
    expect(core.keys.list(shipping.id).find((k) => k.name === 'ship-b')!.description).toBe('second shipper');

    // Resolution here now answers what the platform would.
    const ctx = { functionId: notify.id, keyId: shipA.id };
    expect(core.secrets.getSecret('RECIPIENT', ctx)).toEqual({ scope: 'key', value: 'CANARY-ship-a@example.com' });
    const shipB = core.keys.list(shipping.id).find((k) => k.name === 'ship-b')!;
    expect(core.secrets.getSecret('RECIPIENT', { functionId: notify.id, keyId: shipB.id })).toEqual({ scope: 'group', value: 'CANARY-ship@example.com' });
    const report = core.functions.list().find((f) => f.name === 'report')!;
    expect(core.secrets.getSecret('LOG_LEVEL', { functionId: report.id })).toEqual({ scope: 'function', value: 'CANARY-debug' });

    // History and audit entries were made by the services, and one entry for the pull.
    expect(core.secrets.history(core.secrets.list('global').find((s) => s.name === 'LOG_LEVEL')!.id)[0]!.change).toBe('created');
    const pulled = core.audit.list({ action: 'sync.pulled' }).entries;
    expect(pulled).toHaveLength(1);
    expect(pulled[0]).toMatchObject({ recordKind: 'server', recordId: conn.id, recordName: 'staging', detail: { secret: 5, key: 3 } });
    expect(core.audit.list({ action: 'key.created' }).entries[0]!.detail).toMatchObject({ valueGiven: true });
    expect(JSON.stringify(core.audit.list({}, 1000))).not.toMatch(/CANARY-/);
    expect(core.servers.get(conn.id).lastPulledAt).not.toBeNull();

    // A second preview finds everything equal (binary file and admin key aside, which were not chosen).
    const again = await core.sync.compare(conn.id);
    expect(again.rows.map((r) => r.label).sort()).toEqual(['file apps/logo.png', 'key management/admin']);
    expect(again.winners.differing).toBe(0);
  });

  it('updates records that exist here under the same name, and leaves only-local ones alone', async () => {
    const { core, conn } = await kit.start();
    const sec = core.secrets.create({ name: 'RECIPIENT', value: 'CANARY-old', scope: 'global', comment: 'mine' });
    const mine = core.secrets.create({ name: 'ONLY_HERE', value: 'CANARY-local', scope: 'global' });
    const c = await core.sync.compare(conn.id);
    core.sync.pull(conn.id, c.snapshotId, ['secret:global::RECIPIENT']);
    expect(core.secrets.reveal(sec.id)).toBe('CANARY-ops@example.com');
    expect(core.secrets.list('global').find((s) => s.id === sec.id)!.comment).toBeNull();
    expect(core.secrets.reveal(mine.id)).toBe('CANARY-local');
    const versions = core.secrets.history(sec.id);
    expect(versions.map((v) => v.change)).toEqual(['updated', 'created']);
    expect(versions[0]!.detail.fields).toEqual(['value', 'comment']);
  });

  it('refuses a selection that misses what a record needs, or a record this app cannot hold, and writes nothing', async () => {
    const { core, conn } = await kit.start();
    const c = await core.sync.compare(conn.id);
    const before = localSnapshot(core);
    const needs = (() => {
      try {
        core.sync.pull(conn.id, c.snapshotId, ['secret:key:shipping%2Fship-a:RECIPIENT', 'group:shipping']);
      } catch (e) {
        return e as Error & { code: string; field: string };
      }
      throw new Error('expected a refusal');
    })();
    expect(needs).toMatchObject({ code: 'VALIDATION', field: 'refs' });
    expect(needs.message).toBe('secret RECIPIENT (key shipping/ship-a) needs key shipping/ship-a here: choose it too.');
    expect(() => core.sync.pull(conn.id, c.snapshotId, ['file:apps%2Flogo.png'])).toThrow(/file apps\/logo.png cannot be pulled: a binary file/);
    expect(() => core.sync.pull(conn.id, 'no-such-preview', ['group:shipping'])).toThrow(/no longer kept/);
    expect(localSnapshot(core)).toBe(before);
  });

  it('a failure inside the transaction leaves nothing half-applied: no row, no handler file, no audit entry', async () => {
    const { core, conn } = await kit.start();
    // A local function "report" answers POST /notify. The server's "report" has another route, so the
    // preview lets the server's notify through; kept unchosen, local report still holds the route
    // when notify is created, halfway through the transaction.
    core.code.write('mine/report.ts', 'export default () => new Response("mine");\n');
    core.functions.create({ name: 'report', route: '/notify', methods: ['POST'], handler: 'mine/report.ts' });
    const c = await core.sync.compare(conn.id);
    const before = localSnapshot(core);
    const auditBefore = core.audit.list({}).total;
    let error: (Error & { code?: string }) | null = null;
    try {
      core.sync.pull(conn.id, c.snapshotId, pullable(c).filter((r) => r !== 'function:report'));
    } catch (e) {
      error = e as Error & { code?: string };
    }
    expect(error?.message).toBe('Nothing was pulled from server "staging". function notify: Function "report" already answers POST on route /notify.');
    expect(error?.code).toBe('CONFLICT');
    // Groups, keys and the handler files came before notify in the transaction: all gone again.
    expect(localSnapshot(core)).toBe(before);
    expect(core.code.list().map((f) => f.path)).toEqual(['mine/report.ts']);
    expect(core.groups.getByName('shipping')).toBeUndefined();
    expect(core.audit.list({}).total).toBe(auditBefore);
    expect(core.servers.get(conn.id).lastPulledAt).toBeNull();
  });

  it('checks key values before writing: a value another key here has is refused by name, never quoted', async () => {
    const { core, conn } = await kit.start();
    const other = core.groups.create({ name: 'other' });
    core.keys.create({ groupId: other.id, name: 'dup', value: 'CANARY-key-ship-b' });
    const c = await core.sync.compare(conn.id);
    const row = c.rows.find((r) => r.ref === 'key:shipping/ship-b')!;
    expect(row.pullProblem).toBe('key other/dup here has the same value, and keys are told apart by value');
    expect(() => core.sync.pull(conn.id, c.snapshotId, ['group:shipping', 'key:shipping/ship-b'])).toThrow(/^key shipping\/ship-b cannot be pulled: key other\/dup here has the same value/);
  });

  it('a server that fails while it is read gives an error naming it and the call, and nothing is written', async () => {
    const { core, conn, server } = await kit.start();
    const before = localSnapshot(core);
    server.fail({ method: 'GET', path: /^\/api\/secrets$/, status: 500, body: { error: 'Database unavailable' } });
    await expect(core.sync.compare(conn.id)).rejects.toMatchObject({
      code: 'SERVER_ERROR',
      message: `Server "staging" (${server.url}): GET /api/secrets was refused (500: Database unavailable).`,
    });
    server.fail({ method: 'GET', path: /\/files\//, drop: true });
    await expect(core.sync.compare(conn.id)).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE', message: expect.stringMatching(/^Server "staging" \(.*\): GET \/api\/sources\/\w+\/files\/.* closed the connection before answering\.$/) });
    expect(localSnapshot(core)).toBe(before);
  });

  it('a server\'s records that break this app\'s rules are shown with the rule and cannot be pulled: paths leaving code/, bad names, oversized values', async () => {
    const { core, conn, server, seeded } = await kit.start();
    server.seed.file(seeded!.src, '../../escape.ts', 'export default () => new Response("out");\n');
    server.seed.fn({ name: 'sneaky', route: '/sneaky', handler: '../outside.ts' });
    server.seed.fn({ name: 'has space', route: '/spaced', handler: 'apps/notify.ts', methods: ['PUT'] });
    server.seed.secret({ name: 'HUGE', value: 'x'.repeat(16 * 1024 + 1) });
    server.seed.secret({ name: 'BROKEN', value: 'whatever', decryptionError: 'Decryption failed: key version B unknown' });
    const c = await core.sync.compare(conn.id);
    const p = Object.fromEntries(c.rows.map((r) => [r.label, r.pullProblem]));
    expect(p['file apps/../../escape.ts']).toBe('the path leaves the code/ folder');
    expect(p['function sneaky']).toMatch(/may not leave the code\/ folder/);
    expect(p['function has space']).toMatch(/Function name may contain only letters, digits/);
    expect(p['secret HUGE (global)']).toMatch(/the limit is 16384 bytes/);
    expect(p['secret BROKEN (global)']).toBe('the server could not decrypt it (Decryption failed: key version B unknown)');
    for (const r of ['file:apps%2F..%2F..%2Fescape.ts', 'function:sneaky', 'secret:global::HUGE']) expect(() => core.sync.pull(conn.id, c.snapshotId, [r])).toThrow(/cannot be pulled/);
    expect(core.code.list()).toEqual([]);
  });

  it('an old preview cannot be applied to another server', async () => {
    const { core, conn, server } = await kit.start();
    const second = core.servers.create({ name: 'production', url: server.url, key: server.managementKey });
    const c = await core.sync.compare(conn.id);
    expect(() => core.sync.pull(second.id, c.snapshotId, ['group:shipping'])).toThrow(/no longer kept/);
  });

  it('talks to the server with the management key in X-API-Key only', async () => {
    const { core, conn, server } = await kit.start();
    await core.sync.compare(conn.id);
    expect(server.requests.length).toBeGreaterThan(5);
    expect(server.requests.join('\n')).not.toContain(server.managementKey);
    expect(server.headers.every((h) => h['x-api-key'] === server.managementKey && h.authorization === undefined)).toBe(true);
    // The client is the same one a test may construct itself.
    const target: ServerTarget = { id: conn.id, name: 'staging', url: server.url, key: server.managementKey };
    expect((await createHttpServerClient(target).listGroups()).map((g) => g.name)).toContain('shipping');
  });
});
