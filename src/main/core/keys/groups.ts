import type { ApiKeyGroup, DeletePreview } from '../../../shared/types';
import { groupNameProblem, MANAGEMENT_GROUP, MAX_TEXT_LENGTH } from '../../../shared/rules';
import type { GroupService } from '../core-api';
import type { AuditLog } from '../audit/audit-log';
import type { KeyRing } from '../crypto/key-ring';
import { CoreError, notFound, validation } from '../errors';
import { nowIso, type Db } from '../store/database';
import { mapConstraint } from '../store/sql';
import type { WriteGate } from '../store/write-gate';
import type { DeletePreviewer } from '../secrets/delete-preview';

interface GroupRow {
  id: number;
  name: string;
  integrity: string | null;
  description: string | null;
  created_at: string;
  updated_at: string;
  key_count: number;
  secret_count: number;
}

const SELECT = `
  SELECT g.*,
    (SELECT COUNT(*) FROM api_keys k WHERE k.group_id = g.id) AS key_count,
    (SELECT COUNT(*) FROM secrets s WHERE s.scope = 'group' AND s.scope_id = g.id) AS secret_count
  FROM api_groups g`;

/** The fields of a group row its MAC covers: its id and name ("management" decides admin access). */
export const groupIntegrityFields = (r: { id: number; name: string }) => [r.id, r.name];

export function checkDescription(field: string, d: string | null | undefined): void {
  if (d != null && d.length > MAX_TEXT_LENGTH) throw validation(field, `${field} is longer than ${MAX_TEXT_LENGTH} characters.`);
}

function checkName(name: string): void {
  const problem = groupNameProblem(name);
  if (problem) throw validation('name', problem);
}

const nameConflict = (name: string) => [
  { match: /api_groups\.name/, field: 'name', message: `A group named "${name}" already exists.` },
];

/** API key groups. The `management` group is created on first start and cannot be deleted or renamed. */
export function createGroupService(db: Db, ring: KeyRing, gate: WriteGate, previews: DeletePreviewer, audit: AuditLog): GroupService & { ensureManagementGroup(): void } {
  const byId = db.prepare(`${SELECT} WHERE g.id = ?`);
  const byName = db.prepare(`${SELECT} WHERE g.name = ?`);
  const toGroup = (r: GroupRow): ApiKeyGroup => ({
    id: r.id,
    name: r.name,
    description: r.description,
    keyCount: r.key_count,
    secretCount: r.secret_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(ring.integrity.holds(r.integrity, 'api_group', groupIntegrityFields(r)) ? {} : { tampered: true as const }),
  });
  const seal = (id: number) => {
    const r = db.prepare('SELECT id, name FROM api_groups WHERE id = ?').get(id) as { id: number; name: string };
    db.prepare('UPDATE api_groups SET integrity = ? WHERE id = ?').run(ring.integrity.seal('api_group', groupIntegrityFields(r)), id);
  };
  const insert = (name: string, description: string | null) =>
    db.transaction(() => {
      const now = nowIso();
      const id = Number(
        mapConstraint(
          () => db.prepare('INSERT INTO api_groups (name, description, created_at, updated_at) VALUES (?, ?, ?, ?)').run(name, description, now, now).lastInsertRowid,
          nameConflict(name),
        ),
      );
      seal(id);
      return id;
    })();

  function get(id: number): ApiKeyGroup {
    const row = byId.get(id) as GroupRow | undefined;
    if (!row) throw notFound('Group', id);
    return toGroup(row);
  }

  return {
    list: () => (db.prepare(`${SELECT} ORDER BY g.name`).all() as GroupRow[]).map(toGroup),
    get,
    getByName(name) {
      const row = byName.get(name) as GroupRow | undefined;
      return row ? toGroup(row) : undefined;
    },
    create({ name, description }) {
      checkName(name);
      checkDescription('description', description);
      gate.assertOpen();
      const id = db.transaction(() => {
        const newId = insert(name, description ?? null);
        audit.append({ action: 'group.created', recordKind: 'group', recordId: newId, recordName: name });
        return newId;
      })();
      return get(id);
    },
    /** First start: the group whose keys may call the admin API. */
    ensureManagementGroup() {
      if (!byName.get(MANAGEMENT_GROUP)) insert(MANAGEMENT_GROUP, 'Keys of this group may call the admin API.');
    },
    update({ id, name, description }) {
      const existing = get(id);
      if (name !== undefined) checkName(name);
      checkDescription('description', description);
      if (existing.name === MANAGEMENT_GROUP && name !== undefined && name !== MANAGEMENT_GROUP) {
        throw validation('name', 'The management group cannot be renamed: its keys may call the admin API.');
      }
      gate.assertOpen();
      db.transaction(() => {
        mapConstraint(
          () =>
            db
              .prepare('UPDATE api_groups SET name = ?, description = ?, updated_at = ? WHERE id = ?')
              .run(name ?? existing.name, description === undefined ? existing.description : description, nowIso(), id),
          nameConflict(name ?? existing.name),
        );
        seal(id);
        const fields = [...(name !== undefined && name !== existing.name ? ['name'] : []), ...(description !== undefined && description !== existing.description ? ['description'] : [])];
        audit.append({ action: 'group.updated', recordKind: 'group', recordId: id, recordName: name ?? existing.name, detail: { fields, ...(fields.includes('name') ? { renamedFrom: existing.name } : {}) } });
      })();
      return get(id);
    },
    delete(id) {
      const group = get(id);
      if (group.name === MANAGEMENT_GROUP) {
        throw new CoreError('IN_USE', 'The management group cannot be deleted: its keys may call the admin API.');
      }
      gate.assertOpen();
      return db.transaction((): DeletePreview => {
        const preview = previews.preview('group', id);
        if (preview.blockingFunctions.length > 0) {
          const names = preview.blockingFunctions.map((f) => `"${f.name}"`).join(', ');
          throw new CoreError(
            'IN_USE',
            `Group "${group.name}" is required by function ${names}. Remove the requirement from the function first, so it does not become public by accident.`,
          );
        }
        // Keys cascade by foreign key; triggers remove the group's and the keys' secrets.
        db.prepare('DELETE FROM api_groups WHERE id = ?').run(id);
        audit.append({ action: 'group.deleted', recordKind: 'group', recordId: id, recordName: group.name, detail: { keys: preview.keys.length, secrets: preview.secrets.length } });
        return preview;
      })();
    },
  };
}
