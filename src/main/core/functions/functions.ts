import { existsSync } from 'node:fs';
import type { CorsConfig, DeletePreview, FunctionDef, HttpMethod } from '../../../shared/types';
import { HTTP_METHODS } from '../../../shared/types';
import { corsProblem, handlerPathProblem, normaliseRoute, recordNameProblem, routeProblem } from '../../../shared/rules';
import type { CodeService, FunctionInput, FunctionService } from '../core-api';
import type { AuditLog } from '../audit/audit-log';
import type { KeyRing } from '../crypto/key-ring';
import { CoreError, notFound, validation } from '../errors';
import { nowIso, type Db } from '../store/database';
import { mapConstraint } from '../store/sql';
import type { WriteGate } from '../store/write-gate';
import type { DeletePreviewer } from '../secrets/delete-preview';
import { checkDescription } from '../keys/groups';
import { STARTER_HANDLER } from './starter-handler';

interface FunctionRow {
  id: number;
  name: string;
  description: string | null;
  handler: string;
  route: string;
  methods: string;
  enabled: number;
  cors: string | null;
  integrity: string | null;
  created_at: string;
  updated_at: string;
  group_ids: string | null;
  secret_count: number;
  last_status: number | null;
  last_at: string | null;
}

const SELECT = `
  SELECT f.*,
    (SELECT group_concat(group_id) FROM function_groups fg WHERE fg.function_id = f.id) AS group_ids,
    (SELECT COUNT(*) FROM secrets s WHERE s.scope = 'function' AND s.scope_id = f.id) AS secret_count,
    (SELECT status FROM executions e WHERE e.function_id = f.id ORDER BY e.id DESC LIMIT 1) AS last_status,
    (SELECT at FROM executions e WHERE e.function_id = f.id ORDER BY e.id DESC LIMIT 1) AS last_at
  FROM functions f`;

/** CORS settings in one canonical form: stored, compared and MAC'ed as this JSON. */
export function canonicalCors(c: CorsConfig | null | undefined): string | null {
  if (!c) return null;
  return JSON.stringify({
    origins: [...c.origins],
    credentials: c.credentials === true,
    maxAge: c.maxAge ?? 86_400,
    allowHeaders: c.allowHeaders ?? [],
    exposeHeaders: c.exposeHeaders ?? [],
  });
}

/** The fields of a function row its MAC covers: who may call it, and whether it answers at all. */
export const functionIntegrityFields = (r: { id: number; enabled: boolean; groupIds: number[]; cors: string | null }) => [
  r.id,
  r.enabled ? 1 : 0,
  [...r.groupIds].sort((a, b) => a - b).join(','),
  r.cors,
];

/** Function definitions: unique names, and no two functions answering one method on one route. */
export function createFunctionService(db: Db, ring: KeyRing, code: Omit<CodeService, 'check'>, gate: WriteGate, previews: DeletePreviewer, audit: AuditLog): FunctionService {
  const byId = db.prepare(`${SELECT} WHERE f.id = ?`);
  let revision = 0;

  const toFunction = (r: FunctionRow): FunctionDef => {
    const groupIds = r.group_ids ? r.group_ids.split(',').map(Number).sort((a, b) => a - b) : [];
    const enabled = r.enabled === 1;
    const intact = ring.integrity.holds(r.integrity, 'function', functionIntegrityFields({ id: r.id, enabled, groupIds, cors: r.cors }));
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      handler: r.handler,
      route: r.route,
      methods: JSON.parse(r.methods) as HttpMethod[],
      groupIds,
      enabled,
      cors: r.cors ? (JSON.parse(r.cors) as CorsConfig) : null,
      secretCount: r.secret_count,
      lastStatus: r.last_status,
      lastCalledAt: r.last_at,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      ...(intact ? {} : { tampered: true as const }),
    };
  };

  /** Stores the MAC of the function's access rules as they are now (inside the writer's transaction). */
  function seal(id: number) {
    const r = db.prepare('SELECT id, enabled, cors FROM functions WHERE id = ?').get(id) as { id: number; enabled: number; cors: string | null };
    const groupIds = (db.prepare('SELECT group_id FROM function_groups WHERE function_id = ?').pluck().all(id) as number[]);
    db.prepare('UPDATE functions SET integrity = ? WHERE id = ?').run(ring.integrity.seal('function', functionIntegrityFields({ id, enabled: r.enabled === 1, groupIds, cors: r.cors })), id);
  }

  function get(id: number): FunctionDef {
    const row = byId.get(id) as FunctionRow | undefined;
    if (!row) throw notFound('Function', id);
    return toFunction(row);
  }

  function validate(input: FunctionInput, selfId: number | null): { methods: HttpMethod[]; groupIds: number[] } {
    const nameProblem = recordNameProblem('Function', input.name);
    if (nameProblem) throw validation('name', nameProblem);
    const rp = routeProblem(input.route);
    if (rp) throw validation('route', rp);
    if (!Array.isArray(input.methods) || input.methods.length === 0) {
      throw validation('methods', 'Choose at least one HTTP method.');
    }
    const methods = [...new Set(input.methods.map((m) => String(m).toUpperCase()))] as HttpMethod[];
    const bad = methods.find((m) => !HTTP_METHODS.includes(m));
    if (bad) throw validation('methods', `Unknown HTTP method "${bad}"; use ${HTTP_METHODS.join(', ')}.`);
    const hp = handlerPathProblem(input.handler);
    if (hp) throw validation('handler', hp);
    code.resolve(input.handler); // symlink escapes
    checkDescription('description', input.description);
    if (input.cors) {
      const problem = corsProblem(input.cors);
      if (problem) throw validation(problem.field, problem.message);
    }
    const groupIds = [...new Set(input.groupIds ?? [])];
    for (const gid of groupIds) {
      if (!db.prepare('SELECT 1 FROM api_groups WHERE id = ?').get(gid)) {
        throw validation('groupIds', `Group #${gid} does not exist.`);
      }
    }
    const routeKey = normaliseRoute(input.route);
    const others = db.prepare('SELECT id, name, methods FROM functions WHERE route_key = ? AND id IS NOT ?').all(routeKey, selfId) as {
      id: number;
      name: string;
      methods: string;
    }[];
    for (const other of others) {
      const overlap = (JSON.parse(other.methods) as string[]).filter((m) => methods.includes(m as HttpMethod));
      if (overlap.length > 0) {
        throw new CoreError(
          'CONFLICT',
          `Function "${other.name}" already answers ${overlap.join(', ')} on route ${normaliseRoute(input.route).replaceAll(':', ':param')}.`,
          'route',
        );
      }
    }
    return { methods, groupIds };
  }

  const nameConflict = (name: string) => [
    { match: /functions\.name/, field: 'name', message: `A function named "${name}" already exists.` },
  ];

  function writeGroups(id: number, groupIds: number[]) {
    db.prepare('DELETE FROM function_groups WHERE function_id = ?').run(id);
    const insert = db.prepare('INSERT INTO function_groups (function_id, group_id) VALUES (?, ?)');
    for (const gid of groupIds) insert.run(id, gid);
  }

  function ensureHandlerFile(handler: string) {
    if (!existsSync(code.resolve(handler))) code.write(handler, STARTER_HANDLER);
  }

  return {
    list: () => (db.prepare(`${SELECT} ORDER BY f.name`).all() as FunctionRow[]).map(toFunction),
    get,
    revision: () => revision,
    create(input) {
      const { methods, groupIds } = validate(input, null);
      gate.assertOpen();
      const now = nowIso();
      const id = db.transaction(() => {
        const newId = Number(
          mapConstraint(
            () =>
              db
                .prepare(
                  'INSERT INTO functions (name, description, handler, route, route_key, methods, enabled, cors, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                )
                .run(
                  input.name,
                  input.description ?? null,
                  input.handler,
                  input.route,
                  normaliseRoute(input.route),
                  JSON.stringify(methods),
                  input.enabled === false ? 0 : 1,
                  canonicalCors(input.cors),
                  now,
                  now,
                ).lastInsertRowid,
            nameConflict(input.name),
          ),
        );
        writeGroups(newId, groupIds);
        seal(newId);
        audit.append({ action: 'function.created', recordKind: 'function', recordId: newId, recordName: input.name, detail: { route: input.route, groupIds } });
        return newId;
      })();
      ensureHandlerFile(input.handler);
      revision++;
      return get(id);
    },
    update(input) {
      const existing = get(input.id);
      const merged: FunctionInput = {
        name: input.name ?? existing.name,
        route: input.route ?? existing.route,
        methods: input.methods ?? existing.methods,
        handler: input.handler ?? existing.handler,
        groupIds: input.groupIds ?? existing.groupIds,
        description: input.description === undefined ? existing.description : input.description,
        enabled: input.enabled ?? existing.enabled,
        cors: input.cors === undefined ? existing.cors : input.cors,
      };
      const { methods, groupIds } = validate(merged, existing.id);
      gate.assertOpen();
      db.transaction(() => {
        mapConstraint(
          () =>
            db
              .prepare(
                'UPDATE functions SET name = ?, description = ?, handler = ?, route = ?, route_key = ?, methods = ?, enabled = ?, cors = ?, updated_at = ? WHERE id = ?',
              )
              .run(
                merged.name,
                merged.description ?? null,
                merged.handler,
                merged.route,
                normaliseRoute(merged.route),
                JSON.stringify(methods),
                merged.enabled ? 1 : 0,
                canonicalCors(merged.cors),
                nowIso(),
                existing.id,
              ),
          nameConflict(merged.name),
        );
        writeGroups(existing.id, groupIds);
        seal(existing.id);
        const before = existing as unknown as Record<string, unknown>;
        const after = { ...merged, methods, groupIds } as unknown as Record<string, unknown>;
        const fields = ['name', 'route', 'methods', 'handler', 'groupIds', 'description', 'enabled', 'cors'].filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null));
        audit.append({ action: 'function.updated', recordKind: 'function', recordId: existing.id, recordName: merged.name, detail: { fields } });
      })();
      ensureHandlerFile(merged.handler);
      revision++;
      return get(existing.id);
    },
    setEnabled(id, enabled) {
      get(id);
      gate.assertOpen();
      db.transaction(() => {
        db.prepare('UPDATE functions SET enabled = ?, updated_at = ? WHERE id = ?').run(enabled ? 1 : 0, nowIso(), id);
        seal(id);
        audit.append({ action: 'function.updated', recordKind: 'function', recordId: id, recordName: get(id).name, detail: { fields: ['enabled'], enabled } });
      })();
      revision++;
      return get(id);
    },
    delete(id) {
      get(id);
      gate.assertOpen();
      const preview = db.transaction((): DeletePreview => {
        const p = previews.preview('function', id);
        // Triggers remove the function's secrets and execution log in the same transaction.
        const name = get(id).name;
        db.prepare('DELETE FROM functions WHERE id = ?').run(id);
        audit.append({ action: 'function.deleted', recordKind: 'function', recordId: id, recordName: name, detail: { secrets: p.secrets.length } });
        return p;
      })();
      revision++;
      return preview;
    },
  };
}
