import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { openCore } from '../../src/main/core';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/api/registry';
import { stubHost } from '../../src/main/api/host-api';
import { startCrudeServer } from '../support/crude-server';
import { startApi } from '../api/helpers';
import { seedServer } from './fixture';
import { databaseBytes, syncKit } from './fixture';

const kit = syncKit();

describe('server connections', () => {
  it('keeps the management key encrypted, bound to the server, and never gives it back', async () => {
    const { core, conn, server, t } = await kit.start({ seed: false });
    const dispatch = createDispatcher({ core, host: stubHost(), mode: 'browser' });
    const listed = await dispatch('servers.list', {});
    expect(listed).toMatchObject({ ok: true, data: [{ id: conn.id, name: 'staging', url: server.url, insecure: false, lastPulledAt: null }] });
    expect(JSON.stringify(listed)).not.toContain(server.managementKey);
    const created = await dispatch('servers.create', { name: 'production', url: 'https://functions.example.com:9000/', key: 'CANARY-prod-key-42' }, { via: 'browser' });
    expect(created).toMatchObject({ ok: true, data: { name: 'production', url: 'https://functions.example.com:9000', insecure: false } });
    expect(JSON.stringify(created)).not.toContain('CANARY-prod-key-42');
    // http:// to another machine is marked: the key would travel unencrypted.
    const plain = await dispatch('servers.create', { name: 'lab', url: 'http://10.0.0.5:9000', key: 'CANARY-lab-key-42' });
    expect(plain).toMatchObject({ ok: true, data: { insecure: true } });

    // On disk: ciphertext only, in the key's binding; nothing in the audit log either.
    t.reopen();
    const bytes = databaseBytes(t.core.paths.databaseFile);
    for (const key of [server.managementKey, 'CANARY-prod-key-42', 'CANARY-lab-key-42']) expect(bytes).not.toContain(key);
    const db = new Database(t.core.paths.databaseFile, { readonly: true });
    const rows = db.prepare('SELECT name, key_encrypted FROM servers ORDER BY id').all() as { name: string; key_encrypted: string }[];
    db.close();
    expect(rows.map((r) => r.key_encrypted.charAt(0))).toEqual(['A', 'A', 'A']);
    const audit = t.core.audit.list({ recordKind: 'server' }).entries;
    expect(audit.map((e) => `${e.action} ${e.recordName} ${e.actor}`).reverse()).toEqual(['server.created staging app', 'server.created production browser session', 'server.created lab app']);
    expect(JSON.stringify(t.core.audit.list({}, 1000))).not.toMatch(/CANARY-/);
  });

  it('refuses URLs with credentials, queries or other schemes, and keys that break the platform\'s rule, naming the field and never the key', async () => {
    const { core } = await kit.start({ seed: false });
    const dispatch = createDispatcher({ core, host: stubHost(), mode: 'browser' });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: 'x', url: 'https://ops:CANARY-pw@functions.example.com', key: 'CANARY-k-1234' }, 'url', /may not contain a user name or password/],
      [{ name: 'x', url: 'https://functions.example.com/?api_key=1', key: 'CANARY-k-1234' }, 'url', /query/],
      [{ name: 'x', url: 'ftp://functions.example.com', key: 'CANARY-k-1234' }, 'url', /https:\/\//],
      [{ name: 'x', url: 'functions.example.com', key: 'CANARY-k-1234' }, 'url', /full URL/],
      [{ name: 'x', url: 'https://functions.example.com', key: 'CANARY has spaces' }, 'key', /only letters, digits/],
      [{ name: 'x', url: 'https://functions.example.com', key: '' }, 'key', /required/],
      [{ name: '', url: 'https://functions.example.com', key: 'CANARY-k-1234' }, 'name', /required/],
      [{ name: 'staging', url: 'https://functions.example.com', key: 'CANARY-k-1234' }, 'name', /already exists/],
    ];
    for (const [input, field, message] of cases) {
      const r = await dispatch('servers.create', input);
      expect(r, JSON.stringify(input)).toMatchObject({ ok: false, error: { field, message: expect.stringMatching(message) } });
      expect(JSON.stringify(r)).not.toMatch(/CANARY/);
    }
  });

  it('a URL changed outside the app cannot read the key: nothing is sent anywhere, and the list says so', async () => {
    const { core, conn, server, t } = await kit.start({ seed: false });
    const elsewhere = await startCrudeServer();
    kit.cleanups.push(() => elsewhere.close());
    core.close();
    const db = new Database(t.core.paths.databaseFile);
    db.prepare('UPDATE servers SET url = ? WHERE id = ?').run(elsewhere.url, conn.id);
    db.close();
    const reopened = t.reopen();
    const listed = reopened.servers.get(conn.id);
    expect(listed.keyProblem).toMatch(/cannot be decrypted .* enter the key again/);
    const before = server.requests.length + elsewhere.requests.length;
    await expect(reopened.sync.compare(conn.id)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED', message: expect.stringMatching(/^The management key of server "staging" cannot be decrypted .*Nothing was sent\.$/) });
    expect(server.requests.length + elsewhere.requests.length).toBe(before);
    // Entering the key again repairs it.
    reopened.servers.update({ id: conn.id, url: server.url, key: server.managementKey });
    expect(reopened.servers.get(conn.id).keyProblem).toBeUndefined();
    expect((await reopened.sync.test(conn.id)).groups).toBe(1);
  });

  it('swapping two servers\' keys in the database breaks both; renaming or moving in the app keeps the key working', async () => {
    const { core, conn, server, t } = await kit.start({ seed: false });
    const other = core.servers.create({ name: 'production', url: `${server.url}/`, key: server.managementKey });
    expect(other.url).toBe(server.url);
    core.servers.update({ id: other.id, name: 'prod' });
    expect((await core.sync.test(other.id)).server.name).toBe('prod');
    core.close();
    const db = new Database(t.core.paths.databaseFile);
    const [a, b] = db.prepare('SELECT id, key_encrypted FROM servers ORDER BY id').all() as { id: number; key_encrypted: string }[];
    db.prepare('UPDATE servers SET key_encrypted = ? WHERE id = ?').run(b!.key_encrypted, a!.id);
    db.prepare('UPDATE servers SET key_encrypted = ? WHERE id = ?').run(a!.key_encrypted, b!.id);
    db.close();
    const reopened = t.reopen();
    expect(reopened.servers.list().map((s) => Boolean(s.keyProblem))).toEqual([true, true]);
    await expect(reopened.sync.test(conn.id)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
  });

  it('a database whose only ciphertext is a server key still refuses to start without its key file', async () => {
    const { core, t } = await kit.start({ seed: false });
    core.close();
    rmSync(t.core.paths.keyFile);
    expect(() => openCore({ dataDir: t.dir })).toThrow(/key file .* is missing, but the database .* holds encrypted/);
  });

  it('rotation re-encrypts server keys with the others, and they keep working', async () => {
    const { core, conn, t } = await kit.start({ seed: false });
    const result = await core.rotation.rotateNow();
    expect(result.skipped).toEqual([]);
    const db = new Database(t.core.paths.databaseFile, { readonly: true });
    expect(db.prepare('SELECT substr(key_encrypted, 1, 1) FROM servers').pluck().get()).toBe('B');
    db.close();
    expect((await core.sync.test(conn.id)).groups).toBe(1);
  });

  it('deleting a server forgets its previews; the audit entry names it, not its key', async () => {
    const { core, conn } = await kit.start();
    const c = await core.sync.compare(conn.id);
    core.servers.delete(conn.id);
    expect(() => core.sync.reveal(c.snapshotId, 'secret:global::LOG_LEVEL')).toThrow(/no longer kept/);
    expect(core.servers.list()).toEqual([]);
    expect(core.audit.list({ action: 'server.deleted' }).entries[0]).toMatchObject({ recordName: 'staging', recordKind: 'server' });
  });

  it('a value revealed from a comparison is an audited disclosure naming the server', async () => {
    const { core, conn } = await kit.start();
    const c = await core.sync.compare(conn.id);
    expect(core.sync.reveal(c.snapshotId, 'secret:group:shipping:RECIPIENT')).toBe('CANARY-ship@example.com');
    expect(core.sync.reveal(c.snapshotId, 'key:shipping/ship-a', 'copy')).toBe('CANARY-key-ship-a');
    const entries = core.audit.list({}).entries.slice(0, 2);
    expect(entries.map((e) => `${e.action} ${e.recordName} ${JSON.stringify(e.detail)}`)).toEqual([
      'key.copied ship-a {"server":"staging","group":"shipping"}',
      'secret.revealed RECIPIENT {"server":"staging","owner":"shipping"}',
    ]);
    expect(() => core.sync.reveal(c.snapshotId, 'function:notify')).toThrow(/no secret or key/);
  });

  it('over the admin API (browser mode), no answer ever carries the management key: create, list, compare, pull, a refused key, an unreachable server', async () => {
    const server = await startCrudeServer();
    kit.cleanups.push(() => server.close());
    seedServer(server);
    const api = await startApi();
    kit.cleanups.push(() => api.close());
    const bodies: string[] = [];
    const rpc = async (op: string, input: unknown) => {
      const r = await api.rpc(op, input);
      bodies.push(JSON.stringify(r.body));
      return r.body;
    };
    const created = await rpc('servers.create', { name: 'staging', url: server.url, key: server.managementKey });
    await rpc('servers.list', {});
    const c = await rpc('sync.compare', { serverId: created.data.id });
    await rpc('sync.pull', { serverId: created.data.id, snapshotId: c.data.snapshotId, refs: ['group:shipping'] });
    await rpc('servers.update', { id: created.data.id, key: 'CANARY-wrong-management-key' });
    const refused = await rpc('sync.compare', { serverId: created.data.id });
    expect(refused.error).toMatchObject({ code: 'SERVER_UNAUTHORIZED' });
    await rpc('servers.update', { id: created.data.id, url: 'http://127.0.0.1:9', key: server.managementKey });
    const down = await rpc('servers.test', { id: created.data.id });
    expect(down.error).toMatchObject({ code: 'SERVER_UNREACHABLE', message: expect.stringMatching(/^Server "staging" \(http:\/\/127\.0\.0\.1:9\): GET \/api\/encryption-keys\/rotation /) });
    for (const b of bodies) {
      expect(b).not.toContain(server.managementKey);
      expect(b).not.toContain('CANARY-wrong-management-key');
    }
    expect(JSON.stringify(api.t.core.audit.list({}, 1000))).not.toMatch(/CANARY-(mgmt|wrong)/);
    expect(databaseBytes(api.t.core.paths.databaseFile)).not.toContain(server.managementKey);
  });
});
