import { afterEach, describe, expect, it } from 'vitest';
import { caseTwinGroups, editDistance, similarNames } from '../../src/main/core/secrets/overrides';
import { findComputedSecretCalls } from '../../src/main/core/secrets/uses';
import { seedWorld, tempCore } from '../support/temp-core';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function world() {
  const t = tempCore();
  cleanups.push(t.cleanup);
  return { core: t.core, ...seedWorld(t.core) };
}

describe('where a scope’s secrets are overridden (secrets.overrides)', () => {
  it('counts the callers a more specific scope wins for, and names the records', () => {
    const w = world();
    // notify accepts shipping (ship-svc, ship-other) and manufacturing (mfg-svc); report is public.
    w.core.secrets.create({ name: 'API_URL', value: 'g', scope: 'global' });
    w.core.secrets.create({ name: 'API_URL', value: 'grp', scope: 'group', scopeId: w.shipping.id });
    w.core.secrets.create({ name: 'API_URL', value: 'k', scope: 'key', scopeId: w.mfgKey.id });
    w.core.secrets.create({ name: 'ALONE', value: 'g', scope: 'global' });
    const [o, ...rest] = w.core.secrets.overridesIn('global');
    expect(rest).toEqual([]);
    expect(o!.name).toBe('API_URL');
    // Callers: report (public: one caller, whatever the key), notify × its 3 accepted keys.
    expect(o!.reached).toBe(4);
    expect(o!.overridden).toBe(3);
    expect(o!.overriddenBy).toEqual([
      { scope: 'group', scopeId: w.shipping.id, recordName: 'shipping', groupName: null, callers: 2 },
      { scope: 'key', scopeId: w.mfgKey.id, recordName: 'mfg-svc', groupName: 'manufacturing', callers: 1 },
    ]);
    // The group's own secret is overridden by nothing (no key of shipping defines it).
    expect(w.core.secrets.overridesIn('group', w.shipping.id)).toEqual([]);
    expect(w.core.secrets.overridesIn('key', w.mfgKey.id)).toEqual([]);
  });

  it('agrees with the matrix: a function secret overridden by a key for one caller', () => {
    const w = world();
    w.core.secrets.create({ name: 'DB', value: 'f', scope: 'function', scopeId: w.notify.id });
    w.core.secrets.create({ name: 'DB', value: 'k', scope: 'key', scopeId: w.shipKey.id });
    const [o] = w.core.secrets.overridesIn('function', w.notify.id);
    expect(o).toMatchObject({ name: 'DB', reached: 3, overridden: 1 });
    const m = w.core.secrets.matrix('DB');
    const row = m.functions.findIndex((f) => f.id === w.notify.id);
    expect(m.cells[row]!.filter((c) => c === 'key')).toHaveLength(1);
  });
});

describe('what a scope inherits (secrets.inherited)', () => {
  it('a key inherits its group, then global; names it defines are not inherited', () => {
    const w = world();
    w.core.secrets.create({ name: 'A', value: 'g', scope: 'global' });
    w.core.secrets.create({ name: 'B', value: 'g', scope: 'global' });
    w.core.secrets.create({ name: 'B', value: 'grp', scope: 'group', scopeId: w.shipping.id });
    w.core.secrets.create({ name: 'C', value: 'k', scope: 'key', scopeId: w.shipKey.id });
    w.core.secrets.create({ name: 'A', value: 'k', scope: 'key', scopeId: w.shipKey.id });
    const inherited = w.core.secrets.inheritedIn('key', w.shipKey.id);
    expect(inherited.map((i) => [i.name, i.from, i.fromRecordName])).toEqual([['B', 'group', 'shipping']]);
    expect(w.core.secrets.inheritedIn('function', w.notify.id).map((i) => i.name)).toEqual(['A', 'B']);
    expect(w.core.secrets.inheritedIn('global')).toEqual([]);
  });
});

describe('one caller’s secrets (secrets.callerOverview)', () => {
  it('lists every name the caller sees, the scopes defining it and the winner', () => {
    const w = world();
    w.core.secrets.create({ name: 'A', value: 'g', scope: 'global' });
    w.core.secrets.create({ name: 'A', value: 'k', scope: 'key', scopeId: w.shipKey.id });
    w.core.secrets.create({ name: 'B', value: 'f', scope: 'function', scopeId: w.notify.id });
    w.core.secrets.create({ name: 'C', value: 'other', scope: 'key', scopeId: w.mfgKey.id });
    const o = w.core.secrets.callerOverview(w.notify.id, w.shipKey.id);
    expect(o.keyApplies).toBe(true);
    expect(o.rows.map((r) => [r.name, Object.keys(r.defined).sort(), r.winner])).toEqual([
      ['A', ['global', 'key'], 'key'],
      ['B', ['function'], 'function'],
    ]);
    // Each row's winner is what resolution answers for that caller.
    for (const r of o.rows) expect(w.core.secrets.getSecret(r.name, { functionId: w.notify.id, keyId: w.shipKey.id })?.scope).toBe(r.winner);
    // A public function ignores the key.
    const pub = w.core.secrets.callerOverview(w.report.id, w.shipKey.id);
    expect(pub.keyApplies).toBe(false);
    expect(pub.rows.map((r) => [r.name, r.winner])).toEqual([['A', 'global']]);
    // A refused caller sees nothing.
    const refused = w.core.secrets.callerOverview(w.notify.id, null);
    expect(refused.refused).toMatch(/refused/);
    expect(refused.rows).toEqual([]);
  });
});

describe('case twins and near names', () => {
  it('finds case-only twins and names one or two edits away', () => {
    const all = ['API_URL', 'api_url', 'API_URI', 'APP_URL', 'DATABASE_URL', 'X'];
    expect(similarNames('API_URl', all)).toEqual({ caseTwins: ['API_URL', 'api_url'], near: ['API_URI', 'APP_URL'] });
    expect(similarNames('API_URL', all).caseTwins).toEqual(['api_url']);
    expect(caseTwinGroups(all)).toEqual([['API_URL', 'api_url']]);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abcdefgh', 2)).toBe(3);
  });

  it('through core: twins are among every scope’s names', () => {
    const w = world();
    w.core.secrets.create({ name: 'API_URL', value: 'g', scope: 'global' });
    w.core.secrets.create({ name: 'api_url', value: 'k', scope: 'key', scopeId: w.shipKey.id });
    expect(w.core.secrets.similarNames('API_URl')).toEqual({ caseTwins: ['API_URL', 'api_url'], near: [] });
  });
});

describe('calls with a computed name', () => {
  it('counts getSecret calls whose name is not a literal, with their line and column', () => {
    const src = 'const a = await ctx.getSecret("LITERAL");\nconst b = await ctx.getSecret(name);\nconst c = await ctx.getCompleteSecret(`X_${env}`);\nconst d = ctx.getSecret("OK", "global");\n';
    expect(findComputedSecretCalls(src)).toEqual([
      { call: 'getSecret', line: 2, column: 21, text: 'getSecret(name)' },
      { call: 'getCompleteSecret', line: 3, column: 21, text: 'getCompleteSecret(`X_${env}`)' },
    ]);
  });
});

describe('matrix: hide refused callers', () => {
  it('leaves out keys no function in the filter accepts', () => {
    const w = world();
    const other = w.core.groups.create({ name: 'other' });
    w.core.keys.create({ groupId: other.id, name: 'nobody-accepts' });
    w.core.secrets.create({ name: 'A', value: 'g', scope: 'global' });
    const all = w.core.secrets.matrix('A');
    const accepted = w.core.secrets.matrix('A', { acceptedOnly: true });
    expect(all.columns.map((c) => c.keyName)).toContain('nobody-accepts');
    expect(accepted.columns.map((c) => c.keyName)).toEqual([null, 'mfg-svc', 'ship-other', 'ship-svc']);
    expect(accepted.totalKeys).toBe(3);
  });
});

describe('a function’s last call', () => {
  it('is the call just logged, with its time', () => {
    const w = world();
    expect(w.core.functions.get(w.report.id)).toMatchObject({ lastStatus: null, lastCalledAt: null });
    const at = new Date().toISOString();
    w.core.executions.record({ functionId: w.report.id, requestId: 'r1', at, method: 'GET', path: '/report/1', status: 201, durationMs: 1, keyId: null, keyName: null, groupName: null, console: [], error: null, trace: [] });
    // Read at once, before the log's batch timer: the answer must include the call.
    expect(w.core.functions.get(w.report.id)).toMatchObject({ lastStatus: 201, lastCalledAt: at });
    expect(w.core.functions.list().find((f) => f.id === w.report.id)).toMatchObject({ lastStatus: 201, lastCalledAt: at });
  });
});
