import { afterEach, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/shared/types';
import { tempCore, seedWorld } from '../support/temp-core';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function world() {
  const t = tempCore();
  cleanups.push(t.cleanup);
  return { core: t.core, ...seedWorld(t.core) };
}

const ORDER: Scope[] = ['key', 'group', 'function', 'global'];

describe('hierarchical resolution: Key > Group > Function > Global', () => {
  // Every subset of the four scopes, defined for the calling context.
  const subsets = Array.from({ length: 16 }, (_, mask) => ORDER.filter((_, i) => mask & (1 << i)));

  it.each(subsets.map((s) => [s.join('+') || 'none', s] as const))('defined at %s', (_label, defined) => {
    const w = world();
    const ids: Record<Scope, number | null> = { key: w.shipKey.id, group: w.shipping.id, function: w.notify.id, global: null };
    for (const scope of defined) {
      w.core.secrets.create({ name: 'LOG_LEVEL', value: `${scope}-value`, scope, scopeId: ids[scope] });
    }
    // Noise that must never win for this context: other records of every scope.
    w.core.secrets.create({ name: 'LOG_LEVEL', value: 'other-key', scope: 'key', scopeId: w.shipKey2.id });
    w.core.secrets.create({ name: 'LOG_LEVEL', value: 'other-group', scope: 'group', scopeId: w.manufacturing.id });
    w.core.secrets.create({ name: 'LOG_LEVEL', value: 'other-function', scope: 'function', scopeId: w.report.id });

    const expected = ORDER.find((s) => defined.includes(s));
    const got = w.core.secrets.getSecret('LOG_LEVEL', { functionId: w.notify.id, keyId: w.shipKey.id });
    expect(got).toEqual(expected ? { value: `${expected}-value`, scope: expected } : undefined);

    // Explicit scope: exactly that scope, or undefined.
    for (const scope of ORDER) {
      const one = w.core.secrets.getSecret('LOG_LEVEL', { functionId: w.notify.id, keyId: w.shipKey.id }, scope);
      expect(one?.value).toBe(defined.includes(scope) ? `${scope}-value` : undefined);
    }

    // Without a key (public call), key and group scopes do not apply.
    const publicExpected = (['function', 'global'] as Scope[]).find((s) => defined.includes(s));
    expect(w.core.secrets.getSecret('LOG_LEVEL', { functionId: w.notify.id })?.value).toBe(
      publicExpected ? `${publicExpected}-value` : undefined,
    );

    // The explanation agrees with the resolution.
    const ex = w.core.secrets.explain('LOG_LEVEL', { functionId: w.notify.id, keyId: w.shipKey.id });
    expect(ex.winner).toBe(expected ?? null);
    expect(ex.chain.map((l) => l.scope)).toEqual(ORDER);
    expect(ex.chain.filter((l) => l.wins).map((l) => l.scope)).toEqual(expected ? [expected] : []);
    expect(ex.chain.map((l) => l.defined)).toEqual(ORDER.map((s) => defined.includes(s)));
  });

  it('a key of another group gets neither this group\'s nor another key\'s secret', () => {
    const w = world();
    w.core.secrets.create({ name: 'recipient-email', value: 'shipping-updates@example.com', scope: 'group', scopeId: w.shipping.id });
    w.core.secrets.create({ name: 'recipient-email', value: 'manufacturing-updates@example.com', scope: 'group', scopeId: w.manufacturing.id });
    w.core.secrets.create({ name: 'service-name', value: 'ShipSvc', scope: 'key', scopeId: w.shipKey.id });
    const ship = { functionId: w.notify.id, keyId: w.shipKey.id };
    const ship2 = { functionId: w.notify.id, keyId: w.shipKey2.id };
    const mfg = { functionId: w.notify.id, keyId: w.mfgKey.id };
    expect(w.core.secrets.getSecret('recipient-email', ship)?.value).toBe('shipping-updates@example.com');
    expect(w.core.secrets.getSecret('recipient-email', mfg)?.value).toBe('manufacturing-updates@example.com');
    expect(w.core.secrets.getSecret('service-name', ship)?.value).toBe('ShipSvc');
    expect(w.core.secrets.getSecret('service-name', ship2)).toBeUndefined();
    expect(w.core.secrets.getSecret('service-name', mfg)).toBeUndefined();
  });

  it('a function secret is visible only to its function', () => {
    const w = world();
    w.core.secrets.create({ name: 'DB_CONNECTION_STRING', value: 'notify-db', scope: 'function', scopeId: w.notify.id });
    expect(w.core.secrets.getSecret('DB_CONNECTION_STRING', { functionId: w.report.id })).toBeUndefined();
    expect(w.core.secrets.getSecret('DB_CONNECTION_STRING', { functionId: w.notify.id })?.value).toBe('notify-db');
  });

  it('BYPASS_CHECKS: undefined by default, defined only for one debugging key', () => {
    const w = world();
    w.core.secrets.create({ name: 'BYPASS_CHECKS', value: 'yes', scope: 'key', scopeId: w.shipKey2.id });
    expect(w.core.secrets.getSecret('BYPASS_CHECKS', { functionId: w.notify.id, keyId: w.shipKey.id })).toBeUndefined();
    expect(w.core.secrets.getSecret('BYPASS_CHECKS', { functionId: w.notify.id, keyId: w.shipKey2.id })?.value).toBe('yes');
  });
});

describe('getCompleteSecret: the spec\'s shape to the letter', () => {
  it('all four scopes', () => {
    const w = world();
    const readonly = w.shipping;
    w.core.secrets.create({ name: 'DATABASE_URL', value: 'postgresql://shared-db:5432/main', scope: 'global' });
    w.core.secrets.create({ name: 'DATABASE_URL', value: 'postgresql://analytics-db:5432/analytics', scope: 'function', scopeId: w.notify.id });
    w.core.secrets.create({ name: 'DATABASE_URL', value: 'postgresql://readonly-db:5432/main', scope: 'group', scopeId: readonly.id });
    w.core.secrets.create({ name: 'DATABASE_URL', value: 'postgresql://customer-db:5432/client_123', scope: 'key', scopeId: w.shipKey.id });
    const details = w.core.secrets.getCompleteSecret('DATABASE_URL', { functionId: w.notify.id, keyId: w.shipKey.id });
    expect(details).toStrictEqual({
      global: 'postgresql://shared-db:5432/main',
      function: 'postgresql://analytics-db:5432/analytics',
      group: { value: 'postgresql://readonly-db:5432/main', groupId: readonly.id, groupName: 'shipping' },
      key: {
        value: 'postgresql://customer-db:5432/client_123',
        groupId: readonly.id,
        groupName: 'shipping',
        keyId: w.shipKey.id,
        keyName: 'ship-svc',
      },
    });
    expect(Object.keys(details!)).toEqual(['global', 'function', 'group', 'key']);
  });

  it('leaves absent scopes out, and is undefined when no scope has the name', () => {
    const w = world();
    w.core.secrets.create({ name: 'ONLY_GROUP', value: 'g', scope: 'group', scopeId: w.shipping.id });
    expect(w.core.secrets.getCompleteSecret('ONLY_GROUP', { functionId: w.notify.id, keyId: w.shipKey.id })).toStrictEqual({
      group: { value: 'g', groupId: w.shipping.id, groupName: 'shipping' },
    });
    expect(w.core.secrets.getCompleteSecret('ONLY_GROUP', { functionId: w.notify.id })).toBeUndefined();
    expect(w.core.secrets.getCompleteSecret('NOWHERE', { functionId: w.notify.id, keyId: w.shipKey.id })).toBeUndefined();
  });
});

describe('caller context: what the handler really runs with', () => {
  it('a public function ignores the key; a protected one refuses missing and foreign keys', () => {
    const w = world();
    expect(w.core.secrets.callerContext(w.report.id, w.shipKey.id)).toEqual({ functionId: w.report.id, keyId: null });
    expect(w.core.secrets.callerContext(w.notify.id, w.shipKey.id)).toEqual({ functionId: w.notify.id, keyId: w.shipKey.id });
    const other = w.core.groups.create({ name: 'outsiders' });
    const outsider = w.core.keys.create({ groupId: other.id, name: 'out' });
    expect(() => w.core.secrets.callerContext(w.notify.id, outsider.id)).toThrow(/accepts keys of group manufacturing, shipping only.*401/);
    expect(() => w.core.secrets.callerContext(w.notify.id, null)).toThrow(/requires an API key/);
  });
});

describe('inspector views', () => {
  it('inspect lists every definition of a name with its record, masked', () => {
    const w = world();
    w.core.secrets.create({ name: 'N', value: 'g-secret', scope: 'global' });
    w.core.secrets.create({ name: 'N', value: 'k-secret', scope: 'key', scopeId: w.mfgKey.id });
    w.core.secrets.create({ name: 'N', value: 'f-secret', scope: 'function', scopeId: w.report.id });
    const ins = w.core.secrets.inspect('N');
    expect(ins.definitions.map((d) => [d.scope, d.recordName, d.groupName])).toEqual([
      ['global', null, null],
      ['function', 'report', null],
      ['key', 'mfg-svc', 'manufacturing'],
    ]);
    expect(JSON.stringify(ins)).not.toMatch(/-secret/);
  });

  it('explain marks which scopes apply, which define the name and which record each is', () => {
    const w = world();
    w.core.secrets.create({ name: 'E', value: '1', scope: 'global' });
    w.core.secrets.create({ name: 'E', value: '2', scope: 'group', scopeId: w.shipping.id });
    const withKey = w.core.secrets.explain('E', { functionId: w.notify.id, keyId: w.shipKey.id });
    expect(withKey).toMatchObject({ functionName: 'notify', keyName: 'ship-svc', groupName: 'shipping', winner: 'group' });
    expect(withKey.chain.find((l) => l.scope === 'group')).toMatchObject({ applies: true, defined: true, wins: true, recordName: 'shipping' });
    expect(withKey.chain.find((l) => l.scope === 'global')).toMatchObject({ defined: true, wins: false });
    // notify requires a key of shipping or manufacturing: without one the call is refused.
    const noKey = w.core.secrets.explain('E', { functionId: w.notify.id });
    expect(noKey.refused).toMatch(/requires an API key of group manufacturing, shipping.*401/);
    expect(noKey.chain.every((l) => !l.applies)).toBe(true);
    expect(noKey.winner).toBeNull();
    // report is public: its handler sees no key, so a chosen key changes nothing.
    const publicWithKey = w.core.secrets.explain('E', { functionId: w.report.id, keyId: w.shipKey.id });
    expect(publicWithKey.note).toMatch(/Public function/);
    expect(publicWithKey.chain.filter((l) => !l.applies).map((l) => l.scope)).toEqual(['key', 'group']);
    expect(publicWithKey.winner).toBe('global');
    expect(JSON.stringify(withKey)).not.toContain('"value"');
  });

  it('matrix: functions × (no key, keys by group) coloured by the winning scope', () => {
    const w = world();
    w.core.secrets.create({ name: 'M', value: 'f', scope: 'function', scopeId: w.notify.id });
    w.core.secrets.create({ name: 'M', value: 'g', scope: 'group', scopeId: w.shipping.id });
    w.core.secrets.create({ name: 'M', value: 'k', scope: 'key', scopeId: w.mfgKey.id });
    const m = w.core.secrets.matrix('M');
    expect(m.columns[0]).toEqual({ keyId: null, keyName: null, groupId: null, groupName: null });
    const col = (keyId: number | null) => m.columns.findIndex((c) => c.keyId === keyId);
    const row = (fid: number) => m.functions.findIndex((f) => f.id === fid);
    const cell = (fid: number, kid: number | null) => m.cells[row(fid)]![col(kid)];
    // Every cell agrees with what the handler gets for that caller, or is refused.
    m.functions.forEach((f, fi) => {
      m.columns.forEach((c, ci) => {
        let ctx;
        try {
          ctx = w.core.secrets.callerContext(f.id, c.keyId);
        } catch {
          expect(m.denied[fi]![ci]).toBe(true);
          expect(m.cells[fi]![ci]).toBeNull();
          return;
        }
        expect(m.denied[fi]![ci]).toBe(false);
        expect(cell(f.id, c.keyId)).toBe(w.core.secrets.getSecret('M', ctx)?.scope ?? null);
      });
    });
    // notify requires shipping or manufacturing: no key is refused; shipping keys get the group value.
    expect(m.denied[row(w.notify.id)]![col(null)]).toBe(true);
    expect(cell(w.notify.id, w.shipKey.id)).toBe('group');
    expect(cell(w.notify.id, w.mfgKey.id)).toBe('key');
    // report is public: the key is ignored, so the key-scoped value never reaches it.
    expect(cell(w.report.id, w.mfgKey.id)).toBeNull();
    expect(cell(w.report.id, null)).toBeNull();
    expect(m.denied[row(w.report.id)]!.every((d) => !d)).toBe(true);
    expect(m.columns.slice(1).map((c) => c.groupName)).toEqual(['manufacturing', 'shipping', 'shipping']);
  });

  it('matrix window: filters and limits pick the rows and columns; every cell equals the full matrix', () => {
    const w = world();
    w.core.secrets.create({ name: 'W', value: 'g', scope: 'global' });
    w.core.secrets.create({ name: 'W', value: 'k', scope: 'key', scopeId: w.shipKey.id });
    w.core.secrets.create({ name: 'W', value: 'gr', scope: 'group', scopeId: w.manufacturing.id });
    const full = w.core.secrets.matrix('W');
    expect(full.totalFunctions).toBe(full.functions.length);
    expect(full.totalKeys).toBe(full.columns.length - 1);
    const cellOf = (m: typeof full, fid: number, kid: number | null) =>
      m.cells[m.functions.findIndex((f) => f.id === fid)]![m.columns.findIndex((c) => c.keyId === kid)];

    const win = w.core.secrets.matrix('W', { keyFilter: 'SHIP', maxFunctions: 1, maxKeys: 1 });
    expect(win.totalFunctions).toBe(full.functions.length);
    expect(win.totalKeys).toBe(full.columns.filter((c) => c.groupName === 'shipping').length);
    expect(win.functions.map((f) => f.id)).toEqual([full.functions[0]!.id]);
    // "no key" always comes first, then the window's keys.
    expect(win.columns.map((c) => c.groupName)).toEqual([null, 'shipping']);
    for (const f of win.functions) for (const c of win.columns) expect(cellOf(win, f.id, c.keyId)).toBe(cellOf(full, f.id, c.keyId));

    const byName = w.core.secrets.matrix('W', { functionFilter: w.report.name.toUpperCase() });
    expect(byName.functions.map((f) => f.id)).toEqual([w.report.id]);
    expect(w.core.secrets.matrix('W', { functionFilter: 'no-such-function' })).toMatchObject({ totalFunctions: 0, functions: [], cells: [] });
  });

  it('usesOf finds literal names in the handler and flags callers that would get undefined', () => {
    const w = world();
    w.core.code.write(
      'notify.ts',
      `export default async (c, ctx) => {
        const to = await ctx.getSecret("recipient-email");
        const svc = await ctx.getSecret('service-name', 'key');
        const all = await ctx.getCompleteSecret(\`DATABASE_URL\`);
        return c.json({ to, svc, all });
      }`,
    );
    w.core.secrets.create({ name: 'recipient-email', value: 's', scope: 'group', scopeId: w.shipping.id });
    w.core.secrets.create({ name: 'DATABASE_URL', value: 'g', scope: 'global' });
    const uses = w.core.secrets.usesOf(w.notify.id);
    const by = Object.fromEntries(uses.map((u) => [u.name, u]));
    expect(Object.keys(by).sort()).toEqual(['DATABASE_URL', 'recipient-email', 'service-name']);
    expect(by['recipient-email']!.status).toBe('partial');
    expect(by['recipient-email']!.missingFor.map((m) => m.keyName)).toEqual(['mfg-svc']);
    expect(by['service-name']!.status).toBe('missing');
    expect(by['service-name']!.requestedScopes).toEqual(['key']);
    expect(by['DATABASE_URL']!.status).toBe('defined');
    expect(by['DATABASE_URL']!.calls).toEqual(['getCompleteSecret']);
  });
});
