import type { ApiKey, DeletePreview } from '../../../shared/types';
import { keyNameProblem, keyValueProblem } from '../../../shared/rules';
import type { AuthenticatedKey, KeyService } from '../core-api';
import type { AuditLog } from '../audit/audit-log';
import { apiKeyBinding } from '../crypto/bindings';
import { constantTimeEqual, generateApiKeyValue, hashApiKey } from '../crypto/hash';
import type { KeyRing } from '../crypto/key-ring';
import { CoreError, notFound, validation } from '../errors';
import { AccessCache } from '../store/access-revision';
import { nowIso, type Db } from '../store/database';
import { mapConstraint } from '../store/sql';
import type { WriteGate } from '../store/write-gate';
import type { DeletePreviewer } from '../secrets/delete-preview';
import { checkDescription, groupIntegrityFields } from './groups';

interface KeyRow {
  id: number;
  group_id: number;
  group_name: string;
  name: string;
  value_hash: string;
  integrity: string | null;
  group_integrity: string | null;
  description: string | null;
  created_at: string;
  updated_at: string;
  secret_count: number;
}

const SELECT = `
  SELECT k.id, k.group_id, g.name AS group_name, k.name, k.value_hash, k.integrity, g.integrity AS group_integrity,
    k.description, k.created_at, k.updated_at,
    (SELECT COUNT(*) FROM secrets s WHERE s.scope = 'key' AND s.scope_id = k.id) AS secret_count
  FROM api_keys k JOIN api_groups g ON g.id = k.group_id`;

/** The fields of a key row its MAC covers: what makes it a key of its group. */
export const keyIntegrityFields = (r: { id: number; group_id: number; name: string; value_hash: string }) => [r.id, r.group_id, r.name, r.value_hash];

export const keyRecordLabel = (id: number, name?: string) => `API key #${id}${name ? ` ("${name}")` : ''}`;

/** API keys: generated values, encrypted at rest, found by keyed hash, compared in constant time. */
export function createKeyService(db: Db, ring: KeyRing, gate: WriteGate, previews: DeletePreviewer, audit: AuditLog): KeyService {
  /** A key row (and its group's row) as the app wrote them, or edited outside it. */
  const intact = (r: Pick<KeyRow, 'id' | 'group_id' | 'group_name' | 'name' | 'value_hash' | 'integrity' | 'group_integrity'>) =>
    ring.integrity.holds(r.integrity, 'api_key', keyIntegrityFields(r)) && ring.integrity.holds(r.group_integrity, 'api_group', groupIntegrityFields({ id: r.group_id, name: r.group_name }));

  const toKey = (r: KeyRow): ApiKey => ({
    id: r.id,
    groupId: r.group_id,
    groupName: r.group_name,
    name: r.name,
    description: r.description,
    secretCount: r.secret_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(intact(r) ? {} : { tampered: true as const }),
  });
  const seal = (id: number) => {
    const r = db.prepare('SELECT id, group_id, name, value_hash FROM api_keys WHERE id = ?').get(id) as { id: number; group_id: number; name: string; value_hash: string };
    db.prepare('UPDATE api_keys SET integrity = ? WHERE id = ?').run(ring.integrity.seal('api_key', keyIntegrityFields(r)), id);
  };

  const byId = db.prepare(`${SELECT} WHERE k.id = ?`);
  const authenticated = new AccessCache<AuthenticatedKey | null>(db);
  const byHash = db.prepare(
    'SELECT k.id, k.value_encrypted, k.name, k.value_hash, k.integrity, g.id AS group_id, g.name AS group_name, g.integrity AS group_integrity FROM api_keys k JOIN api_groups g ON g.id = k.group_id WHERE k.value_hash = ?',
  );

  function get(id: number): ApiKey {
    const row = byId.get(id) as KeyRow | undefined;
    if (!row) throw notFound('API key', id);
    return toKey(row);
  }

  function checkName(name: string) {
    const problem = typeof name === 'string' ? keyNameProblem(name) : 'Key name must be a string.';
    if (problem) throw validation('name', problem);
  }

  function checkValue(value: unknown): string {
    const problem = typeof value === 'string' ? keyValueProblem(value) : 'Key value must be a string.';
    if (problem) throw validation('value', problem);
    return value as string;
  }

  const nameConflict = (name: string) => [
    { match: /api_keys\.group_id, api_keys\.name/, field: 'name', message: `This group already has a key named "${name}".` },
    // Values are unique (they are looked up by keyed hash); never quoted.
    { match: /api_keys\.value_hash/, field: 'value', message: 'Another API key already has this value.' },
  ];

  return {
    list(groupId) {
      const rows =
        groupId === undefined
          ? db.prepare(`${SELECT} ORDER BY g.name, k.name`).all()
          : db.prepare(`${SELECT} WHERE k.group_id = ? ORDER BY k.name`).all(groupId);
      return (rows as KeyRow[]).map(toKey);
    },
    get,
    create({ groupId, name, description, value: given }) {
      checkName(name);
      checkDescription('description', description);
      if (!db.prepare('SELECT 1 FROM api_groups WHERE id = ?').get(groupId)) {
        throw validation('groupId', `Group #${groupId} does not exist.`);
      }
      // A value chosen by the operator (or pulled from a server), else a generated one.
      const value = given === undefined ? generateApiKeyValue() : checkValue(given);
      gate.assertOpen();
      const now = nowIso();
      const id = db.transaction(() => {
        const newId = Number(
          mapConstraint(
            () =>
              db
                .prepare(
                  'INSERT INTO api_keys (group_id, name, description, value_encrypted, value_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
                )
                .run(groupId, name, description ?? null, ring.cipher.encrypt(value, apiKeyBinding({ group_id: groupId, name })), hashApiKey(ring.hashKey, value), now, now)
                .lastInsertRowid,
            nameConflict(name),
          ),
        );
        seal(newId);
        audit.append({ action: 'key.created', recordKind: 'key', recordId: newId, recordName: name, detail: { groupId, ...(given === undefined ? {} : { valueGiven: true }) } });
        return newId;
      })();
      return { ...get(id), value };
    },
    update({ id, name, description, value }) {
      const existing = get(id);
      // Saving re-seals the row's MAC: for a row changed outside the app (moved into another
      // group, say) that would bless the change, unseen, since the form does not show it.
      if (existing.tampered) {
        throw new CoreError('CONFLICT', `${keyRecordLabel(id, existing.name)} failed its integrity check (its row was changed outside the app), so it cannot be edited: delete it and create a new key.`);
      }
      // Names from before the platform's lowercase rule stay valid until they are changed.
      if (name !== undefined && name !== existing.name) checkName(name);
      checkDescription('description', description);
      const newValue = value === undefined ? undefined : checkValue(value);
      gate.assertOpen();
      const newName = name ?? existing.name;
      db.transaction(() => {
        const renamed = newName !== existing.name;
        // The old value is read to re-bind it (a rename) or to tell whether a given value is new;
        // an unreadable one can still be replaced.
        let old: string | null = null;
        if (renamed || newValue !== undefined) {
          try {
            old = revealRow(id);
          } catch (e) {
            if (newValue === undefined) throw e;
          }
        }
        const valueChanged = newValue !== undefined && newValue !== old;
        // The value is bound to the key's name: a rename re-encrypts it, as does a new value.
        const encrypted = renamed || valueChanged ? ring.cipher.encrypt(valueChanged ? newValue! : old!, apiKeyBinding({ group_id: existing.groupId, name: newName })) : null;
        mapConstraint(
          () =>
            db
              .prepare('UPDATE api_keys SET name = ?, description = ?, value_encrypted = coalesce(?, value_encrypted), value_hash = coalesce(?, value_hash), updated_at = ? WHERE id = ?')
              .run(newName, description === undefined ? existing.description : description, encrypted, valueChanged ? hashApiKey(ring.hashKey, newValue!) : null, nowIso(), id),
          nameConflict(newName),
        );
        seal(id);
        const fields = [
          ...(newName !== existing.name ? ['name'] : []),
          ...(description !== undefined && description !== existing.description ? ['description'] : []),
          ...(valueChanged ? ['value'] : []),
        ];
        audit.append({ action: 'key.updated', recordKind: 'key', recordId: id, recordName: newName, detail: { fields, ...(fields.includes('name') ? { renamedFrom: existing.name } : {}) } });
      })();
      return get(id);
    },
    delete(id) {
      get(id);
      gate.assertOpen();
      return db.transaction((): DeletePreview => {
        const preview = previews.preview('key', id);
        const name = (db.prepare('SELECT name FROM api_keys WHERE id = ?').pluck().get(id) as string | undefined) ?? null;
        db.prepare('DELETE FROM api_keys WHERE id = ?').run(id);
        audit.append({ action: 'key.deleted', recordKind: 'key', recordId: id, recordName: name, detail: { secrets: preview.secrets.length } });
        return preview;
      })();
    },
    reveal(id, purpose = 'reveal') {
      const key = get(id);
      const value = revealRow(id);
      audit.append({ action: purpose === 'copy' ? 'key.copied' : 'key.revealed', recordKind: 'key', recordId: id, recordName: key.name });
      return value;
    },
    authenticate(value) {
      if (typeof value !== 'string' || value.length === 0 || value.length > 512) return null;
      const hash = hashApiKey(ring.hashKey, value);
      // Kept by keyed hash (never by value) until a key or group changes.
      return authenticated.get(hash, () => check(hash, value));
    },
  };

  function revealRow(id: number): string {
    const row = db.prepare('SELECT name, group_id, value_encrypted FROM api_keys WHERE id = ?').get(id) as { name: string; group_id: number; value_encrypted: string };
    return ring.cipher.decrypt(row.value_encrypted, keyRecordLabel(id, row.name), apiKeyBinding(row));
  }

  /**
   * Keyed-hash lookup, the row's and its group's MACs, then the stored value decrypted
   * (bound to the key's group and name) and compared in constant time. A row edited
   * outside the app — moved to another group, a group renamed to "management" —
   * authenticates nobody.
   */
  function check(hash: string, value: string): AuthenticatedKey | null {
    const row = byHash.get(hash) as
      | { id: number; value_encrypted: string; name: string; value_hash: string; integrity: string | null; group_id: number; group_name: string; group_integrity: string | null }
      | undefined;
    if (!row) return null;
    if (!intact(row)) {
      console.warn(`[keys] ${keyRecordLabel(row.id, row.name)} failed its integrity check (its row was changed outside the app); it authenticates nobody.`);
      return null;
    }
    let stored: string;
    try {
      stored = ring.cipher.decrypt(row.value_encrypted, keyRecordLabel(row.id, row.name), apiKeyBinding(row));
    } catch {
      return null; // A tampered key record authenticates nobody.
    }
    if (!constantTimeEqual(stored, value)) return null;
    return { key: { id: row.id, name: row.name }, group: { id: row.group_id, name: row.group_name } };
  }
}
