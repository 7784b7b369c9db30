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
    // One worker, so both requests run on the same warm module.
    const w = await hostWorld({ workersPerFunction: 1 });
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

  it('answers arrive through the worker\'s secret channel and leave nothing in it for a later request', async () => {
    const w = await hostWorld({ workersPerFunction: 1 });
    w.core.secrets.create({ name: 'LEFT', value: 'CANARY-left-behind', scope: 'global' });
    // The handler looks at the raw channel after its call, as hostile code on the same worker could.
    w.fn(
      'peek',
      `import { workerData } from 'node:worker_threads';
      export default async (c, ctx) => {
        const value = await ctx.getSecret('LEFT');
        const body = new Uint8Array(workerData.secretChannel, 8);
        return c.json({ value, leftover: body.some((b) => b !== 0) });
      }`,
    );
    for (let i = 0; i < 2; i++) {
      const res = await w.get('/peek');
      expect(await res.json()).toEqual({ value: 'CANARY-left-behind', leftover: false });
    }
  });
});
