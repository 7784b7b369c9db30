import type { Scope } from '../../../shared/types';
import { keyOwner, ref, type FunctionRec, type SecretRec, type World } from './world';

/** What `ctx.getSecret(name)` answers one caller of one function on one side. */
export interface Answer {
  refused: boolean;
  scope: Scope | null;
  /** The secret that answers (its ref), and its value. */
  ref: string | null;
  value: string | null;
}

export interface PairDiff {
  functionName: string;
  caller: { group: string; key: string } | null;
  /** null: the caller is let through on one side only. */
  name: string | null;
  a: Answer;
  b: Answer;
}

interface NameIndex {
  global?: SecretRec;
  function: Map<string, SecretRec>;
  group: Map<string, SecretRec>;
  key: Map<string, SecretRec>;
}

function indexByName(w: World): Map<string, NameIndex> {
  const idx = new Map<string, NameIndex>();
  for (const s of w.secrets.values()) {
    let n = idx.get(s.name);
    if (!n) idx.set(s.name, (n = { function: new Map(), group: new Map(), key: new Map() }));
    if (s.scope === 'global') n.global = s;
    else n[s.scope].set(s.owner!, s);
  }
  return idx;
}

/** The callers a function lets through: "no key" for a public one, else every key of its groups. */
function callersOf(w: World, f: FunctionRec): Map<string, { group: string; key: string } | null> {
  const out = new Map<string, { group: string; key: string } | null>();
  if (f.groups.length === 0) {
    out.set('', null);
    return out;
  }
  for (const k of w.keys.values()) if (f.groups.includes(k.group)) out.set(keyOwner(k.group, k.name), { group: k.group, key: k.name });
  return out;
}

const REFUSED: Answer = { refused: true, scope: null, ref: null, value: null };
const NOTHING: Answer = { refused: false, scope: null, ref: null, value: null };

/** Key > Group > Function > Global, as the host (and the platform) resolve; a public function's handler sees no key. */
function answer(n: NameIndex | undefined, name: string, f: FunctionRec, c: { group: string; key: string } | null): Answer {
  if (!n) return NOTHING;
  const hit = (s: SecretRec | undefined): Answer | null => (s ? { refused: false, scope: s.scope, ref: ref.secret(s.scope, s.owner, name), value: s.value } : null);
  if (c && f.groups.length > 0) {
    const k = hit(n.key.get(keyOwner(c.group, c.key))) ?? hit(n.group.get(c.group));
    if (k) return k;
  }
  return hit(n.function.get(f.name)) ?? hit(n.global) ?? NOTHING;
}

const same = (x: Answer, y: Answer) => x.scope === null ? y.scope === null : y.scope !== null && x.value !== null && x.value === y.value;

/**
 * For every function both sides have, every caller either side lets through and every
 * secret name (or only `name`): does `ctx.getSecret(name)` answer the same in `a` and `b`?
 * The same value from another scope is the same answer. Returns how many answers were
 * compared and the first `limit` that differ (with their total).
 */
export function differingAnswers(a: World, b: World, opts: { name?: string; limit?: number } = {}): { compared: number; differing: number; pairs: PairDiff[] } {
  const limit = opts.limit ?? 500;
  const ia = indexByName(a);
  const ib = indexByName(b);
  const names = opts.name !== undefined ? [opts.name] : [...new Set([...ia.keys(), ...ib.keys()])].sort();
  const pairs: PairDiff[] = [];
  let compared = 0;
  let differing = 0;
  const fnNames = [...a.functions.keys()].filter((r) => b.functions.has(r)).sort();
  for (const r of fnNames) {
    const fa = a.functions.get(r)!;
    const fb = b.functions.get(r)!;
    const ca = callersOf(a, fa);
    const cb = callersOf(b, fb);
    for (const id of [...new Set([...ca.keys(), ...cb.keys()])].sort()) {
      const caller = ca.get(id) ?? cb.get(id) ?? null;
      if (ca.has(id) !== cb.has(id)) {
        differing++;
        if (pairs.length < limit) pairs.push({ functionName: fa.name, caller, name: null, a: ca.has(id) ? NOTHING : REFUSED, b: cb.has(id) ? NOTHING : REFUSED });
        continue;
      }
      for (const name of names) {
        compared++;
        const x = answer(ia.get(name), name, fa, caller);
        const y = answer(ib.get(name), name, fb, caller);
        if (same(x, y)) continue;
        differing++;
        if (pairs.length < limit) pairs.push({ functionName: fa.name, caller, name, a: x, b: y });
      }
    }
  }
  return { compared, differing, pairs };
}
