import type { ProposedChange, Scope, WhatIfPair, WhatIfPreview } from '../../../shared/types';
import { SCOPES_BY_PRECEDENCE } from '../../../shared/types';
import { notFound } from '../errors';
import type { Db } from '../store/database';
import type { SecretHistory } from './history';
import { storedScopeId } from './scope-records';
import type { SecretStore } from './secrets';

/** One definition of a name: a secret at a scope and scope record. */
interface Definition {
  scope: Scope;
  scopeId: number;
}

/** How a change alters the definitions of one name. */
interface NameChange {
  name: string;
  removed: Definition[];
  added: Definition[];
  /** A definition that stays where it is with another value. */
  revalued: Definition[];
}

interface Caller {
  keyId: number | null;
  keyName: string | null;
  groupId: number | null;
  groupName: string | null;
}

const MAX_PAIRS = 100;
const same = (a: Definition, b: Definition) => a.scope === b.scope && a.scopeId === b.scopeId;

/**
 * What a change would do, before it is made: which (function, caller) pairs would get a
 * different answer from `ctx.getSecret(name)` — another scope, another value, or none —
 * and which callers a key or group deletion would refuse. Computed from the definitions
 * with the same order as resolution (Key > Group > Function > Global), the same callers the
 * host lets through (a public function's only caller is "no key"), and nothing written.
 */
export function createWhatIf(db: Db, store: SecretStore, history: SecretHistory) {
  const definitionsOf = db.prepare('SELECT scope, scope_id AS scopeId FROM secrets WHERE name = ?');

  function callersOf(groupIds: number[]): Caller[] {
    if (groupIds.length === 0) return [{ keyId: null, keyName: null, groupId: null, groupName: null }];
    return db
      .prepare(
        `SELECT k.id AS keyId, k.name AS keyName, g.id AS groupId, g.name AS groupName FROM api_keys k JOIN api_groups g ON g.id = k.group_id
         WHERE k.group_id IN (${groupIds.map(() => '?').join(',')}) ORDER BY g.name, k.name`,
      )
      .all(...groupIds) as Caller[];
  }

  function functions(): { id: number; name: string; groupIds: number[] }[] {
    return (db.prepare("SELECT f.id, f.name, (SELECT group_concat(group_id) FROM function_groups fg WHERE fg.function_id = f.id) AS g FROM functions f ORDER BY f.name").all() as { id: number; name: string; g: string | null }[]).map(
      (f) => ({ id: f.id, name: f.name, groupIds: f.g ? f.g.split(',').map(Number) : [] }),
    );
  }

  /** The definition a caller of a function gets, in resolution order. */
  function winner(defs: Definition[], fnId: number, c: Caller): Definition | null {
    for (const scope of SCOPES_BY_PRECEDENCE) {
      const id = scope === 'key' ? c.keyId : scope === 'group' ? c.groupId : scope === 'function' ? fnId : 0;
      if (id === null) continue;
      const hit = defs.find((d) => d.scope === scope && d.scopeId === id);
      if (hit) return hit;
    }
    return null;
  }

  function nameChanges(change: ProposedChange): NameChange[] {
    switch (change.kind) {
      case 'secret.create':
        return [{ name: change.name, removed: [], added: [{ scope: change.scope, scopeId: storedScopeId(change.scope, change.scopeId, db) }], revalued: [] }];
      case 'secret.update': {
        const r = store.row(change.id);
        const at = { scope: r.scope, scopeId: r.scope_id };
        if (change.name !== undefined && change.name !== r.name) {
          return [
            { name: r.name, removed: [at], added: [], revalued: [] },
            { name: change.name, removed: [], added: [at], revalued: [] },
          ];
        }
        const revalued = change.value !== undefined && change.value !== safeDecrypt(() => store.decrypt(r));
        return [{ name: r.name, removed: [], added: [], revalued: revalued ? [at] : [] }];
      }
      case 'secret.delete': {
        const r = store.row(change.id);
        return [{ name: r.name, removed: [{ scope: r.scope, scopeId: r.scope_id }], added: [], revalued: [] }];
      }
      case 'secret.restore': {
        const v = history.row(change.versionId);
        const at = { scope: v.scope, scopeId: v.scope_id };
        const live = db.prepare('SELECT id FROM secrets WHERE scope = ? AND scope_id = ? AND name = ?').get(v.scope, v.scope_id, v.name) as { id: number } | undefined;
        if (!live) return [{ name: v.name, removed: [], added: [at], revalued: [] }];
        const differs = safeDecrypt(() => history.decrypt(v)) !== safeDecrypt(() => store.decrypt(store.row(live.id)));
        return [{ name: v.name, removed: [], added: [], revalued: differs ? [at] : [] }];
      }
      case 'secrets.import': {
        const scopeId = storedScopeId(change.scope, change.scopeId, db);
        const at = { scope: change.scope, scopeId };
        return change.entries.map((e) => {
          const live = db.prepare('SELECT * FROM secrets WHERE scope = ? AND scope_id = ? AND name = ?').get(change.scope, scopeId, e.name) as Parameters<SecretStore['decrypt']>[0] | undefined;
          if (!live) return { name: e.name, removed: [], added: [at], revalued: [] };
          return { name: e.name, removed: [], added: [], revalued: safeDecrypt(() => store.decrypt(live)) === e.value ? [] : [at] };
        });
      }
      default:
        return [];
    }
  }

  function preview(change: ProposedChange): WhatIfPreview {
    const fns = functions();
    if (change.kind === 'key.delete' || change.kind === 'group.delete') return refusals(change, fns);
    const pairs: WhatIfPair[] = [];
    let affected = 0;
    const fnSet = new Set<number>();
    const callerSet = new Set<string>();
    const nameSet = new Set<string>();
    for (const nc of nameChanges(change)) {
      const before = definitionsOf.all(nc.name) as Definition[];
      const after = [...before.filter((d) => !nc.removed.some((r) => same(r, d))), ...nc.added];
      for (const fn of fns) {
        for (const c of callersOf(fn.groupIds)) {
          const was = winner(before, fn.id, c);
          const will = winner(after, fn.id, c);
          const moved = (was === null) !== (will === null) || (was !== null && will !== null && !same(was, will));
          const revalued = !moved && will !== null && nc.revalued.some((d) => same(d, will));
          if (!moved && !revalued) continue;
          affected++;
          fnSet.add(fn.id);
          callerSet.add(`${c.keyId}`);
          nameSet.add(nc.name);
          if (pairs.length < MAX_PAIRS) {
            pairs.push({ functionId: fn.id, functionName: fn.name, keyId: c.keyId, keyName: c.keyName, groupName: c.groupName, name: nc.name, before: was?.scope ?? null, after: will?.scope ?? null, valueChanges: revalued });
          }
        }
      }
    }
    return { affected, functions: fnSet.size, callers: callerSet.size, pairs, refused: 0, summary: summarise(affected, fnSet.size, callerSet.size, nameSet.size, pairs) };
  }

  /** A key or group deletion: its keys' calls to the functions that require them are refused from then on. */
  function refusals(change: Extract<ProposedChange, { kind: 'key.delete' | 'group.delete' }>, fns: ReturnType<typeof functions>): WhatIfPreview {
    const keys = (
      change.kind === 'key.delete'
        ? db.prepare('SELECT k.id AS keyId, k.name AS keyName, g.id AS groupId, g.name AS groupName FROM api_keys k JOIN api_groups g ON g.id = k.group_id WHERE k.id = ?').all(change.id)
        : db.prepare('SELECT k.id AS keyId, k.name AS keyName, g.id AS groupId, g.name AS groupName FROM api_keys k JOIN api_groups g ON g.id = k.group_id WHERE g.id = ?').all(change.id)
    ) as Caller[];
    if (change.kind === 'key.delete' && keys.length === 0) throw notFound('API key', change.id);
    const pairs: WhatIfPair[] = [];
    let refused = 0;
    const fnSet = new Set<number>();
    for (const fn of fns) {
      for (const k of keys) {
        if (!fn.groupIds.includes(k.groupId!)) continue;
        refused++;
        fnSet.add(fn.id);
        if (pairs.length < MAX_PAIRS) pairs.push({ functionId: fn.id, functionName: fn.name, keyId: k.keyId, keyName: k.keyName, groupName: k.groupName, name: null, before: null, after: null, valueChanges: false, refused: true });
      }
    }
    const first = pairs[0];
    const summary =
      refused === 0
        ? 'No function accepts these keys: no caller is refused.'
        : `${refused} call${refused === 1 ? '' : 's'} (${fnSet.size} function${fnSet.size === 1 ? '' : 's'} × ${new Set(pairs.map((p) => p.keyId)).size} key${keys.length === 1 ? '' : 's'}) will be refused with 401, e.g. ${first!.functionName} called with ${first!.keyName}.`;
    return { affected: refused, functions: fnSet.size, callers: keys.length, pairs, refused, summary };
  }

  return { preview };
}

function safeDecrypt(read: () => string): string | null {
  try {
    return read();
  } catch {
    return null;
  }
}

const SCOPE_WORD: Record<Scope, string> = { key: 'key', group: 'group', function: 'function', global: 'global' };

const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** One sentence: how many, and what the first caller will read instead. */
function summarise(affected: number, functions: number, callers: number, names: number, pairs: WhatIfPair[]): string {
  if (affected === 0) return 'No caller of any function will read a different value.';
  const p = pairs[0]!;
  const who = `${p.functionName} called ${p.keyName ? `with ${p.keyName}` : 'without a key'}`;
  const was = p.before ? `the ${SCOPE_WORD[p.before]} value` : 'nothing';
  const what = p.valueChanges
    ? `will read the changed ${SCOPE_WORD[p.after!]} value`
    : p.after
      ? `will read the ${SCOPE_WORD[p.after]} value instead of ${was}`
      : `will read nothing (undefined) instead of ${was}`;
  // Several names (an import): count answers, not callers, and name the first one.
  if (names > 1) return `Changes ${n(affected, 'answer')} for ${names} secrets (${n(callers, 'caller')} of ${n(functions, 'function')}); e.g. ${who} ${what} for ${p.name}.`;
  const count = `${affected} caller${affected === 1 ? '' : 's'} of ${functions} function${functions === 1 ? '' : 's'}`;
  return `Changes what ${count} read${affected === 1 ? 's' : ''} for ${p.name}; ${who} ${what}.`;
}
