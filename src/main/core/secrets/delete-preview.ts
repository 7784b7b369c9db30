import type { DeletePreview, Scope } from '../../../shared/types';
import { notFound } from '../errors';
import type { Db } from '../store/database';

export interface DeletePreviewer {
  preview(kind: 'function' | 'group' | 'key', id: number): DeletePreview;
}

type SecretRow = { id: number; name: string; scope: Scope; scope_id: number };
const toSecret = (r: SecretRow) => ({ id: r.id, name: r.name, scope: r.scope, scopeId: r.scope_id === 0 ? null : r.scope_id });

/** Says what deleting a function, group or key would take with it: the same rows the delete removes. */
export function createDeletePreviewer(db: Db): DeletePreviewer {
  return {
    preview(kind, id) {
      if (kind === 'function') {
        const f = db.prepare('SELECT id, name FROM functions WHERE id = ?').get(id) as { id: number; name: string } | undefined;
        if (!f) throw notFound('Function', id);
        const secrets = db
          .prepare("SELECT id, name, scope, scope_id FROM secrets WHERE scope = 'function' AND scope_id = ? ORDER BY name")
          .all(id) as SecretRow[];
        return { target: { kind, id, name: f.name }, keys: [], secrets: secrets.map(toSecret), blockingFunctions: [] };
      }
      if (kind === 'key') {
        const k = db.prepare('SELECT id, name FROM api_keys WHERE id = ?').get(id) as { id: number; name: string } | undefined;
        if (!k) throw notFound('API key', id);
        const secrets = db
          .prepare("SELECT id, name, scope, scope_id FROM secrets WHERE scope = 'key' AND scope_id = ? ORDER BY name")
          .all(id) as SecretRow[];
        return { target: { kind, id, name: k.name }, keys: [], secrets: secrets.map(toSecret), blockingFunctions: [] };
      }
      const g = db.prepare('SELECT id, name FROM api_groups WHERE id = ?').get(id) as { id: number; name: string } | undefined;
      if (!g) throw notFound('Group', id);
      const keys = db.prepare('SELECT id, name FROM api_keys WHERE group_id = ? ORDER BY name').all(id) as {
        id: number;
        name: string;
      }[];
      const secrets = db
        .prepare(
          `SELECT id, name, scope, scope_id FROM secrets
           WHERE (scope = 'group' AND scope_id = ?)
              OR (scope = 'key' AND scope_id IN (SELECT id FROM api_keys WHERE group_id = ?))
           ORDER BY scope, name`,
        )
        .all(id, id) as SecretRow[];
      const blockingFunctions = db
        .prepare(
          'SELECT f.id, f.name FROM functions f JOIN function_groups fg ON fg.function_id = f.id WHERE fg.group_id = ? ORDER BY f.name',
        )
        .all(id) as { id: number; name: string }[];
      return { target: { kind, id, name: g.name }, keys, secrets: secrets.map(toSecret), blockingFunctions };
    },
  };
}
