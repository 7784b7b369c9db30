// Where a scope's secrets are overridden, what a scope inherits, and every secret of one
// caller at once. Override counts come from the resolution matrix (the one place that
// knows which scope wins for which caller), so these answers can never disagree with it.
import type { CallerOverview, InheritedSecret, ResolutionMatrix, SecretOverride } from '../../../shared/contract';
import type { Scope } from '../../../shared/types';
import { SCOPES_BY_PRECEDENCE } from '../../../shared/types';
import type { Db } from '../store/database';
import type { Resolver } from './resolution';

const RANK: Record<Scope, number> = { key: 0, group: 1, function: 2, global: 3 };

/** Callers that a definition at (scope, scopeId) reaches, and those for which a more specific scope wins instead. */
export function overrideOf(m: ResolutionMatrix, scope: Scope, scopeId: number | null): SecretOverride {
  const name = m.name;
  const by = new Map<string, SecretOverride['overriddenBy'][number]>();
  let reached = 0;
  let overridden = 0;
  m.functions.forEach((f, fi) => {
    m.columns.forEach((col, ci) => {
      const isPublic = f.groupIds.length === 0;
      // A public function sees no key: all its columns are one caller.
      if (m.denied[fi]![ci] || (isPublic && ci > 0)) return;
      // Whether this definition is on the chain of that caller at all.
      const onChain =
        scope === 'global' ||
        (scope === 'function' && f.id === scopeId) ||
        (scope === 'group' && !isPublic && col.groupId === scopeId) ||
        (scope === 'key' && !isPublic && col.keyId === scopeId);
      if (!onChain) return;
      reached++;
      const winner = m.cells[fi]![ci];
      if (!winner || RANK[winner] >= RANK[scope]) return;
      overridden++;
      const record =
        winner === 'key'
          ? { scope: winner, scopeId: col.keyId, recordName: col.keyName, groupName: col.groupName }
          : winner === 'group'
            ? { scope: winner, scopeId: col.groupId, recordName: col.groupName, groupName: null }
            : { scope: winner, scopeId: f.id, recordName: f.name, groupName: null };
      const k = `${record.scope}:${record.scopeId}`;
      const seen = by.get(k);
      if (seen) seen.callers++;
      else by.set(k, { ...record, callers: 1 });
    });
  });
  const overriddenBy = [...by.values()].sort((a, b) => b.callers - a.callers || RANK[a.scope] - RANK[b.scope] || String(a.recordName).localeCompare(String(b.recordName)));
  return { name, reached, overridden, overriddenBy };
}

export function createOverrides(db: Db, resolver: Resolver) {
  const scopeIdOf = (scope: Scope, scopeId: number | null | undefined) => (scope === 'global' ? 0 : (scopeId ?? -1));

  /**
   * For each secret of one scope that a more specific scope overrides for some caller: how
   * many callers, and by which records. Only names that also exist at a more specific
   * scope are looked at, so a scope of 2,000 secrets with few overrides stays cheap.
   */
  function overridesIn(scope: Scope, scopeId: number | null | undefined): SecretOverride[] {
    const more = SCOPES_BY_PRECEDENCE.filter((s) => RANK[s] < RANK[scope]);
    if (more.length === 0) return [];
    const names = db
      .prepare(
        `SELECT DISTINCT s.name FROM secrets s WHERE s.scope = ? AND s.scope_id = ?
           AND EXISTS (SELECT 1 FROM secrets o WHERE o.name = s.name AND o.scope IN (${more.map(() => '?').join(',')}))
         ORDER BY s.name`,
      )
      .pluck()
      .all(scope, scopeIdOf(scope, scopeId), ...more) as string[];
    return names.map((n) => overrideOf(resolver.matrix(n), scope, scopeId ?? null)).filter((o) => o.overridden > 0);
  }

  /**
   * Names this scope does not define that reach it from a less specific scope, with where
   * they come from: a function inherits global; a group inherits global (function values
   * depend on the function called); a key inherits its group, then global.
   */
  function inheritedIn(scope: Scope, scopeId: number | null | undefined): InheritedSecret[] {
    const sources: { scope: Scope; scopeId: number; recordName: string | null }[] = [];
    if (scope === 'key') {
      const k = db.prepare('SELECT g.id, g.name FROM api_keys k JOIN api_groups g ON g.id = k.group_id WHERE k.id = ?').get(scopeId ?? -1) as
        | { id: number; name: string }
        | undefined;
      if (k) sources.push({ scope: 'group', scopeId: k.id, recordName: k.name });
    }
    if (scope !== 'global') sources.push({ scope: 'global', scopeId: 0, recordName: null });
    const own = new Set(db.prepare('SELECT name FROM secrets WHERE scope = ? AND scope_id = ?').pluck().all(scope, scopeIdOf(scope, scopeId)) as string[]);
    const out = new Map<string, InheritedSecret>();
    for (const src of sources) {
      const rows = db.prepare('SELECT id, name, comment, updated_at FROM secrets WHERE scope = ? AND scope_id = ? ORDER BY name').all(src.scope, src.scopeId) as {
        id: number;
        name: string;
        comment: string | null;
        updated_at: string;
      }[];
      for (const r of rows) {
        if (own.has(r.name) || out.has(r.name)) continue;
        out.set(r.name, { name: r.name, secretId: r.id, from: src.scope, fromScopeId: src.scope === 'global' ? null : src.scopeId, fromRecordName: src.recordName, comment: r.comment, updatedAt: r.updated_at });
      }
    }
    return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Every secret name one caller (function × key) can see, with the scopes that define it
   * for that caller and the winner: the whole picture of one caller in one view. What the
   * handler really sees: a public function ignores the key; a refused caller sees nothing.
   */
  function callerOverview(functionId: number, keyId: number | null | undefined): CallerOverview {
    // The chain of any name tells who the caller is and whether the key applies; '-' is a
    // valid name, and whether it is defined does not matter here.
    const x = resolver.explain('-', { functionId, keyId: keyId ?? null });
    const keyApplies = !x.refused && x.chain.find((l) => l.scope === 'key')!.applies;
    const rows = x.refused
      ? []
      : (db
          .prepare(
            `SELECT id, name, scope FROM secrets WHERE (scope = 'global' AND scope_id = 0)
               OR (scope = 'function' AND scope_id = @functionId)
               OR (@keyApplies = 1 AND scope = 'group' AND scope_id = @groupId)
               OR (@keyApplies = 1 AND scope = 'key' AND scope_id = @keyId)
             ORDER BY name`,
          )
          .all({ functionId, keyApplies: keyApplies ? 1 : 0, groupId: x.groupId ?? -1, keyId: x.keyId ?? -1 }) as { id: number; name: string; scope: Scope }[]);
    const byName = new Map<string, CallerOverview['rows'][number]>();
    for (const r of rows) {
      const row = byName.get(r.name) ?? { name: r.name, defined: {}, winner: r.scope };
      row.defined[r.scope] = r.id;
      if (RANK[r.scope] < RANK[row.winner]) row.winner = r.scope;
      byName.set(r.name, row);
    }
    return {
      functionId: x.functionId,
      functionName: x.functionName,
      keyId: x.keyId,
      keyName: x.keyName,
      groupId: x.groupId,
      groupName: x.groupName,
      keyApplies,
      ...(x.note ? { note: x.note } : {}),
      ...(x.refused ? { refused: x.refused } : {}),
      rows: [...byName.values()],
    };
  }

  return { overridesIn, inheritedIn, callerOverview };
}

/** Edit distance, stopping early once it is past `max` (names are short; this is enough). */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]!);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Names spelt like `name`: case-only twins (names stay case-sensitive, as the spec says,
 * so `api_url` and `API_URL` are two secrets — usually by mistake), and near names for a
 * "did you mean". The name itself is never among them.
 */
export function similarNames(name: string, all: string[]): { caseTwins: string[]; near: string[] } {
  const lower = name.toLowerCase();
  const caseTwins = all.filter((n) => n !== name && n.toLowerCase() === lower);
  const max = name.length <= 4 ? 1 : 2;
  const near = all
    .filter((n) => n !== name && n.toLowerCase() !== lower)
    .map((n) => ({ n, d: editDistance(lower, n.toLowerCase(), max) }))
    .filter((x) => x.d <= max)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, 5)
    .map((x) => x.n);
  return { caseTwins, near };
}

/** Groups of names that differ only in case, e.g. [["API_URL", "api_url"]]. */
export function caseTwinGroups(all: string[]): string[][] {
  const by = new Map<string, string[]>();
  for (const n of all) by.set(n.toLowerCase(), [...(by.get(n.toLowerCase()) ?? []), n]);
  return [...by.values()].filter((g) => g.length > 1);
}
