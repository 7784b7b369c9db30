import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/main/api/events';
import { createDispatcher } from '../../src/main/api/registry';
import { startHttpServer, type HttpServerHandle } from '../../src/main/api/http-transport';
import { createFunctionHost, type FunctionHost } from '../../src/main/core/host';
import { tempCore } from '../support/temp-core';

// One scenario through every path that produces text — admin API errors, function host
// errors, handler console output and throws, decryption failures, rotation — then a scan
// of everything produced for the secret and API key values in play.
const SECRET = 'CANARY-leak-secret-value';
const TOKEN = 'leak-test-session-token-0123456789abcdef';

let t: ReturnType<typeof tempCore>;
let host: FunctionHost;
let http: HttpServerHandle;
let base: string;
let keyValue: string;
const produced: string[] = [];
const printed: string[] = [];
const original = { log: console.log, info: console.info, warn: console.warn, error: console.error };

async function rpc(op: string, input: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const res = await fetch(`${base}/rpc/${op}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as { ok: boolean; data?: any; error?: { message: string } } };
}

beforeAll(async () => {
  for (const level of ['log', 'info', 'warn', 'error'] as const) {
    console[level] = (...args: unknown[]) => printed.push(args.map(String).join(' '));
  }
  t = tempCore();
  t.core.settings.set({ requestTimeoutMs: 3000 });
  host = createFunctionHost(t.core, { port: 0, maxFailedAuth: 3 });
  await host.start();
  const bus = new EventBus();
  const dispatch = createDispatcher({ core: t.core, host, mode: 'browser', bus });
  http = await startHttpServer({ dispatch, bus, core: t.core, token: TOKEN, rendererDir: null, port: 0 });
  base = `http://127.0.0.1:${http.port}`;
});

afterAll(async () => {
  await http?.close();
  await host?.stop();
  t?.cleanup();
  Object.assign(console, original);
});

describe('no secret or API key value leaks', () => {
  it('through errors, logs, the execution log and HTTP bodies', async () => {
    const group = (await rpc('groups.create', { name: 'leaky' })).body.data;
    const key = (await rpc('keys.create', { groupId: group.id, name: 'leaky-key' })).body.data;
    keyValue = key.value;
    await rpc('code.write', {
      path: 'talker.ts',
      content: `export default async (c, ctx) => {
        const v = await ctx.getSecret("LEAK");
        console.log("the secret is", v, "and the key is", c.req.header("x-api-key"));
        if (ctx.query.fail) throw new Error("failed with " + v);
        return c.json({ ok: true });
      }`,
    });
    const fn = (await rpc('functions.create', { name: 'talker', route: '/talker', methods: ['GET'], handler: 'talker.ts', groupIds: [group.id] })).body.data;
    const secret = (await rpc('secrets.create', { name: 'LEAK', value: SECRET, scope: 'global' })).body.data;

    // Admin API errors that carry the values in their input.
    produced.push((await rpc('secrets.create', { name: 'bad name', value: SECRET, scope: 'global' })).text);
    produced.push((await rpc('secrets.create', { name: 'LEAK', value: SECRET, scope: 'global' })).text);
    produced.push((await rpc('secrets.create', { name: 'BIG', value: `${SECRET}${'x'.repeat(17000)}`, scope: 'global' })).text);
    produced.push((await rpc('secrets.update', { id: 999999, value: SECRET })).text);
    produced.push((await rpc('groups.list', {}, { 'x-api-key': keyValue })).text); // non-management key
    produced.push((await rpc('groups.list', {}, { authorization: `Bearer ${keyValue}` })).text);
    produced.push((await rpc('secrets.create', { name: 'X', value: SECRET, scope: 'global', unknownField: 1 })).text);

    // Function host: success, a throw that includes the value, wrong keys, 429.
    const run = host.status().url!;
    const inits: RequestInit[] = [{ headers: { 'x-api-key': keyValue } }, { headers: { authorization: `Bearer ${keyValue}` } }];
    for (const init of inits) {
      const r = await fetch(`${run}/talker`, init);
      produced.push(await r.text());
      produced.push(JSON.stringify([...r.headers]));
    }
    const failing = await fetch(`${run}/talker?fail=1`, { headers: { 'x-api-key': keyValue } });
    expect(failing.status).toBe(500);
    produced.push(await failing.text());
    for (let i = 0; i < 4; i++) produced.push(await (await fetch(`${run}/talker?api_key=${keyValue}x`)).text());

    // Try it through the admin API returns the (redacted) log's console and error.
    produced.push((await rpc('functions.invoke', { functionId: fn.id, keyId: key.id, query: { fail: '1' } })).text.replace(/"body":"[^"]*"/, ''));
    produced.push((await rpc('functions.logs', { functionId: fn.id })).text);

    // A tampered record: its error names the record, not the value.
    const db = new Database(t.core.paths.databaseFile);
    const row = db.prepare('SELECT value_encrypted AS v FROM secrets WHERE id = ?').get(secret.id) as { v: string };
    db.prepare('UPDATE secrets SET value_encrypted = ? WHERE id = ?').run(`${row.v.slice(0, 20)}A${row.v.slice(21)}`, secret.id);
    produced.push((await rpc('secrets.reveal', { id: secret.id })).text);
    db.prepare('UPDATE secrets SET value_encrypted = ? WHERE id = ?').run(row.v, secret.id);
    db.close();

    // Rotation results and events.
    produced.push((await rpc('rotation.rotateNow', {})).text);

    // Everything stored in the execution log, straight from the database.
    const logDb = new Database(t.core.paths.databaseFile, { readonly: true });
    produced.push(JSON.stringify(logDb.prepare('SELECT * FROM executions').all()));
    produced.push(readFileSync(t.core.paths.databaseFile).toString('latin1'));
    logDb.close();

    const everything = [...produced, ...printed].join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything.includes(SECRET), 'a secret value leaked').toBe(false);
    expect(everything.includes(keyValue), 'an API key value leaked').toBe(false);
    // The scenario really exercised the paths: the redaction marker shows up in the log.
    expect(everything).toContain('[redacted secret LEAK]');
    expect(everything).toContain('[redacted API key]');
  });
});
