import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core-api';
import type { ProposedChange, Scope } from '../../src/shared/types';
import { tempCore } from '../support/temp-core';
import { coreTestKit } from '../support/core-test-kit';

const { fresh } = coreTestKit();

/** A small world: 2 groups × 2 keys, 3 functions (one public, one per group, one for both). */
function world(core: Core) {
  const g1 = core.groups.create({ name: 'g1' });
  const g2 = core.groups.create({ name: 'g2' });
  const keys = [core.keys.create({ groupId: g1.id, name: 'k1a' }), core.keys.create({ groupId: g1.id, name: 'k1b' }), core.keys.create({ groupId: g2.id, name: 'k2a' }), core.keys.create({ groupId: g2.id, name: 'k2b' })];
  const fns = [
    core.functions.create({ name: 'open', route: '/open', methods: ['GET'], handler: 'open.ts' }),
    core.functions.create({ name: 'one', route: '/one', methods: ['GET'], handler: 'one.ts', groupIds: [g1.id] }),
    core.functions.create({ name: 'both', route: '/both', methods: ['GET'], handler: 'both.ts', groupIds: [g1.id, g2.id] }),
  ];
  return { groups: [g1, g2], keys, fns };
}

/** Every (function, caller) pair the host would let through, and what getSecret answers each. */
function answers(core: Core, w: ReturnType<typeof world>, name: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const fn of w.fns) {
    const callers = fn.groupIds.length === 0 ? [null] : w.keys.filter((k) => fn.groupIds.includes(k.groupId)).map((k) => k.id);
    for (const keyId of callers) {
      const hit = core.secrets.getSecret(name, { functionId: fn.id, keyId });
      out.set(`${fn.id}/${keyId}`, hit ? `${hit.scope}:${hit.value}` : 'undefined');
    }
  }
  return out;
}

const scopeArb = fc.constantFrom<Scope>('global', 'function', 'group', 'key');

describe('what-if previews', () => {
  it('the preview names exactly the pairs whose getSecret answer changes (property, random scope layouts)', () => {
    fc.assert(
      fc.property(
        // A layout: which scope records define NAME (and with which value), then one change.
        fc.array(fc.record({ scope: scopeArb, record: fc.nat(3), value: fc.constantFrom('a', 'b') }), { maxLength: 8 }),
        fc.record({ op: fc.constantFrom('create', 'update-value', 'update-same', 'delete', 'rename', 'delete-key', 'delete-group'), pick: fc.nat(20), scope: scopeArb, record: fc.nat(3), value: fc.constantFrom('a', 'b', 'c') }),
        (layout, change) => {
          const t = tempCore();
          try {
            const w = world(t.core);
            const idOf = (scope: Scope, record: number) =>
              scope === 'global' ? null : scope === 'function' ? w.fns[record % 3]!.id : scope === 'group' ? w.groups[record % 2]!.id : w.keys[record % 4]!.id;
            const created: number[] = [];
            for (const d of layout) {
              try {
                created.push(t.core.secrets.create({ name: 'NAME', value: d.value, scope: d.scope, scopeId: idOf(d.scope, d.record) }).id);
              } catch {
                // a duplicate place in the random layout
              }
            }
            let proposed: ProposedChange;
            const target = created.length ? created[change.pick % created.length]! : null;
            if (change.op === 'create' || target === null) proposed = { kind: 'secret.create', name: 'NAME', scope: change.scope, scopeId: idOf(change.scope, change.record) };
            else if (change.op === 'update-value') proposed = { kind: 'secret.update', id: target, value: change.value };
            else if (change.op === 'update-same') proposed = { kind: 'secret.update', id: target, value: t.core.secrets.reveal(target) };
            else if (change.op === 'rename') proposed = { kind: 'secret.update', id: target, name: 'OTHER' };
            else if (change.op === 'delete-key') proposed = { kind: 'key.delete', id: w.keys[change.record % 4]!.id };
            else if (change.op === 'delete-group') proposed = { kind: 'group.delete', id: w.groups[change.record % 2]!.id };
            else proposed = { kind: 'secret.delete', id: target };

            const before = answers(t.core, w, 'NAME');
            let preview;
            try {
              preview = t.core.changes.preview(proposed);
            } catch {
              return; // e.g. creating at a place that is taken: the create itself would be refused
            }
            // Make the change for real.
            try {
              if (proposed.kind === 'secret.create') t.core.secrets.create({ name: 'NAME', value: change.value, scope: proposed.scope, scopeId: proposed.scopeId });
              else if (proposed.kind === 'secret.update') t.core.secrets.update(proposed);
              else if (proposed.kind === 'secret.delete') t.core.secrets.delete(proposed.id);
              else if (proposed.kind === 'key.delete') t.core.keys.delete(proposed.id);
              else if (proposed.kind === 'group.delete') t.core.groups.delete(proposed.id);
            } catch {
              return; // the change is refused (duplicate, a group a function requires): nothing to compare
            }
            if (proposed.kind === 'key.delete' || proposed.kind === 'group.delete') {
              // Deleted keys' callers are refused: exactly the pairs of those keys with functions that accept them.
              const gone = new Set(proposed.kind === 'key.delete' ? [proposed.id] : w.keys.filter((k) => k.groupId === proposed.id).map((k) => k.id));
              const expected = [...before.keys()].filter((p) => gone.has(Number(p.split('/')[1])));
              expect(preview.pairs.map((p) => `${p.functionId}/${p.keyId}`).sort()).toEqual(expected.sort());
              expect(preview.pairs.every((p) => p.refused)).toBe(true);
              return;
            }
            const after = answers(t.core, w, 'NAME');
            const changed = [...before.keys()].filter((p) => before.get(p) !== after.get(p));
            // A create with the same value at a more specific scope changes the scope, not the value: both count.
            const previewed = preview.pairs.filter((p) => p.name === 'NAME').map((p) => `${p.functionId}/${p.keyId}`);
            expect(previewed.sort()).toEqual(changed.sort());
            expect(preview.affected).toBe(preview.pairs.length);
          } finally {
            t.cleanup();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('says in one sentence what changes, and writes nothing', () => {
    const t = fresh();
    const w = world(t.core);
    t.core.secrets.create({ name: 'LEVEL', value: 'info', scope: 'global' });
    const k = t.core.secrets.create({ name: 'LEVEL', value: 'debug', scope: 'key', scopeId: w.keys[0]!.id });
    const before = JSON.stringify(t.core.secrets.list('key', w.keys[0]!.id));
    const p = t.core.changes.preview({ kind: 'secret.delete', id: k.id });
    expect(p).toMatchObject({ affected: 2, functions: 2, callers: 1 });
    expect(p.summary).toBe('Changes what 2 callers of 2 functions read for LEVEL; both called with k1a will read the global value instead of the key value.');
    expect(JSON.stringify(t.core.secrets.list('key', w.keys[0]!.id))).toBe(before);
    expect(t.core.changes.preview({ kind: 'key.delete', id: w.keys[3]!.id }).summary).toMatch(/1 call \(1 function × 1 key\) will be refused with 401, e.g\. both called with k2b/);
  });
});
