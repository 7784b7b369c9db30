import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/shared/types';
import { startCrudeServer, type CrudeServer } from '../support/crude-server';
import { tempCore } from '../support/temp-core';
import { syncKit } from './fixture';

// The per-winner diff: for every function × caller × name, does ctx.getSecret(name) answer
// the same here and on the server? Checked against the local resolver itself (what a
// handler here gets) and an independent resolution of the server's records.

const GROUPS = ['g1', 'g2'] as const;
const KEYS = [
  ['g1', 'k1a'],
  ['g1', 'k1b'],
  ['g2', 'k2a'],
] as const;
const FUNCTIONS = ['f0', 'f1', 'f2'];
const NAMES = ['ALPHA', 'BETA'];

interface Def {
  side: 'local' | 'server' | 'both' | 'both-differ';
  scope: Scope;
  owner: number;
  name: string;
  value: string;
}

const layout = fc.record({
  localGroups: fc.array(fc.subarray([...GROUPS]), { minLength: 3, maxLength: 3 }),
  serverGroups: fc.array(fc.subarray([...GROUPS]), { minLength: 3, maxLength: 3 }),
  defs: fc.array(
    fc.record({
      side: fc.constantFrom('local', 'server', 'both', 'both-differ'),
      scope: fc.constantFrom<Scope>('global', 'function', 'group', 'key'),
      owner: fc.nat(5),
      name: fc.constantFrom(...NAMES),
      value: fc.constantFrom('CANARY-v1', 'CANARY-v2'),
    }),
    { maxLength: 14 },
  ),
});

let server: CrudeServer;
beforeAll(async () => {
  server = await startCrudeServer();
});
afterAll(() => server.close());

function ownerOf(d: Def): string | null {
  if (d.scope === 'global') return null;
  if (d.scope === 'function') return FUNCTIONS[d.owner % FUNCTIONS.length]!;
  if (d.scope === 'group') return GROUPS[d.owner % GROUPS.length]!;
  const [g, k] = KEYS[d.owner % KEYS.length]!;
  return `${g}/${k}`;
}

/** The server's answer, resolved here from its records: Key > Group > Function > Global; public functions see no key. */
function serverAnswer(defs: { scope: Scope; owner: string | null; name: string; value: string }[], fn: string, groups: string[], caller: readonly [string, string] | null, name: string): string | undefined {
  const find = (scope: Scope, owner: string | null) => defs.find((d) => d.name === name && d.scope === scope && d.owner === owner)?.value;
  if (caller && groups.length > 0) {
    const v = find('key', `${caller[0]}/${caller[1]}`) ?? find('group', caller[0]);
    if (v !== undefined) return v;
  }
  return find('function', fn) ?? find('global', null);
}

describe('diff per winner', () => {
  it('lists exactly the (function, caller, name) whose getSecret answer differs here and on the server', async () => {
    let layoutsWithDifferences = 0;
    await fc.assert(
      fc.asyncProperty(layout, async ({ localGroups, serverGroups, defs }) => {
        // The server, cleared down to its management group.
        for (const [id, g] of server.data.groups) if (g.name !== 'management') server.data.groups.delete(id);
        for (const [id, k] of server.data.keys) if (!server.data.groups.has(k.groupId)) server.data.keys.delete(id);
        server.data.functions.clear();
        server.data.secrets.clear();
        const t = tempCore();
        try {
          const core = t.core;
          core.servers.create({ name: 'srv', url: server.url, key: server.managementKey });
          const sg = Object.fromEntries(GROUPS.map((g) => [g, server.seed.group(g)]));
          const lg = Object.fromEntries(GROUPS.map((g) => [g, core.groups.create({ name: g })]));
          const sk: Record<string, { id: string }> = {};
          const lk: Record<string, { id: number }> = {};
          for (const [g, k] of KEYS) {
            sk[`${g}/${k}`] = server.seed.key(sg[g]!, k, `CANARY-${k}-value`);
            lk[`${g}/${k}`] = core.keys.create({ groupId: lg[g]!.id, name: k, value: `CANARY-${k}-value` });
          }
          const sf: Record<string, { id: string }> = {};
          const lf: Record<string, { id: number }> = {};
          FUNCTIONS.forEach((f, i) => {
            sf[f] = server.seed.fn({ name: f, route: `/${f}`, handler: `apps/${f}.ts`, groups: serverGroups[i]!.map((g) => sg[g]!) });
            lf[f] = core.functions.create({ name: f, route: `/${f}`, methods: ['GET'], handler: `apps/${f}.ts`, groupIds: localGroups[i]!.map((g) => lg[g]!.id) });
          });
          const serverDefs: { scope: Scope; owner: string | null; name: string; value: string }[] = [];
          const placed = new Set<string>();
          for (const d of defs as Def[]) {
            const owner = ownerOf(d);
            const place = `${d.scope}:${owner}:${d.name}`;
            if (placed.has(place)) continue;
            placed.add(place);
            if (d.side !== 'server') {
              const scopeId = d.scope === 'global' ? null : d.scope === 'function' ? lf[owner!]!.id : d.scope === 'group' ? lg[owner!]!.id : lk[owner!]!.id;
              core.secrets.create({ name: d.name, value: d.value, scope: d.scope, scopeId });
            }
            if (d.side !== 'local') {
              const value = d.side === 'both-differ' ? `${d.value}-there` : d.value;
              const ref = d.scope === 'global' ? undefined : d.scope === 'function' ? sf[owner!] : d.scope === 'group' ? sg[owner!] : sk[owner!];
              server.seed.secret({ name: d.name, value, scope: d.scope, ...(ref ? { ref } : {}) });
              serverDefs.push({ scope: d.scope, owner, name: d.name, value });
            }
          }
          const c = await core.sync.compare(core.servers.list()[0]!.id);

          const expected = new Set<string>();
          FUNCTIONS.forEach((f, i) => {
            const callers = (groups: string[]) => (groups.length === 0 ? ['-'] : KEYS.filter(([g]) => groups.includes(g)).map(([g, k]) => `${g}/${k}`));
            const here = callers(localGroups[i]!);
            const there = callers(serverGroups[i]!);
            for (const who of new Set([...here, ...there])) {
              if (here.includes(who) !== there.includes(who)) {
                expected.add(`${f} ${who} -`);
                continue;
              }
              const caller = who === '-' ? null : (KEYS.find(([g, k]) => `${g}/${k}` === who) ?? null);
              for (const name of NAMES) {
                const ctx = core.secrets.callerContext(lf[f]!.id, caller ? lk[who]!.id : null);
                const mine = core.secrets.getSecret(name, ctx)?.value;
                const theirs = serverAnswer(serverDefs, f, serverGroups[i]!, caller, name);
                if (mine !== theirs) expected.add(`${f} ${who} ${name}`);
              }
            }
          });
          const actual = new Set(c.winners.rows.map((r) => `${r.functionName} ${r.caller ? `${r.caller.group}/${r.caller.key}` : '-'} ${r.name ?? '-'}`));
          expect(actual).toEqual(expected);
          expect(c.winners.differing).toBe(expected.size);
          if (expected.size > 0) layoutsWithDifferences++;
          expect(JSON.stringify(c)).not.toMatch(/CANARY-/);
        } finally {
          t.cleanup();
        }
      }),
      { numRuns: 40 },
    );
    // Not a vacuous pass: most layouts differ somewhere.
    expect(layoutsWithDifferences).toBeGreaterThan(10);
  });

  const kit = syncKit();

  it('each differing answer says which scope answers on each side, with what to reveal it by', async () => {
    const { core, conn } = await kit.start();
    const c0 = await core.sync.compare(conn.id);
    core.sync.pull(conn.id, c0.snapshotId, c0.rows.filter((r) => r.presence === 'server' && !r.pullProblem && !r.warning).map((r) => r.ref));
    const shipping = core.groups.getByName('shipping')!;
    const shipB = core.keys.list(shipping.id).find((k) => k.name === 'ship-b')!;
    const mine = core.secrets.create({ name: 'RECIPIENT', value: 'CANARY-ship-b-here', scope: 'key', scopeId: shipB.id });

    const c = await core.sync.compare(conn.id, { name: 'RECIPIENT' });
    expect(c.rows.map((r) => `${r.presence} ${r.label}`)).toEqual(['local secret RECIPIENT (key shipping/ship-b)']);
    // notify lets shipping and billing keys through (3 callers), report is public (1).
    expect(c.winners).toMatchObject({ differing: 1, compared: 4 });
    const [row] = c.winners.rows;
    expect(row).toEqual({
      functionName: 'notify',
      caller: { group: 'shipping', key: 'ship-b' },
      name: 'RECIPIENT',
      local: { scope: 'key', valueLength: 18, secretId: mine.id },
      server: { scope: 'group', valueLength: 23, ref: 'secret:group:shipping:RECIPIENT' },
    });
    // Both masked values can be revealed: here through secrets.reveal, there through sync.reveal.
    expect(core.secrets.reveal((row!.local as { secretId: number }).secretId)).toBe('CANARY-ship-b-here');
    expect(core.sync.reveal(c.snapshotId, (row!.server as { ref: string }).ref)).toBe('CANARY-ship@example.com');
  });
});
