import type {
  ChainLink,
  CompleteSecret,
  ResolutionContext,
  Scope,
  SecretDefinition,
  SecretExplanation,
  SecretInspection,
} from '../../../shared/types';
import { SCOPES_BY_PRECEDENCE } from '../../../shared/types';
import type { ResolutionMatrix } from '../../../shared/contract';
import type { MatrixWindow, ResolvedSecret } from '../core-api';
import { CoreError, notFound, validation } from '../errors';
import { AccessCache } from '../store/access-revision';
import type { Db } from '../store/database';
import type { SecretRow, SecretStore } from './secrets';

type Candidate = Pick<SecretRow, 'id' | 'name' | 'scope' | 'scope_id' | 'value_encrypted'>;

const SCOPES = new Set<string>(SCOPES_BY_PRECEDENCE);

/** Picks the most specific candidate: Key > Group > Function > Global. */
export function pickWinner<T extends { scope: Scope }>(candidates: T[]): T | undefined {
  for (const scope of SCOPES_BY_PRECEDENCE) {
    const hit = candidates.find((c) => c.scope === scope);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Resolution of secret names for a request context `{ functionId, keyId? }`. One indexed
 * query fetches the candidates of all four scopes; only the winner is decrypted.
 */
export function createResolver(db: Db, store: SecretStore) {
  // Four seeks on the (name, scope, scope_id) index, most specific first; the group follows
  // from the key inside the same statement. Faster than one OR query, which scans the name.
  const UNION = `
      SELECT 0 AS rank, id, name, scope, scope_id, value_encrypted FROM secrets
        WHERE name = @name AND scope = 'key' AND scope_id = @keyId
      UNION ALL SELECT 1, id, name, scope, scope_id, value_encrypted FROM secrets
        WHERE name = @name AND scope = 'group' AND scope_id = (SELECT group_id FROM api_keys WHERE id = @keyId)
      UNION ALL SELECT 2, id, name, scope, scope_id, value_encrypted FROM secrets
        WHERE name = @name AND scope = 'function' AND scope_id = @functionId
      UNION ALL SELECT 3, id, name, scope, scope_id, value_encrypted FROM secrets
        WHERE name = @name AND scope = 'global' AND scope_id = 0`;
  const candidatesStmt = db.prepare(`SELECT * FROM (${UNION}) ORDER BY rank`);
  // The hot path (every ctx.getSecret): COALESCE stops at the first scope that has the
  // name, so a key-scoped hit costs one index seek; measured faster than the UNION.
  const winnerStmt = db.prepare(`
    SELECT id, name, scope, scope_id, value_encrypted FROM secrets WHERE id = COALESCE(
      (SELECT id FROM secrets WHERE name = @name AND scope = 'key' AND scope_id = @keyId),
      (SELECT id FROM secrets WHERE name = @name AND scope = 'group'
         AND scope_id = (SELECT group_id FROM api_keys WHERE id = @keyId)),
      (SELECT id FROM secrets WHERE name = @name AND scope = 'function' AND scope_id = @functionId),
      (SELECT id FROM secrets WHERE name = @name AND scope = 'global' AND scope_id = 0))`);
  const oneScopeStmt = db.prepare(`SELECT * FROM (${UNION}) WHERE scope = @scope`);
  const keyInfo = db.prepare(
    'SELECT k.id AS key_id, k.name AS key_name, g.id AS group_id, g.name AS group_name FROM api_keys k JOIN api_groups g ON g.id = k.group_id WHERE k.id = ?',
  );

  const params = (name: string, ctx: ResolutionContext) => ({ name, functionId: ctx.functionId, keyId: ctx.keyId ?? -1 });

  function candidates(name: string, ctx: ResolutionContext): Candidate[] {
    if (typeof name !== 'string' || name.length === 0) return [];
    return candidatesStmt.all(params(name, ctx)) as Candidate[];
  }

  function keyContext(keyId: number | null | undefined) {
    if (keyId == null) return undefined;
    const k = keyInfo.get(keyId) as { key_id: number; key_name: string; group_id: number; group_name: string } | undefined;
    if (!k) throw notFound('API key', keyId);
    return k;
  }

  const groupsOfFunction = db.prepare('SELECT group_id FROM function_groups WHERE function_id = ?').pluck();

  /** Why this caller would be refused (401), or null; and whether the key is ignored (public). */
  function callerVerdict(functionId: number, keyId: number | null | undefined): { refused: string | null; public: boolean } {
    const fn = db.prepare('SELECT name FROM functions WHERE id = ?').get(functionId) as { name: string } | undefined;
    if (!fn) throw notFound('Function', functionId);
    const required = groupsOfFunction.all(functionId) as number[];
    if (required.length === 0) return { refused: null, public: true };
    const names = (db.prepare(`SELECT name FROM api_groups WHERE id IN (${required.map(() => '?').join(',')}) ORDER BY name`).pluck().all(...required) as string[]).join(', ');
    if (keyId == null) return { refused: `Function "${fn.name}" requires an API key of group ${names}: a call without a key is refused (401).`, public: false };
    const k = keyContext(keyId)!;
    if (!required.includes(k.group_id)) {
      return { refused: `Function "${fn.name}" accepts keys of group ${names} only: key "${k.key_name}" (group ${k.group_name}) is refused (401).`, public: false };
    }
    return { refused: null, public: false };
  }

  function callerContext(functionId: number, keyId?: number | null): ResolutionContext {
    const v = callerVerdict(functionId, keyId);
    if (v.refused) throw new CoreError('VALIDATION', v.refused, 'keyId');
    return { functionId, keyId: v.public ? null : (keyId ?? null) };
  }

  // Handlers ask for the same few names of the same callers over and over: the answers
  // are kept until anything they depend on changes (the access revision).
  const answers = new AccessCache<ResolvedSecret | CompleteSecret | undefined>(db);
  const cacheKey = (kind: string, name: string, ctx: ResolutionContext) => `${kind}\u0000${ctx.functionId}\u0000${ctx.keyId ?? ''}\u0000${name}`;

  function getSecret(name: string, ctx: ResolutionContext, scope?: Scope): ResolvedSecret | undefined {
    if (scope !== undefined && !SCOPES.has(scope)) {
      throw validation('scope', 'Scope must be one of "global", "function", "group", "key".');
    }
    if (typeof name !== 'string' || name.length === 0) return undefined;
    return answers.get(cacheKey(scope ?? '*', name, ctx), () => {
      const winner = (
        scope === undefined ? winnerStmt.get(params(name, ctx)) : oneScopeStmt.get({ ...params(name, ctx), scope })
      ) as Candidate | undefined;
      return winner ? { value: store.decrypt(winner), scope: winner.scope } : undefined;
    }) as ResolvedSecret | undefined;
  }

  function getCompleteSecret(name: string, ctx: ResolutionContext): CompleteSecret | undefined {
    return answers.get(cacheKey('complete', name, ctx), () => completeSecret(name, ctx)) as CompleteSecret | undefined;
  }

  function completeSecret(name: string, ctx: ResolutionContext): CompleteSecret | undefined {
    const all = candidates(name, ctx);
    if (all.length === 0) return undefined;
    const out: CompleteSecret = {};
    const k = all.some((c) => c.scope === 'group' || c.scope === 'key') ? keyContext(ctx.keyId) : undefined;
    // Keys in the spec's order: global, function, group, key.
    for (const scope of ['global', 'function', 'group', 'key'] as const) {
      const c = all.find((x) => x.scope === scope);
      if (!c) continue;
      const value = store.decrypt(c);
      if (scope === 'global') out.global = value;
      else if (scope === 'function') out.function = value;
      else if (scope === 'group' && k) out.group = { value, groupId: k.group_id, groupName: k.group_name };
      else if (scope === 'key' && k) {
        out.key = { value, groupId: k.group_id, groupName: k.group_name, keyId: k.key_id, keyName: k.key_name };
      }
    }
    return out;
  }

  function explain(name: string, ctx: ResolutionContext): SecretExplanation {
    const fn = db.prepare('SELECT id, name FROM functions WHERE id = ?').get(ctx.functionId) as { id: number; name: string } | undefined;
    if (!fn) throw notFound('Function', ctx.functionId);
    const k = keyContext(ctx.keyId);
    // Explain what the handler would really see: a public function ignores the key, and
    // a refused caller never reaches the handler.
    const verdict = callerVerdict(ctx.functionId, ctx.keyId);
    const effective = { functionId: ctx.functionId, keyId: verdict.public ? null : (ctx.keyId ?? null) };
    const all = verdict.refused ? [] : candidates(name, effective);
    const keyApplies = !verdict.refused && effective.keyId !== null;
    const winner = pickWinner(all);
    const records: Record<Scope, { id: number | null; name: string | null }> = {
      key: { id: k?.key_id ?? null, name: k?.key_name ?? null },
      group: { id: k?.group_id ?? null, name: k?.group_name ?? null },
      function: { id: fn.id, name: fn.name },
      global: { id: null, name: null },
    };
    const chain: ChainLink[] = SCOPES_BY_PRECEDENCE.map((scope) => {
      const hit = all.find((c) => c.scope === scope);
      return {
        scope,
        applies: verdict.refused ? false : scope === 'key' || scope === 'group' ? keyApplies : true,
        defined: hit !== undefined,
        secretId: hit?.id ?? null,
        recordId: records[scope].id,
        recordName: records[scope].name,
        wins: winner !== undefined && winner.id === hit?.id,
      };
    });
    return {
      name,
      functionId: fn.id,
      functionName: fn.name,
      keyId: k?.key_id ?? null,
      keyName: k?.key_name ?? null,
      groupId: k?.group_id ?? null,
      groupName: k?.group_name ?? null,
      chain,
      winner: winner?.scope ?? null,
      ...(verdict.public && k ? { note: 'Public function: its handler sees no key, so key and group secrets do not apply.' } : {}),
      ...(verdict.refused ? { refused: verdict.refused } : {}),
    };
  }

  function inspect(name: string): SecretInspection {
    const rows = db
      .prepare(
        `SELECT s.id, s.scope, s.scope_id, s.comment, s.value_length, s.updated_at,
           CASE s.scope WHEN 'function' THEN f.name WHEN 'group' THEN g.name WHEN 'key' THEN k.name END AS record_name,
           CASE s.scope WHEN 'group' THEN g.id WHEN 'key' THEN kg.id END AS group_id,
           CASE s.scope WHEN 'group' THEN g.name WHEN 'key' THEN kg.name END AS group_name
         FROM secrets s
         LEFT JOIN functions f ON s.scope = 'function' AND f.id = s.scope_id
         LEFT JOIN api_groups g ON s.scope = 'group' AND g.id = s.scope_id
         LEFT JOIN api_keys k ON s.scope = 'key' AND k.id = s.scope_id
         LEFT JOIN api_groups kg ON kg.id = k.group_id
         WHERE s.name = ?
         ORDER BY CASE s.scope WHEN 'global' THEN 0 WHEN 'function' THEN 1 WHEN 'group' THEN 2 ELSE 3 END, record_name`,
      )
      .all(name) as {
      id: number;
      scope: Scope;
      scope_id: number;
      comment: string | null;
      value_length: number;
      updated_at: string;
      record_name: string | null;
      group_id: number | null;
      group_name: string | null;
    }[];
    const definitions: SecretDefinition[] = rows.map((r) => ({
      secretId: r.id,
      scope: r.scope,
      scopeId: r.scope === 'global' ? null : r.scope_id,
      recordName: r.record_name,
      groupId: r.group_id,
      groupName: r.group_name,
      comment: r.comment,
      valueLength: r.value_length,
      updatedAt: r.updated_at,
    }));
    return { name, definitions };
  }

  /**
   * Which scope wins for every function × caller (no key, then each key by group); no
   * decryption. Only the window is computed and sent: a 500 × 1,001 matrix was 6.5 MB of
   * JSON and half a second of work for a screen that shows 60 × 80 cells.
   */
  function matrix(name: string, window: MatrixWindow = {}): ResolutionMatrix {
    const defs = inspect(name).definitions;
    const fnNeedle = window.functionFilter?.trim().toLowerCase() ?? '';
    const keyNeedle = window.keyFilter?.trim().toLowerCase() ?? '';
    const allFunctions = (db.prepare('SELECT id, name FROM functions ORDER BY name').all() as { id: number; name: string }[]).filter(
      (f) => !fnNeedle || f.name.toLowerCase().includes(fnNeedle),
    );
    const groupsOf = new Map<number, number[]>();
    for (const r of db.prepare('SELECT function_id, group_id FROM function_groups').all() as {
      function_id: number;
      group_id: number;
    }[]) {
      groupsOf.set(r.function_id, [...(groupsOf.get(r.function_id) ?? []), r.group_id]);
    }
    // "Hide refused callers": a key whose group no function here requires is refused by
    // every one of them (or, for a public function, answers like "no key").
    const accepted = new Set(allFunctions.flatMap((f) => groupsOf.get(f.id) ?? []));
    const allKeys = (
      db
        .prepare('SELECT k.id, k.name, g.id AS group_id, g.name AS group_name FROM api_keys k JOIN api_groups g ON g.id = k.group_id ORDER BY g.name, k.name')
        .all() as { id: number; name: string; group_id: number; group_name: string }[]
    ).filter((k) => (!keyNeedle || `${k.group_name} ${k.name}`.toLowerCase().includes(keyNeedle)) && (!window.acceptedOnly || accepted.has(k.group_id)));
    const functions = allFunctions.slice(0, window.maxFunctions ?? allFunctions.length);
    const keys = allKeys.slice(0, window.maxKeys ?? allKeys.length);
    const defined = new Set(defs.map((d) => `${d.scope}:${d.scopeId}`));
    const has = (scope: Scope, id: number | null) => defined.has(`${scope}:${id}`);
    const hasGlobal = has('global', null);
    const columns: ResolutionMatrix['columns'] = [
      { keyId: null, keyName: null, groupId: null, groupName: null },
      ...keys.map((k) => ({ keyId: k.id, keyName: k.name, groupId: k.group_id, groupName: k.group_name })),
    ];
    // Each cell is what the handler sees for that caller: a public function ignores the
    // key; a function with required groups refuses other callers before it runs.
    const denied = functions.map((f) => {
      const required = groupsOf.get(f.id) ?? [];
      return columns.map((col) => required.length > 0 && (col.groupId === null || !required.includes(col.groupId)));
    });
    const cells = functions.map((f, fi) => {
      const isPublic = (groupsOf.get(f.id) ?? []).length === 0;
      const fnScope: Scope | null = has('function', f.id) ? 'function' : hasGlobal ? 'global' : null;
      return columns.map((col, ci): Scope | null => {
        if (denied[fi]![ci]) return null;
        if (!isPublic && col.keyId !== null && has('key', col.keyId)) return 'key';
        if (!isPublic && col.groupId !== null && has('group', col.groupId)) return 'group';
        return fnScope;
      });
    });
    return {
      name,
      totalFunctions: allFunctions.length,
      totalKeys: allKeys.length,
      functions: functions.map((f) => ({ ...f, groupIds: (groupsOf.get(f.id) ?? []).sort((a, b) => a - b) })),
      columns,
      cells,
      denied,
    };
  }

  return { getSecret, getCompleteSecret, explain, inspect, matrix, callerContext };
}

export type Resolver = ReturnType<typeof createResolver>;
