import { afterEach, describe, expect, it } from 'vitest';
import { seedWorld, tempCore } from '../support/temp-core';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('the workspace health report', () => {
  it('combines the static scan, the log’s traces and the matrix', () => {
    const t = tempCore();
    cleanups.push(t.cleanup);
    const core = t.core;
    const w = seedWorld(core);
    core.code.write('notify.ts', 'export default async (c, ctx) => c.json({ a: await ctx.getSecret("API_URL"), b: await ctx.getSecret(which) });\n');
    core.code.write('report.ts', 'export default async (c, ctx) => c.json({ a: await ctx.getSecret("REPORT_TOKEN") });\n');
    core.secrets.create({ name: 'API_URL', value: 'g', scope: 'group', scopeId: w.shipping.id }); // mfg-svc gets undefined
    core.secrets.create({ name: 'api_url', value: 'x', scope: 'global' }); // a case twin, read by nobody
    core.secrets.create({ name: 'REPORT_TOKEN', value: 'f', scope: 'function', scopeId: w.report.id });
    core.secrets.create({ name: 'REPORT_TOKEN', value: 'g', scope: 'global' }); // shadowed for report, reached by notify's callers
    core.secrets.create({ name: 'SHADOWED', value: 'g', scope: 'function', scopeId: w.notify.id });
    for (const k of [w.shipKey, w.shipKey2, w.mfgKey]) core.secrets.create({ name: 'SHADOWED', value: 'k', scope: 'key', scopeId: k.id });
    const lonely = core.groups.create({ name: 'lonely' });
    core.secrets.create({ name: 'LONELY', value: 'g', scope: 'group', scopeId: lonely.id });
    // The log says notify asked for FROM_LOG (a computed name) and got nothing.
    core.executions.record({
      functionId: w.notify.id, requestId: 'r1', at: new Date().toISOString(), method: 'POST', path: '/notify', status: 200, durationMs: 1,
      keyId: w.shipKey.id, keyName: 'ship-svc', groupName: 'shipping', console: [], error: null,
      trace: [{ call: 'getSecret', name: 'FROM_LOG', requestedScope: null, answeredBy: null }],
    });

    const h = core.health();
    const reads = h.undefinedReads.map((u) => [u.functionName, u.name, u.seenIn.join('+'), u.missingFor.map((m) => m.keyName ?? 'no key').join(',')]);
    expect(reads).toEqual([
      ['notify', 'API_URL', 'code', 'mfg-svc'],
      ['notify', 'FROM_LOG', 'log', 'mfg-svc,ship-other,ship-svc'],
    ]);
    expect(h.computedReads).toEqual([{ functionId: w.notify.id, functionName: 'notify', count: 1 }]);
    expect(h.unreadSecrets.map((u) => u.name)).toEqual(['LONELY', 'SHADOWED', 'api_url']);
    expect(h.shadowed.map((s) => [s.name, s.scope, s.recordName, s.reason])).toEqual([
      ['SHADOWED', 'function', 'notify', 'shadowed'],
      ['LONELY', 'group', 'lonely', 'no-caller'],
    ]);
    expect(h.caseTwins).toEqual([['API_URL', 'api_url']]);
    expect(h.rotation.overdue).toBe(false);
    expect(h.totals).toMatchObject({ functions: 2 });
  });
});
