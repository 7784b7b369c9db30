import { describe, expect, it } from 'vitest';
import { hostWorld } from './support';

// A handler module outlives its request on a warm worker, so a ctx can be kept in a
// module variable and used during a later request. That call must not be answered with
// the later request's key (handler-context.md: main answers for "this request's context only").
const KEEPER = `let kept;
export default async (c, ctx) => {
  if (c.req.query("phase") === "keep") {
    kept = ctx;
    return c.text("kept");
  }
  let late;
  try {
    late = { value: (await kept.getSecret("WHO", "key")) ?? null };
  } catch (e) {
    late = { refused: e.message };
  }
  return c.json({ late, own: (await ctx.getSecret("WHO", "key")) ?? null });
}`;

describe('secret calls belong to their request', () => {
  it('a ctx kept from an earlier request gets an error, never the current request\'s key secrets', async () => {
    // One process serves both requests, so the module (and the kept ctx) outlives the first.
    const w = await hostWorld();
    const g = w.core.groups.create({ name: 'callers' });
    const first = w.core.keys.create({ groupId: g.id, name: 'first' });
    const second = w.core.keys.create({ groupId: g.id, name: 'second' });
    w.core.secrets.create({ name: 'WHO', value: 'CANARY-first-key', scope: 'key', scopeId: first.id });
    w.core.secrets.create({ name: 'WHO', value: 'CANARY-second-key', scope: 'key', scopeId: second.id });
    const fn = w.fn('keeper', KEEPER, { groupIds: [g.id] });

    const kept = await w.get('/keeper?phase=keep', { headers: { 'x-api-key': first.value } });
    expect(await kept.text()).toBe('kept');
    const res = await w.get('/keeper', { headers: { 'x-api-key': second.value } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { late: { value?: string; refused?: string }; own: string };
    expect(body.late.value).toBeUndefined();
    expect(body.late.refused).toMatch(/already been answered/);
    expect(body.own).toBe('CANARY-second-key');

    // The refused call is not in the second request's trace: only its own lookup is.
    const entry = w.core.executions.list(fn.id)[0]!;
    expect(entry.requestId).toBe(res.headers.get('x-request-id'));
    expect(entry.trace).toEqual([{ call: 'getSecret', name: 'WHO', requestedScope: 'key', answeredBy: 'key' }]);
  });

  it('many concurrent requests with different keys in one handler process each get their own key\'s answers', async () => {
    const w = await hostWorld();
    const g = w.core.groups.create({ name: 'many' });
    const keys = Array.from({ length: 8 }, (_, i) => w.core.keys.create({ groupId: g.id, name: `k${i}` }));
    keys.forEach((k, i) => w.core.secrets.create({ name: 'WHO', value: `CANARY-answer-${i}`, scope: 'key', scopeId: k.id }));
    // Each request asks, yields to the others, and asks again: answers must never cross.
    w.fn(
      'interleave',
      `export default async (c, ctx) => {
        const a = await ctx.getSecret("WHO");
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        const b = await ctx.getSecret("WHO", "key");
        return c.json({ a, b, asked: ctx.query.i });
      }`,
      { groupIds: [g.id] },
    );
    const calls = Array.from({ length: 200 }, (_, n) => {
      const i = n % keys.length;
      return w.get(`/interleave?i=${i}`, { headers: { 'x-api-key': keys[i]!.value } }).then(async (r) => ({ i, body: (await r.json()) as { a: string; b: string; asked: string } }));
    });
    for (const { i, body } of await Promise.all(calls)) {
      expect(body).toEqual({ a: `CANARY-answer-${i}`, b: `CANARY-answer-${i}`, asked: String(i) });
    }
  });
});
