import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operationNames, eventNames } from '../../src/shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../src/main/window-security';
import { rawRequest, startApi, type ApiWorld } from './helpers';

let w: ApiWorld;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'crude-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  w = await startApi({ rendererDir });
});
afterAll(async () => {
  await w.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

describe('every contract operation is served over HTTP', () => {
  it.each(operationNames)('%s', async (op) => {
    const { status, body } = await w.rpc(op, {});
    expect(typeof body.ok).toBe('boolean');
    if (!body.ok) {
      expect(body.error.message).not.toMatch(/unknown operation/i);
      expect(status).toBeGreaterThanOrEqual(400);
    } else {
      expect(status).toBe(200);
    }
  });

  it('an unknown operation is NOT_FOUND', async () => {
    const { status, body } = await w.rpc('groups.explode', {});
    expect(status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).toMatch(/unknown operation/i);
  });

  it('the contract declares events the SSE stream can carry', () => {
    expect(eventNames).toContain('data.changed');
  });
});

describe('round trips', () => {
  it('groups, keys, functions, secrets', async () => {
    const g = await w.rpc('groups.create', { name: 'shipping', description: 'ships' });
    expect(g.status).toBe(200);
    const groupId = g.body.data.id as number;
    expect((await w.rpc('groups.update', { id: groupId, description: 'boats' })).body.data.description).toBe('boats');
    expect((await w.rpc('groups.list')).body.data.map((x: { name: string }) => x.name)).toContain('shipping');

    const k = await w.rpc('keys.create', { groupId, name: 'svc' });
    expect(k.body.ok).toBe(true);
    expect(k.body.data.value).toMatch(/^cfk_/);
    const keyList = (await w.rpc('keys.list', { groupId })).body.data;
    expect(JSON.stringify(keyList)).not.toContain(k.body.data.value);
    expect((await w.rpc('keys.reveal', { id: k.body.data.id })).body.data.value).toBe(k.body.data.value);

    const f = await w.rpc('functions.create', { name: 'rt', route: '/rt', methods: ['GET'], handler: 'rt.ts', groupIds: [groupId] });
    expect(f.body.ok).toBe(true);
    expect((await w.rpc('functions.get', { id: f.body.data.id })).body.data.route).toBe('/rt');
    expect((await w.rpc('functions.setEnabled', { id: f.body.data.id, enabled: false })).body.data.enabled).toBe(false);

    const s = await w.rpc('secrets.create', { name: 'RT_SECRET', value: 'CANARY-rt-1', scope: 'global' });
    expect(s.body.ok).toBe(true);
    const list = await w.rpc('secrets.list', { scope: 'global' });
    expect(JSON.stringify(list.body)).not.toContain('CANARY-rt-1');
    expect((await w.rpc('secrets.list', { scope: 'global', limit: 1 })).body.data).toHaveLength(1);
    expect((await w.rpc('secrets.list', { scope: 'global', limit: 0 })).body.error).toMatchObject({ code: 'VALIDATION', field: 'limit' });
    expect((await w.rpc('secrets.reveal', { id: s.body.data.id })).body.data.value).toBe('CANARY-rt-1');
    expect((await w.rpc('secrets.update', { id: s.body.data.id, value: 'CANARY-rt-2' })).body.ok).toBe(true);
    expect((await w.rpc('secrets.reveal', { id: s.body.data.id })).body.data.value).toBe('CANARY-rt-2');
    expect((await w.rpc('secrets.names', { query: 'rt_' })).body.data).toContain('RT_SECRET');
    expect((await w.rpc('secrets.delete', { id: s.body.data.id })).body.data).toEqual({ id: s.body.data.id });

    const blocked = await w.rpc('groups.delete', { id: groupId });
    if (!blocked.body.ok) expect(blocked.body.error.code).toBe('IN_USE');
    expect((await w.rpc('functions.delete', { id: f.body.data.id })).body.ok).toBe(true);
    const del = blocked.body.ok ? blocked : await w.rpc('groups.delete', { id: groupId });
    expect(del.body.ok, JSON.stringify(del.body.error)).toBe(true);
    expect(del.body.data.target).toMatchObject({ kind: 'group', id: groupId });
    expect((await w.rpc('groups.list')).body.data.map((x: { id: number }) => x.id)).not.toContain(groupId);
  });

  it('code files', async () => {
    expect((await w.rpc('code.write', { path: 'a/b.ts', content: 'export default 1' })).body.data.path).toBe('a/b.ts');
    expect((await w.rpc('code.read', { path: 'a/b.ts' })).body.data.content).toBe('export default 1');
    expect((await w.rpc('code.delete', { path: 'a/b.ts' })).body.data).toEqual({ path: 'a/b.ts' });
    const bad = await w.rpc('code.read', { path: '../escape.ts' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('path');
  });

  it('settings and rotation', async () => {
    expect((await w.rpc('settings.set', { logRetention: 50 })).body.data.logRetention).toBe(50);
    expect((await w.rpc('rotation.setInterval', { days: 30 })).body.ok).toBe(true);
    const r = await w.rpc('rotation.rotateNow');
    expect(r.body.ok).toBe(true);
    expect((await w.rpc('app.info')).body.data.mode).toBe('browser');
  });
});

describe('validation errors name the field', () => {
  it('a bad secret name', async () => {
    const { status, body } = await w.rpc('secrets.create', { name: 'api.key', value: 'CANARY-v', scope: 'global' });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'VALIDATION', field: 'name' });
  });
  it('an unknown field', async () => {
    const { status, body } = await w.rpc('groups.create', { name: 'ok-name', colour: 'red' });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'VALIDATION', field: 'colour' });
  });
  it('a missing field and a wrong type', async () => {
    expect((await w.rpc('keys.create', { name: 'k' })).body.error.field).toBe('groupId');
    expect((await w.rpc('functions.create', { name: 'f', route: '/f', methods: ['FETCH'], handler: 'f.ts' })).body.error.field).toBe('methods.0');
  });
  it('a body that is not JSON', async () => {
    const res = await fetch(`${w.base}/rpc/groups.list`, { method: 'POST', headers: { authorization: `Bearer ${w.token}` }, body: '{nope' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe('VALIDATION');
  });
  it('a body that is not valid UTF-8 is refused, not silently changed', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"bad-'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const res = await fetch(`${w.base}/rpc/groups.create`, { method: 'POST', headers: { authorization: `Bearer ${w.token}`, 'content-type': 'application/json' }, body: bytes });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatchObject({ code: 'VALIDATION', message: 'The request body is not valid UTF-8.' });
    expect((await w.rpc('groups.list')).body.data.map((g: { name: string }) => g.name).join()).not.toMatch(/bad-/);
  });
  it('a secret value with a lone surrogate is refused, naming the field', async () => {
    // "\ud800" in JSON text is valid JSON and valid UTF-8, but no character: it has no UTF-8 form.
    const res = await fetch(`${w.base}/rpc/secrets.create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.token}`, 'content-type': 'application/json' },
      body: '{"name":"LONE","value":"before\\ud800after","scope":"global"}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatchObject({ code: 'VALIDATION', field: 'value' });
  });
  it('a chunked body past the limit is refused while it arrives, not after reading all of it', async () => {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 50 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${w.base}/rpc/groups.list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.token}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(/larger than/);
    expect(sent).toBeLessThan(20 * 1024 * 1024);
  });
  it('core errors keep their code', async () => {
    const { status, body } = await w.rpc('functions.get', { id: 999999 });
    expect(status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
  });
});

describe('a curl session: four scopes and resolve', () => {
  it('key scope wins, then group, function, global', async () => {
    const group = (await w.rpc('groups.create', { name: 'billing' })).body.data;
    const key = (await w.rpc('keys.create', { groupId: group.id, name: 'billing-svc' })).body.data;
    const fn = (
      await w.rpc('functions.create', { name: 'invoice', route: '/invoice', methods: ['POST'], handler: 'invoice.ts', groupIds: [group.id] })
    ).body.data;
    for (const [scope, scopeId, value] of [
      ['global', null, 'CANARY-global'],
      ['function', fn.id, 'CANARY-function'],
      ['group', group.id, 'CANARY-group'],
      ['key', key.id, 'CANARY-key'],
    ] as const) {
      const r = await w.rpc('secrets.create', { name: 'PAYMENT_TOKEN', value, scope, scopeId });
      expect(r.body.ok, JSON.stringify(r.body.error)).toBe(true);
    }
    const resolved = await w.rpc('secrets.resolve', { name: 'PAYMENT_TOKEN', functionId: fn.id, keyId: key.id });
    expect(resolved.body.data).toEqual({ name: 'PAYMENT_TOKEN', scope: 'key', value: 'CANARY-key' });
    // invoice requires a billing key: without one the handler never runs (401).
    const noKey = await w.rpc('secrets.resolve', { name: 'PAYMENT_TOKEN', functionId: fn.id });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error).toMatchObject({ code: 'VALIDATION', field: 'keyId' });
    // A public function's handler sees no key: the key is ignored and the function value wins.
    const open = (await w.rpc('functions.create', { name: 'open', route: '/open', methods: ['GET'], handler: 'open.ts' })).body.data;
    await w.rpc('secrets.create', { name: 'PAYMENT_TOKEN', value: 'CANARY-open', scope: 'function', scopeId: open.id });
    const publicCall = await w.rpc('secrets.resolve', { name: 'PAYMENT_TOKEN', functionId: open.id, keyId: key.id });
    expect(publicCall.body.data).toEqual({ name: 'PAYMENT_TOKEN', scope: 'function', value: 'CANARY-open' });
    const onlyGlobal = await w.rpc('secrets.resolve', { name: 'PAYMENT_TOKEN', functionId: fn.id, keyId: key.id, scope: 'global' });
    expect(onlyGlobal.body.data).toEqual({ name: 'PAYMENT_TOKEN', scope: 'global', value: 'CANARY-global' });
    const missing = await w.rpc('secrets.resolve', { name: 'NOPE', functionId: fn.id, keyId: key.id });
    expect(missing.body.data).toEqual({ name: 'NOPE', scope: null });
    const complete = await w.rpc('secrets.complete', { name: 'PAYMENT_TOKEN', functionId: fn.id, keyId: key.id });
    expect(complete.body.ok).toBe(true);
    expect(complete.body.data).not.toBeNull();
    expect((await w.rpc('secrets.explain', { name: 'PAYMENT_TOKEN', functionId: fn.id, keyId: key.id })).body.ok).toBe(true);
    expect((await w.rpc('secrets.matrix', { name: 'PAYMENT_TOKEN' })).body.ok).toBe(true);
    expect((await w.rpc('secrets.inspect', { name: 'PAYMENT_TOKEN' })).body.ok).toBe(true);
    const preview = await w.rpc('secrets.deletePreview', { kind: 'key', id: key.id });
    expect(preview.body.ok).toBe(true);
    expect((await w.rpc('functions.secretUses', { functionId: fn.id })).body.ok).toBe(true);
    expect((await w.rpc('functions.logs', { functionId: fn.id })).body.data).toEqual([]);
  });
});

describe('auth', () => {
  const path = '/rpc/groups.list';
  it('no token → 401', async () => {
    const r = await rawRequest(w.http.port, { method: 'POST', path, headers: { host: `127.0.0.1:${w.http.port}` }, body: '{}' });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).error.code).toBe('UNAUTHORIZED');
  });
  it('wrong token → 401', async () => {
    const r = await w.rpc('groups.list', {}, { authorization: 'Bearer not-the-token' });
    expect(r.status).toBe(401);
  });
  it('a foreign Host → 403 (DNS rebinding)', async () => {
    for (const host of ['evil.example:80', `evil.example:${w.http.port}`, '127.0.0.1:1', `[::1]:${w.http.port}`]) {
      const r = await rawRequest(w.http.port, {
        method: 'POST',
        path,
        headers: { host, authorization: `Bearer ${w.token}` },
        body: '{}',
      });
      expect(r.status, host).toBe(403);
    }
  });
  it('localhost:PORT is accepted', async () => {
    const r = await rawRequest(w.http.port, {
      method: 'POST',
      path,
      headers: { host: `localhost:${w.http.port}`, authorization: `Bearer ${w.token}` },
      body: '{}',
    });
    expect(r.status).toBe(200);
  });
  it('a foreign Origin → 403 (CSRF); the same origin passes', async () => {
    const bad = await w.rpc('groups.list', {}, { authorization: `Bearer ${w.token}`, origin: 'http://evil.example' });
    expect(bad.status).toBe(403);
    const nullOrigin = await w.rpc('groups.list', {}, { authorization: `Bearer ${w.token}`, origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    const same = await w.rpc('groups.list', {}, { authorization: `Bearer ${w.token}`, origin: w.base });
    expect(same.status).toBe(200);
  });
  it('a key of a non-management group is refused; a management key is accepted', async () => {
    const g = (await w.rpc('groups.create', { name: 'outsiders' })).body.data;
    const outsider = (await w.rpc('keys.create', { groupId: g.id, name: 'outsider' })).body.data.value as string;
    const refused = await w.rpc('groups.list', {}, { 'x-api-key': outsider });
    expect([401, 403]).toContain(refused.status);
    const unknown = await w.rpc('groups.list', {}, { 'x-api-key': 'cfk_unknown' });
    expect(unknown.status).toBe(401);
    const mgmt = (await w.rpc('groups.list')).body.data.find((x: { name: string }) => x.name === 'management');
    const mk = (await w.rpc('keys.create', { groupId: mgmt.id, name: 'admin-script' })).body.data.value as string;
    const ok = await w.rpc('groups.list', {}, { 'x-api-key': mk });
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(true);
  });
  it('events need auth too', async () => {
    const r = await fetch(`${w.base}/events`);
    expect(r.status).toBe(401);
  });
});

describe('static renderer', () => {
  it('serves index.html for / with a strict CSP and no token', async () => {
    const r = await fetch(`${w.base}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await r.text()).toContain('<title>app</title>');
  });
  it('refuses paths outside the renderer', async () => {
    const r = await rawRequest(w.http.port, { path: '/../../etc/passwd', headers: { host: `127.0.0.1:${w.http.port}` } });
    expect(r.body).not.toContain('root:');
    const enc = await fetch(`${w.base}/%2e%2e/%2e%2e/etc/passwd`);
    expect(await enc.text()).not.toContain('root:');
  });
});

describe('server-sent events', () => {
  it('delivers data.changed after a write', async () => {
    const controller = new AbortController();
    const res = await fetch(`${w.base}/events`, { headers: { authorization: `Bearer ${w.token}` }, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    const got = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += value;
        const m = /event: data\.changed\ndata: (.*)\n\n/.exec(buffer);
        if (m) return JSON.parse(m[1]!);
      }
    })();
    // Wait for the stream to open, then write.
    await new Promise((r) => setTimeout(r, 100));
    await w.rpc('groups.create', { name: 'sse-group' });
    const payload = await Promise.race([got, new Promise((r) => setTimeout(() => r('timeout'), 5000))]);
    controller.abort();
    expect(payload).toEqual({ operation: 'groups.create' });
  });
});
