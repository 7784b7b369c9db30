import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServerClient, ServerCallError } from '../../src/main/core/sync/http-client';
import { startCrudeServer, type CrudeServer } from '../support/crude-server';
import { seedServer, syncKit } from './fixture';

const kit = syncKit();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function started(): Promise<CrudeServer> {
  const s = await startCrudeServer();
  closers.push(() => s.close());
  seedServer(s);
  return s;
}

async function failure(p: Promise<unknown>): Promise<ServerCallError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ServerCallError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** A plain HTTP server answering every request with `status`, `headers` and `body`. */
async function answering(status: number, body: string, headers: Record<string, string> = {}): Promise<string> {
  const srv = createServer((_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  });
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  closers.push(() => new Promise((ok) => srv.close(() => ok())));
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

const target = (url: string, key: string) => ({ id: 1, name: 'staging', url, key });

describe('the server client against the platform\'s management API', () => {
  it('reads every list in the documented shapes', async () => {
    const s = await started();
    const c = createHttpServerClient(target(s.url, s.managementKey));
    const fns = await c.listFunctions();
    expect(fns.find((f) => f.name === 'notify')).toMatchObject({ route: '/notify', methods: ['POST'], handler: 'apps/notify.ts', enabled: true });
    expect(fns.find((f) => f.name === 'notify')!.keys).toHaveLength(2);
    expect((await c.listKeys()).find((k) => k.name === 'ship-a')).toMatchObject({ groupName: 'shipping', value: 'CANARY-key-ship-a' });
    expect((await c.listSecrets()).find((x) => x.scopeType === 'key')).toMatchObject({ name: 'RECIPIENT', value: 'CANARY-ship-a@example.com' });
    expect(await c.rotationStatus()).toMatchObject({ currentVersion: 'A', isInProgress: false });
    const src = (await c.listSources())[0]!;
    expect((await c.listFiles(src.id)).map((f) => f.path)).toEqual(['lib/format.ts', 'logo.png', 'notify.ts', 'report.ts']);
    expect(await c.readFile(src.id, 'lib/format.ts')).toContain('export const fmt');
    expect(await c.readFile(src.id, 'logo.png')).toBeNull();
  });

  it('a missing, wrong or non-management key is refused with the server and the call named, the key never quoted', async () => {
    const s = await started();
    const shipKey = [...s.data.keys.values()].find((k) => k.name === 'ship-a')!.value;
    for (const key of ['CANARY-wrong-key-1234', shipKey]) {
      const e = await failure(createHttpServerClient(target(s.url, key)).listFunctions());
      expect(e.code).toBe('SERVER_UNAUTHORIZED');
      expect(e.status).toBe(401);
      expect(e.call).toBe('GET /api/functions');
      expect(e.message).toBe(
        `Server "staging" (${s.url}): GET /api/functions refused the management key (401 Unauthorized): use a key of a group the server allows on its management API (management by default).`,
      );
      expect(e.message).not.toContain(key);
    }
    // The server answers {"error":"Unauthorized"} with 401 to a request without a key, as the platform does.
    const raw = await fetch(`${s.url}/api/functions`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({ error: 'Unauthorized' });
  });

  it('a server of another version (an answer of another shape) is SERVER_INCOMPATIBLE naming the field', async () => {
    const s = await started();
    s.setApiVersion('other');
    const e = await failure(createHttpServerClient(target(s.url, s.managementKey)).listFunctions());
    expect(e.code).toBe('SERVER_INCOMPATIBLE');
    expect(e.message).toMatch(/^Server "staging" \(.*\): GET \/api\/functions answered in a shape this app does not know \(functions\.0\.route: .*\): the server runs a version of Crude Functions whose API differs\.$/);
    // A route the server does not have.
    s.fail({ path: /^\/api\/sources$/, status: 404, body: { error: 'Not Found' } });
    expect((await failure(createHttpServerClient(target(s.url, s.managementKey)).listSources())).message).toMatch(/GET \/api\/sources does not exist there \(404\): the server runs a version of Crude Functions whose API differs\.$/);
  });

  it('not JSON, a redirect to a login page, an oversized answer: each a clear error', async () => {
    const html = await answering(200, '<html>Crude Functions</html>', { 'content-type': 'text/html' });
    expect((await failure(createHttpServerClient(target(html, 'CANARY-k-123456')).listGroups())).message).toMatch(/GET \/api\/key-groups answered with something that is not JSON/);
    const login = await answering(302, '', { location: '/web/login?callbackUrl=%2Fapi%2Fkeys' });
    const e = await failure(createHttpServerClient(target(login, 'CANARY-k-123456')).listKeys());
    expect(e.message).toMatch(/GET \/api\/keys answered with a redirect \(302 to \/web\/login\?callbackUrl=%2Fapi%2Fkeys\): is this the management API's URL \(port 9000 by default\)\?\.$/);
    const big = await answering(200, JSON.stringify({ groups: [], pad: 'x'.repeat(2048) }));
    expect((await failure(createHttpServerClient(target(big, 'CANARY-k-123456'), { maxAnswerBytes: 1024 }).listGroups())).code).toBe('SERVER_INCOMPATIBLE');
  });

  it('a server that is down, slow or cuts the connection: SERVER_UNREACHABLE naming it and the call', async () => {
    const closed = await answering(200, '{}');
    await closers.pop()!(); // now nothing listens there
    const down = await failure(createHttpServerClient(target(closed, 'CANARY-k-123456')).listFunctions());
    expect(down).toMatchObject({ code: 'SERVER_UNREACHABLE', call: 'GET /api/functions' });
    expect(down.message).toBe(`Server "staging" (${closed}): GET /api/functions refused the connection (is the server running, and is this its management port, 9000 by default?).`);

    const s = await started();
    s.fail({ path: /^\/api\/key-groups$/, delayMs: 1500 });
    const slow = await failure(createHttpServerClient(target(s.url, s.managementKey), { timeoutMs: 300 }).listGroups());
    expect(slow.message).toBe(`Server "staging" (${s.url}): GET /api/key-groups did not answer within 300 ms.`);
    s.fail({ path: /^\/api\/keys$/, drop: true });
    expect((await failure(createHttpServerClient(target(s.url, s.managementKey)).listKeys())).message).toMatch(/GET \/api\/keys closed the connection before answering\.$/);
  });

  it('error bodies are passed on, with the key and the values just sent blanked out', async () => {
    const s = await started();
    const c = createHttpServerClient(target(s.url, s.managementKey));
    const g = [...s.data.groups.values()].find((x) => x.name === 'shipping')!;
    const dup = await failure(c.createKey({ groupId: g.id, name: 'ship-a', value: 'CANARY-fresh-value' }));
    expect(dup).toMatchObject({ code: 'SERVER_ERROR', status: 409 });
    expect(dup.message).toBe(`Server "staging" (${s.url}): POST /api/keys was refused (409: A key with name 'ship-a' already exists in group 'shipping').`);
    expect((await failure(c.createSecret({ name: 'X', value: '   ', scopeType: 'global' }))).message).toMatch(/POST \/api\/secrets was refused \(400: Secret value cannot be empty\)\.$/);
    // A server that echoes what it was sent (or the key) never gets it into our messages.
    s.fail({ method: 'POST', path: /^\/api\/secrets$/, status: 400, body: { error: `bad value CANARY-echoed-value for key ${s.managementKey}` } });
    const echoed = await failure(c.createSecret({ name: 'X', value: 'CANARY-echoed-value', scopeType: 'global' }));
    expect(echoed.message).toBe(`Server "staging" (${s.url}): POST /api/secrets was refused (400: bad value [redacted] for key [redacted]).`);
  });

  it('a sync through core names the server and the call too, and a test connection reports what it found', async () => {
    const { core, conn, server } = await kit.start();
    const check = await core.sync.test(conn.id);
    expect(check).toMatchObject({ server: { name: 'staging' }, functions: 2, groups: 3, keys: 4, secrets: 5, sources: 1, rotation: { currentVersion: 'A', isInProgress: false } });
    core.servers.update({ id: conn.id, key: 'CANARY-not-the-key-0000' });
    await expect(core.sync.test(conn.id)).rejects.toMatchObject({ code: 'SERVER_UNAUTHORIZED', message: expect.stringMatching(/^Server "staging" \(.*\): GET \/api\/encryption-keys\/rotation refused the management key/) });
    expect(server.requests.join('\n')).not.toMatch(/CANARY-/);
  });
});
