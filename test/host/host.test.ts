import Database from 'better-sqlite3';
import { mkdirSync, symlinkSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFunctionHost } from '../../src/main/core/host';
import { tempDir } from '../support/temp-core';
import { hostWorld, type HostWorld } from './support';

const ECHO = `export default async (c, ctx) => c.json({
  group: ctx.authenticatedKeyGroup ?? null,
  viaKey: await ctx.getSecret("WHO", "key"),
  viaGroup: await ctx.getSecret("WHO", "group"),
  resolved: await ctx.getSecret("WHO"),
})`;

async function keyed(w: HostWorld) {
  const shipping = w.core.groups.create({ name: 'shipping' });
  const other = w.core.groups.create({ name: 'other' });
  const key = w.core.keys.create({ groupId: shipping.id, name: 'ship-key' });
  const otherKey = w.core.keys.create({ groupId: other.id, name: 'other-key' });
  const fn = w.fn('echo', ECHO, { groupIds: [shipping.id] });
  w.core.secrets.create({ name: 'WHO', value: 'CANARY-key-level', scope: 'key', scopeId: key.id });
  w.core.secrets.create({ name: 'WHO', value: 'CANARY-group-level', scope: 'group', scopeId: shipping.id });
  w.core.secrets.create({ name: 'WHO', value: 'global-level', scope: 'global' });
  return { shipping, other, key, otherKey, fn };
}

describe('API keys on /run, read as the platform\'s server reads them', () => {
  it('accepts the key in every form the server accepts', async () => {
    const w = await hostWorld();
    const { key } = await keyed(w);
    const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    const forms: [string, RequestInit | undefined, string][] = [
      ['Authorization Bearer', { headers: { Authorization: `Bearer ${key.value}` } }, '/echo'],
      ['Basic with an empty user name', { headers: { Authorization: basic(`:${key.value}`) } }, '/echo'],
      ['plain Authorization', { headers: { Authorization: key.value } }, '/echo'],
      ['a custom scheme', { headers: { Authorization: `Token ${key.value}` } }, '/echo'],
      ['X-API-Key', { headers: { 'X-API-Key': key.value } }, '/echo'],
      ['X-Auth-Token', { headers: { 'X-Auth-Token': key.value } }, '/echo'],
      ['Api-Key', { headers: { 'Api-Key': key.value } }, '/echo'],
      ['X-Access-Token', { headers: { 'X-Access-Token': key.value } }, '/echo'],
      ['api_key query', undefined, `/echo?api_key=${encodeURIComponent(key.value)}`],
      ['apiKey query', undefined, `/echo?apiKey=${encodeURIComponent(key.value)}`],
    ];
    for (const [label, init, path] of forms) {
      const res = await w.get(path, init);
      expect(res.status, label).toBe(200);
      expect(await res.json(), label).toEqual({
        group: 'shipping',
        viaKey: 'CANARY-key-level',
        viaGroup: 'CANARY-group-level',
        resolved: 'CANARY-key-level',
      });
    }
  });

  it('checks only the first key found: Authorization, then the four headers, then api_key, apiKey', async () => {
    const w = await hostWorld();
    const { key } = await keyed(w);
    const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    const cases: [string, RequestInit, string, number][] = [
      ['a wrong Authorization beats a right X-API-Key', { headers: { Authorization: 'Bearer wrong', 'X-API-Key': key.value } }, '/echo', 401],
      ['a right X-API-Key beats a wrong api_key', { headers: { 'X-API-Key': key.value } }, '/echo?api_key=wrong', 200],
      ['a wrong X-API-Key beats a right X-Auth-Token', { headers: { 'X-API-Key': 'wrong', 'X-Auth-Token': key.value } }, '/echo', 401],
      ['a wrong api_key beats a right apiKey', {}, `/echo?api_key=wrong&apiKey=${encodeURIComponent(key.value)}`, 401],
      ['Basic with a user name is no key, so X-API-Key counts', { headers: { Authorization: basic(`anyone:${key.value}`), 'X-API-Key': key.value } }, '/echo', 200],
      ['Basic with a user name alone is no key', { headers: { Authorization: basic(`anyone:${key.value}`) } }, '/echo', 401],
      ['another known scheme is no key', { headers: { Authorization: `Digest ${key.value}`, 'X-API-Key': key.value } }, '/echo', 200],
      ['a scheme name alone is no key', { headers: { Authorization: 'Bearer', 'X-API-Key': key.value } }, '/echo', 200],
      ['lowercase bearer is a known scheme, no key', { headers: { Authorization: `bearer ${key.value}` } }, '/echo', 401],
    ];
    for (const [label, init, path, status] of cases) {
      expect((await w.get(path, init)).status, label).toBe(status);
    }
  });

  it('answers 401 with the server\'s body for a missing, unknown or other-group key, logging names only', async () => {
    const w = await hostWorld();
    const { otherKey, fn } = await keyed(w);
    const cases: [string, RequestInit | undefined, string, RegExp][] = [
      ['missing', undefined, 'Missing API key', /Send the key in/],
      ['unknown', { headers: { 'X-API-Key': 'cfk_not-a-real-key-value-at-all-nope' } }, 'Invalid API key', /not a key of this app/],
      ['other group', { headers: { 'X-API-Key': otherKey.value } }, 'Invalid API key', /group other/],
    ];
    for (const [label, init, message, hint] of cases) {
      const res = await w.get('/echo', init);
      expect(res.status, label).toBe(401);
      const body = (await res.json()) as Record<string, string>;
      expect(body, label).toEqual({ error: 'Unauthorized', message, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), hint: expect.stringMatching(hint) });
      expect(JSON.stringify(body)).not.toContain(otherKey.value);
    }
    const log = w.core.executions.list(fn.id);
    expect(log.map((e) => e.status)).toEqual([401, 401, 401]);
    expect(log.every((e) => e.keyId === null && e.trace.length === 0)).toBe(true);
    expect(JSON.stringify(log)).not.toContain(otherKey.value);
  });

  it('a public function sees no key and no group, even when a key is sent', async () => {
    const w = await hostWorld();
    const { key } = await keyed(w);
    w.fn('open', ECHO);
    const res = await w.get('/open', { headers: { 'X-API-Key': key.value } });
    expect(await res.json()).toEqual({ group: null, resolved: 'global-level' });
  });

  it('slows key guessing: past the limit a client\'s wrong keys get 429, a valid key still passes, tried values are never logged', async () => {
    const w = await hostWorld({ maxFailedAuth: 3 });
    const { key, fn } = await keyed(w);
    const warnings: string[] = [];
    const orig = console.warn;
    console.warn = (m: string) => warnings.push(m);
    try {
      for (let i = 0; i < 2; i++) expect((await w.get('/echo', { headers: { 'X-API-Key': `guess-${i}-CANARY-guess` } })).status).toBe(401);
      expect((await w.get('/echo', { headers: { 'X-API-Key': 'guess-2-CANARY-guess' } })).status).toBe(429);
      expect((await w.get('/echo', { headers: { 'X-API-Key': 'guess-3-CANARY-guess' } })).status).toBe(429);
      // Every caller here is 127.0.0.1: ten guesses by any local process must not lock out the key's owner.
      expect((await w.get('/echo', { headers: { 'X-API-Key': key.value } })).status).toBe(200);
    } finally {
      console.warn = orig;
    }
    expect(warnings.join('\n')).toMatch(/too many failed API key checks/);
    expect(warnings.join('\n')).not.toMatch(/guess-|cfk_/);
    expect(JSON.stringify(w.core.executions.list(fn.id))).not.toMatch(/guess-/);
  });
});

describe('routing, as the platform\'s server routes', () => {
  it('answers 404 "Function not found" for an unknown path, a method the function does not answer, a trailing slash and a disabled function', async () => {
    const w = await hostWorld();
    const f = w.fn('only-post', 'export default async (c) => c.text("posted")', { methods: ['POST'] });
    const notFound = async (path: string, init?: RequestInit) => {
      const res = await w.get(path, init);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toEqual({ error: 'Function not found' });
    };
    await notFound('/nowhere');
    await notFound('/only-post');
    await notFound('/only-post/', { method: 'POST' });
    expect(await (await w.get('/only-post', { method: 'POST' })).text()).toBe('posted');
    w.core.functions.setEnabled(f.id, false);
    await notFound('/only-post', { method: 'POST' });
  });

  it('answers HEAD through a GET route, without a body', async () => {
    const w = await hostWorld();
    w.fn('got', 'export default async (c) => c.text("body")');
    const res = await w.get('/got', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('follows route changes and deletions on the next request', async () => {
    const w = await hostWorld();
    const f = w.fn('moving', 'export default async (c) => c.text("here")');
    expect(await (await w.get('/moving')).text()).toBe('here');
    w.core.functions.update({ id: f.id, route: '/moved' });
    expect((await w.get('/moving')).status).toBe(404);
    expect(await (await w.get('/moved')).text()).toBe('here');
    w.core.functions.delete(f.id);
    expect((await w.get('/moved')).status).toBe(404);
  });
});

describe('the handler context', () => {
  it('gives c as a Hono Context and ctx with route, params, query, requestedAt and requestId', async () => {
    const w = await hostWorld();
    w.fn(
      'ctx',
      `export default async (c, ctx) => c.json({
        route: ctx.route, params: ctx.params, query: ctx.query, group: ctx.authenticatedKeyGroup ?? null,
        requestedAtIsDate: ctx.requestedAt instanceof Date, requestedAt: ctx.requestedAt.toISOString(),
        requestId: ctx.requestId, honoParam: c.req.param("id"), method: c.req.method, path: c.req.path,
        header: c.req.header("x-test"), body: await c.req.text(),
      })`,
      { route: '/users/:id', methods: ['POST'] },
    );
    const before = Date.now();
    const res = await w.get('/users/42?x=1&y=two', { method: 'POST', headers: { 'x-test': 'yes' }, body: 'payload' });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      route: { name: 'ctx', handler: 'ctx.ts', route: '/users/:id', methods: ['POST'] },
      params: { id: '42' },
      query: { x: '1', y: 'two' },
      group: null,
      requestedAtIsDate: true,
      honoParam: '42',
      method: 'POST',
      // The platform hands the handler the path below /run.
      path: '/users/42',
      header: 'yes',
      body: 'payload',
    });
    expect(Date.parse(body.requestedAt as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
    const second = (await (await w.get('/users/7', { method: 'POST' })).json()) as { requestId: string };
    expect(second.requestId).not.toBe(body.requestId);
  });

  it('resolves hierarchically and by explicit scope through a real handler (the spec\'s LOG_LEVEL example)', async () => {
    const w = await hostWorld();
    const g = w.core.groups.create({ name: 'ops' });
    const k = w.core.keys.create({ groupId: g.id, name: 'oncall' });
    const f = w.fn(
      'levels',
      `export default async (c, ctx) => c.json({
        resolved: await ctx.getSecret("LOG_LEVEL"),
        global: await ctx.getSecret("LOG_LEVEL", "global"),
        function: await ctx.getSecret("LOG_LEVEL", "function"),
        group: await ctx.getSecret("LOG_LEVEL", "group"),
        key: await ctx.getSecret("LOG_LEVEL", "key"),
      })`,
      { groupIds: [g.id] },
    );
    w.core.secrets.create({ name: 'LOG_LEVEL', value: 'info', scope: 'global' });
    w.core.secrets.create({ name: 'LOG_LEVEL', value: 'debug', scope: 'function', scopeId: f.id });
    w.core.secrets.create({ name: 'LOG_LEVEL', value: 'error', scope: 'key', scopeId: k.id });
    const res = await w.get('/levels', { headers: { 'X-API-Key': k.value } });
    expect(await res.json()).toEqual({ resolved: 'error', global: 'info', function: 'debug', key: 'error' });
    const log = w.core.executions.list(f.id)[0]!;
    expect(log.trace).toEqual([
      { call: 'getSecret', name: 'LOG_LEVEL', requestedScope: null, answeredBy: 'key' },
      { call: 'getSecret', name: 'LOG_LEVEL', requestedScope: 'global', answeredBy: 'global' },
      { call: 'getSecret', name: 'LOG_LEVEL', requestedScope: 'function', answeredBy: 'function' },
      { call: 'getSecret', name: 'LOG_LEVEL', requestedScope: 'group', answeredBy: null },
      { call: 'getSecret', name: 'LOG_LEVEL', requestedScope: 'key', answeredBy: 'key' },
    ]);
    expect(log).toMatchObject({ keyId: k.id, keyName: 'oncall', groupName: 'ops', status: 200, method: 'GET', path: '/run/levels' });
    expect(JSON.stringify(log)).not.toMatch(/:"(info|debug|error)"/);
  });

  it('returns getCompleteSecret in the spec\'s shape through a real handler', async () => {
    const w = await hostWorld();
    const g = w.core.groups.create({ name: 'readonly-users' });
    const k = w.core.keys.create({ groupId: g.id, name: 'client-123-key' });
    const f = w.fn('complete', 'export default async (c, ctx) => c.json(await ctx.getCompleteSecret("DATABASE_URL") ?? { none: true })', { groupIds: [g.id] });
    w.core.secrets.create({ name: 'DATABASE_URL', value: 'postgresql://shared-db:5432/main', scope: 'global' });
    w.core.secrets.create({ name: 'DATABASE_URL', value: 'postgresql://analytics-db:5432/analytics', scope: 'function', scopeId: f.id });
    w.core.secrets.create({ name: 'DATABASE_URL', value: 'postgresql://readonly-db:5432/main', scope: 'group', scopeId: g.id });
    w.core.secrets.create({ name: 'DATABASE_URL', value: 'postgresql://customer-db:5432/client_123', scope: 'key', scopeId: k.id });
    const res = await w.get('/complete', { headers: { 'X-API-Key': k.value } });
    expect(await res.json()).toStrictEqual({
      global: 'postgresql://shared-db:5432/main',
      function: 'postgresql://analytics-db:5432/analytics',
      group: { value: 'postgresql://readonly-db:5432/main', groupId: g.id, groupName: 'readonly-users' },
      key: { value: 'postgresql://customer-db:5432/client_123', groupId: g.id, groupName: 'readonly-users', keyId: k.id, keyName: 'client-123-key' },
    });
    expect(w.core.executions.list(f.id)[0]!.trace).toEqual([
      { call: 'getCompleteSecret', name: 'DATABASE_URL', requestedScope: null, answeredBy: 'key', answeredScopes: ['global', 'function', 'group', 'key'] },
    ]);
  });

  it('a handler cannot reach another function\'s or key\'s secrets, nor an invalid scope', async () => {
    const w = await hostWorld();
    const mine = w.fn('mine', `export default async (c, ctx) => c.json({
      other: await ctx.getSecret("PRIVATE") ?? null,
      otherFn: await ctx.getSecret("PRIVATE", "function") ?? null,
      bad: await ctx.getSecret("PRIVATE", "everything").catch((e) => e.message),
    })`);
    const theirs = w.fn('theirs', 'export default async (c) => c.text("x")');
    w.core.secrets.create({ name: 'PRIVATE', value: 'CANARY-theirs', scope: 'function', scopeId: theirs.id });
    const g = w.core.groups.create({ name: 'g' });
    const k = w.core.keys.create({ groupId: g.id, name: 'k' });
    w.core.secrets.create({ name: 'PRIVATE', value: 'CANARY-keyonly', scope: 'key', scopeId: k.id });
    const res = await w.get('/mine', { headers: { 'X-API-Key': k.value } });
    expect(await res.json()).toEqual({ other: null, otherFn: null, bad: 'Invalid secret scope: everything. Must be one of: global, function, group, key' });
    void mine;
  });
});

describe('handler files', () => {
  it('picks up a saved change (and a change to an imported file) on the next request', async () => {
    const w = await hostWorld();
    w.core.code.write('lib/message.ts', 'export const message = "one";');
    w.fn('reload', 'import { message } from "./lib/message"; export default async (c) => c.text(message)');
    expect(await (await w.get('/reload')).text()).toBe('one');
    w.core.code.write('lib/message.ts', 'export const message = "two";');
    expect(await (await w.get('/reload')).text()).toBe('two');
    // An edit from another editor, with the same size and an old timestamp, is seen too.
    const file = join(w.core.paths.codeDir, 'reload.ts');
    writeFileSync(file, 'import { message } from "./lib/message"; export default async (c) => c.text(message + "!")');
    utimesSync(file, new Date(2000, 1, 1), new Date(2000, 1, 1));
    expect(await (await w.get('/reload')).text()).toBe('two!');
  });

  it('transpiles TypeScript and lets handlers import node built-ins', async () => {
    const w = await hostWorld();
    w.fn('typed', `import { createHash } from "node:crypto";
      interface Out { sum: string }
      export default async function (c: any): Promise<Response> {
        const out: Out = { sum: createHash("sha256").update("x").digest("hex").slice(0, 8) };
        return c.json(out);
      }`);
    expect(await (await w.get('/typed')).json()).toEqual({ sum: '2d711642' });
  });

  it('refuses handler files and imports that leave code/ (symlink, relative import), at load time', async () => {
    const w = await hostWorld();
    const outside = tempDir();
    try {
      writeFileSync(join(outside.dir, 'evil.ts'), 'export default async (c) => c.text("escaped")');
      writeFileSync(join(outside.dir, 'lib.ts'), 'export const x = "escaped";');
      const f = w.fn('sneaky', 'export default async (c) => c.text("fine")');
      expect(await (await w.get('/sneaky')).text()).toBe('fine');
      rmSync(join(w.core.paths.codeDir, 'sneaky.ts'));
      symlinkSync(join(outside.dir, 'evil.ts'), join(w.core.paths.codeDir, 'sneaky.ts'));
      const res = await w.get('/sneaky');
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ error: 'Handler load failed', hint: expect.stringMatching(/outside the code\/ folder/) });
      mkdirSync(join(w.core.paths.codeDir, 'sub'));
      w.fn('importer', `import { x } from "${join(outside.dir, 'lib.ts')}"; export default async (c) => c.text(x)`);
      const res2 = await w.get('/importer');
      expect(res2.status).toBe(500);
      expect(await res2.json()).toMatchObject({ error: 'Handler load failed', hint: expect.stringMatching(/outside the code\/ folder/) });
      void f;
    } finally {
      outside.cleanup();
    }
  });

  it('does not show the app\'s environment to handlers', async () => {
    process.env.CRUDE_TEST_CANARY_ENV = 'CANARY-env';
    const w = await hostWorld();
    w.fn('env', 'export default async (c) => c.json({ env: { ...process.env }, home: process.env.HOME ?? null, path: Deno.env.get("PATH") ?? null, all: Deno.env.toObject() })');
    expect(await (await w.get('/env')).json()).toEqual({ env: {}, home: null, path: null, all: {} });
    delete process.env.CRUDE_TEST_CANARY_ENV;
  });
});

describe('a handler can break only itself', () => {
  // [what it does, source, status, the server's error, what the message or hint says]
  const broken: [string, string, number, string, RegExp][] = [
    ['throws', 'export default async () => { throw new Error("boom") }', 500, 'Handler execution failed', /boom/],
    ['rejects later', 'export default async (c) => { Promise.reject(new Error("late")); await new Promise((r) => setTimeout(r, 50)); return c.text("x") }', 500, 'Handler execution failed', /Unhandled rejection: late/],
    ['calls process.exit', 'export default async () => { process.exit(3) }', 500, 'Handler execution failed', /cannot call process.exit/],
    ['calls Deno.exit', 'export default async () => { Deno.exit(3) }', 500, 'Handler execution failed', /cannot call Deno.exit/],
    ['loops forever', 'export default async () => { for (;;) {} }', 504, 'Handler timed out', /did not answer/],
    ['loops forever at import', 'for (;;) {}\nexport default async (c) => c.text("x")', 504, 'Handler timed out', /did not answer/],
    ['eats memory', 'export default async () => { const a = []; for (;;) a.push(new Array(1e6).fill(Math.random())) }', 507, 'Handler out of memory', /memory/],
    ['throws at import', 'throw new Error("bad import"); export default async (c) => c.text("x")', 500, 'Handler load failed', /bad import/],
    ['has a syntax error', 'export default async (c) => { return c.text("x" }', 500, 'Handler syntax error', /at bad\.ts:1:\d+/],
    ['has no default export', 'export const handler = async (c) => c.text("x")', 500, 'Invalid handler', /export a default function/],
    ['returns no Response', 'export default async () => 42', 500, 'Handler execution failed', /must return a Response/],
    ['answers 20 MB', 'export default async () => new Response(new Uint8Array(20 * 1024 * 1024))', 502, 'Handler response too large', /larger than 10 MB/],
    ['answers an endless body', 'export default async () => new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(1 << 20)) }))', 502, 'Handler response too large', /larger than 10 MB/],
  ];

  it.each(broken)('a handler that %s fails its own request; the host and other functions keep answering', async (_name, source, status, error, detail) => {
    const w = await hostWorld({}, { requestTimeoutMs: 1500, handlerMemoryMb: 128 });
    w.fn('healthy', 'export default async (c) => c.text("still here")');
    const bad = w.fn('bad', source);
    const res = await w.get('/bad');
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: string; message: string; hint?: string; requestId: string };
    expect(body.error).toBe(error);
    expect(`${body.message}\n${body.hint ?? ''}`).toMatch(detail);
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
    const entry = w.core.executions.list(bad.id)[0]!;
    expect(entry.status).toBe(status);
    expect(entry.requestId).toBe(body.requestId);
    expect(entry.error).toMatch(detail);
    expect(await (await w.get('/healthy')).text()).toBe('still here');
    // The same function can be called again (a fresh process), and fixing it works.
    expect((await w.get('/bad')).status).toBe(status);
    w.core.code.write('bad.ts', 'export default async (c) => c.text("fixed")');
    expect(await (await w.get('/bad')).text()).toBe('fixed');
  }, 60_000);

  it('points a thrown error at the handler\'s own file and line, not at a bundle or a data: URL', async () => {
    const w = await hostWorld();
    w.core.code.write('lib/fail.ts', 'export function fail(): never {\n  throw new Error("deep");\n}\n');
    const f = w.fn('thrower', 'import { fail } from "./lib/fail.ts";\nexport default async () => {\n  fail();\n};\n');
    const res = await w.get('/thrower');
    expect(await res.json()).toMatchObject({ error: 'Handler execution failed', message: 'deep', hint: 'at lib/fail.ts:2:9' });
    const logged = w.core.executions.list(f.id)[0]!.error!;
    expect(logged).toMatch(/lib\/fail\.ts:2:9/);
    expect(logged).toMatch(/thrower\.ts:3:3/);
    expect(logged).not.toMatch(/data:|file:\/\/|handler-runtime/);
  });

  it('serves concurrent requests to one function at the same time, as the platform does', async () => {
    const w = await hostWorld();
    // The first request waits until the second one has run: served one after the other, they would deadlock.
    w.fn('rendezvous', `let release;
      const signalled = new Promise((r) => (release = r));
      export default async (c, ctx) => {
        if (ctx.query.role === "waiter") {
          await signalled;
          return c.text("waited");
        }
        release();
        return c.text("signalled");
      }`);
    const waiter = w.get('/rendezvous?role=waiter');
    await new Promise((r) => setTimeout(r, 200));
    const signaller = w.get('/rendezvous?role=signaller');
    expect(await (await signaller).text()).toBe('signalled');
    expect(await (await waiter).text()).toBe('waited');
  });
});

describe('execution log', () => {
  it('records method, path without the query, status, key names, console output and the secret trace — never values', async () => {
    const w = await hostWorld();
    const { key, fn } = await keyed(w);
    w.core.code.write('echo.ts', `export default async (c, ctx) => {
      const v = await ctx.getSecret("WHO");
      console.log("resolved value is", v, "key header", c.req.header("x-api-key"));
      console.warn("warned");
      console.error(new Error("oops " + v).message);
      return c.json({ ok: true });
    }`);
    const res = await w.get(`/echo?api_key=${encodeURIComponent(key.value)}&other=1`);
    expect(res.status).toBe(200);
    const [entry] = w.core.executions.list(fn.id);
    expect(entry).toMatchObject({ method: 'GET', path: '/run/echo', status: 200, keyName: 'ship-key', groupName: 'shipping', error: null });
    expect(entry!.console.map((e) => e.level)).toEqual(['log', 'warn', 'error']);
    expect(entry!.console[0]!.message).toMatch(/resolved value is \[redacted secret WHO\]/);
    expect(entry!.trace).toEqual([{ call: 'getSecret', name: 'WHO', requestedScope: null, answeredBy: 'key' }]);
    // Scan the stored rows themselves.
    const db = new Database(w.core.paths.databaseFile, { readonly: true });
    const rows = JSON.stringify(db.prepare('SELECT * FROM executions').all());
    db.close();
    expect(rows).not.toContain('CANARY-key-level');
    expect(rows).not.toContain(key.value);
    expect(rows).not.toContain('api_key');
  });

  it('notifies listeners of each new entry', async () => {
    const w = await hostWorld();
    const f = w.fn('notify', 'export default async (c) => c.text("x")');
    const seen: number[] = [];
    w.host.onExecution((e) => seen.push(e.functionId));
    await w.get('/notify');
    expect(seen).toEqual([f.id]);
  });
});

describe('invoke (Try it) and lifecycle', () => {
  it('invokes through the real host with a chosen key and returns status, body, console and trace', async () => {
    const w = await hostWorld();
    const { key, fn } = await keyed(w);
    w.core.code.write('echo.ts', 'export default async (c, ctx) => { console.info("hi"); return c.json({ who: await ctx.getSecret("WHO") }) }');
    const r = await w.host.invoke({ functionId: fn.id, keyId: key.id, query: { a: '1' } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ who: 'CANARY-key-level' });
    expect(r.console.map((c) => c.message)).toEqual(['hi']);
    expect(r.trace[0]).toMatchObject({ name: 'WHO', answeredBy: 'key' });
    expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const noKey = await w.host.invoke({ functionId: fn.id });
    expect(noKey.status).toBe(401);
  });

  it('asks for a path when the route has parameters', async () => {
    const w = await hostWorld();
    const f = w.fn('param', 'export default async (c, ctx) => c.text(ctx.params.id)', { route: '/p/:id' });
    await expect(w.host.invoke({ functionId: f.id })).rejects.toMatchObject({ code: 'VALIDATION', field: 'path' });
    expect((await w.host.invoke({ functionId: f.id, path: '/p/9' })).body).toBe('9');
  });

  it('takes the next free port when its port is taken, binds 127.0.0.1 only, and stops cleanly', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as { port: number }).port;
    const w = await hostWorld();
    const host = createFunctionHost(w.core, { port: taken });
    const status = await host.start();
    expect(status.running).toBe(true);
    expect(status.port).toBeGreaterThan(taken);
    expect(status.requestedPort).toBe(taken);
    expect(status.url).toBe(`http://127.0.0.1:${status.port}/run`);
    await host.stop();
    expect(host.status().running).toBe(false);
    await expect(fetch(`http://127.0.0.1:${status.port}/run/x`)).rejects.toThrow();
    blocker.close();
  });
});
