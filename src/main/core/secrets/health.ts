// One report for the whole workspace, from what the app already knows: the names each
// handler reads (the static scan), the names it asked for (the execution log's traces),
// and the resolution matrix. It is what an operator checks before a deploy.
import type { HealthReport } from '../../../shared/contract';
import type { Scope } from '../../../shared/types';
import type { CodeService, ExecutionLog, FunctionService, RotationService } from '../core-api';
import type { Db } from '../store/database';
import { caseTwinGroups, overrideOf } from './overrides';
import type { Resolver } from './resolution';
import { findComputedSecretCalls, findSecretCalls } from './uses';

/** Execution log entries read per function for the names it really asked for. */
const TRACE_ENTRIES = 50;

interface Deps {
  db: Db;
  functions: FunctionService;
  code: Pick<CodeService, 'read'>;
  executions: ExecutionLog;
  resolver: Resolver;
  rotation: RotationService;
}

interface Read {
  scopes: Set<Scope | null>;
  seenIn: Set<'code' | 'log'>;
}

export function healthReport(d: Deps): HealthReport {
  const functions = d.functions.list();
  const allNames = d.db.prepare('SELECT DISTINCT name FROM secrets ORDER BY name').pluck().all() as string[];
  const reads = new Map<number, Map<string, Read>>();
  const computedReads: HealthReport['computedReads'] = [];
  const note = (fnId: number, name: string, scope: Scope | null, where: 'code' | 'log') => {
    const byName = reads.get(fnId) ?? new Map<string, Read>();
    const r = byName.get(name) ?? { scopes: new Set(), seenIn: new Set() };
    r.scopes.add(scope);
    r.seenIn.add(where);
    byName.set(name, r);
    reads.set(fnId, byName);
  };
  for (const f of functions) {
    let source = '';
    try {
      source = d.code.read(f.handler);
    } catch {
      // a missing handler file reads nothing
    }
    for (const c of findSecretCalls(source)) note(f.id, c.name, c.call === 'getSecret' ? c.scope : null, 'code');
    const computed = findComputedSecretCalls(source).length;
    if (computed > 0) computedReads.push({ functionId: f.id, functionName: f.name, count: computed });
    for (const e of d.executions.list(f.id, TRACE_ENTRIES)) {
      for (const t of e.trace) note(f.id, t.name, t.call === 'getSecret' ? t.requestedScope : null, 'log');
    }
  }

  // One matrix per name read anywhere: every function × caller at once.
  const matrices = new Map<string, ReturnType<Resolver['matrix']>>();
  const matrixOf = (name: string) => {
    let m = matrices.get(name);
    if (!m) matrices.set(name, (m = d.resolver.matrix(name)));
    return m;
  };

  const undefinedReads: HealthReport['undefinedReads'] = [];
  for (const f of functions) {
    for (const [name, r] of reads.get(f.id) ?? []) {
      const m = matrixOf(name);
      const fi = m.functions.findIndex((x) => x.id === f.id);
      if (fi < 0) continue;
      const isPublic = f.groupIds.length === 0;
      const defs = new Set(d.resolver.inspect(name).definitions.map((x) => `${x.scope}:${x.scopeId}`));
      const missingFor: HealthReport['undefinedReads'][number]['missingFor'] = [];
      let callers = 0;
      m.columns.forEach((col, ci) => {
        if (m.denied[fi]![ci] || (isPublic && ci > 0)) return; // a public function sees no key: one caller
        callers++;
        const answers = [...r.scopes].every((scope) => {
          if (scope === null) return m.cells[fi]![ci] !== null;
          if (scope === 'global') return defs.has('global:null');
          if (scope === 'function') return defs.has(`function:${f.id}`);
          if (scope === 'group') return !isPublic && defs.has(`group:${col.groupId}`);
          return !isPublic && defs.has(`key:${col.keyId}`);
        });
        if (!answers) missingFor.push({ keyId: col.keyId, keyName: col.keyName, groupName: col.groupName });
      });
      if (missingFor.length > 0) {
        undefinedReads.push({ functionId: f.id, functionName: f.name, name, seenIn: [...r.seenIn].sort(), callers, missingFor });
      }
    }
  }

  const readAnywhere = new Set([...reads.values()].flatMap((byName) => [...byName.keys()]));
  const unreadSecrets: HealthReport['unreadSecrets'] = allNames
    .filter((n) => !readAnywhere.has(n))
    .map((name) => {
      const defs = d.resolver.inspect(name).definitions;
      return { name, definitions: defs.length, scopes: [...new Set(defs.map((x) => x.scope))] };
    });

  // Definitions that never answer: a more specific scope wins for every caller they reach,
  // or no function accepts the group (or the key's group) they belong to.
  const shadowed: HealthReport['shadowed'] = [];
  const multi = d.db
    // Only a name defined at two or more scopes can shadow itself.
    .prepare(`SELECT name FROM secrets GROUP BY name HAVING COUNT(DISTINCT scope) > 1 ORDER BY name`)
    .pluck()
    .all() as string[];
  for (const name of multi) {
    const defs = d.resolver.inspect(name).definitions.filter((x) => x.scope !== 'key');
    const m = matrixOf(name);
    for (const def of defs) {
      const o = overrideOf(m, def.scope, def.scopeId);
      if (o.reached > 0 && o.overridden === o.reached) {
        shadowed.push({ name, secretId: def.secretId, scope: def.scope, scopeId: def.scopeId, recordName: def.recordName, reached: o.reached, reason: 'shadowed', by: o.overriddenBy.slice(0, 5) });
      }
    }
  }
  const unreached = d.db
    .prepare(
      `SELECT s.id, s.name, s.scope, s.scope_id, COALESCE(g.name, k.name) AS record_name FROM secrets s
         LEFT JOIN api_groups g ON s.scope = 'group' AND g.id = s.scope_id
         LEFT JOIN api_keys k ON s.scope = 'key' AND k.id = s.scope_id
       WHERE (s.scope = 'group' AND NOT EXISTS (SELECT 1 FROM function_groups fg WHERE fg.group_id = s.scope_id))
          OR (s.scope = 'key' AND NOT EXISTS (SELECT 1 FROM function_groups fg WHERE fg.group_id = k.group_id))
       ORDER BY s.name`,
    )
    .all() as { id: number; name: string; scope: Scope; scope_id: number; record_name: string | null }[];
  for (const u of unreached) {
    shadowed.push({ name: u.name, secretId: u.id, scope: u.scope, scopeId: u.scope_id, recordName: u.record_name, reached: 0, reason: 'no-caller', by: [] });
  }

  const rotation = d.rotation.status();
  return {
    generatedAt: new Date().toISOString(),
    totals: { functions: functions.length, names: allNames.length, namesRead: readAnywhere.size },
    undefinedReads,
    computedReads,
    unreadSecrets,
    shadowed,
    caseTwins: caseTwinGroups(allNames),
    rotation: {
      lastRotationAt: rotation.lastRotationAt,
      nextRotationDue: rotation.nextRotationDue,
      intervalDays: rotation.intervalDays,
      overdue: Date.parse(rotation.nextRotationDue) <= Date.now(),
    },
  };
}
