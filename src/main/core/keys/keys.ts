import type { ApiKey, DeletePreview } from '../../../shared/types';
import { recordNameProblem } from '../../../shared/rules';
import type { AuthenticatedKey, KeyService } from '../core-api';
import { constantTimeEqual, generateApiKeyValue, hashApiKey } from '../crypto/hash';
import type { KeyRing } from '../crypto/key-ring';
import { notFound, validation } from '../errors';
import { AccessCache } from '../store/access-revision';
import { nowIso, type Db } from '../store/database';
import { mapConstraint } from '../store/sql';
import type { WriteGate } from '../store/write-gate';
import type { DeletePreviewer } from '../secrets/delete-preview';
import { checkDescription } from './groups';

interface KeyRow {
  id: number;
  group_id: number;
  group_name: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
  secret_count: number;
}

const SELECT = `
  SELECT k.id, k.group_id, g.name AS group_name, k.name, k.description, k.created_at, k.updated_at,
    (SELECT COUNT(*) FROM secrets s WHERE s.scope = 'key' AND s.scope_id = k.id) AS secret_count
  FROM api_keys k JOIN api_groups g ON g.id = k.group_id`;

const toKey = (r: KeyRow): ApiKey => ({
  id: r.id,
  groupId: r.group_id,
  groupName: r.group_name,
  name: r.name,
  description: r.description,
  secretCount: r.secret_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const keyRecordLabel = (id: number, name?: string) => `API key #${id}${name ? ` ("${name}")` : ''}`;

/** API keys: generated values, encrypted at rest, found by keyed hash, compared in constant time. */
export function createKeyService(db: Db, ring: KeyRing, gate: WriteGate, previews: DeletePreviewer): KeyService {
  const byId = db.prepare(`${SELECT} WHERE k.id = ?`);
  const authenticated = new AccessCache<AuthenticatedKey | null>(db);
  const byHash = db.prepare(
    'SELECT k.id, k.value_encrypted, k.name, g.id AS group_id, g.name AS group_name FROM api_keys k JOIN api_groups g ON g.id = k.group_id WHERE k.value_hash = ?',
  );

  function get(id: number): ApiKey {
    const row = byId.get(id) as KeyRow | undefined;
    if (!row) throw notFound('API key', id);
    return toKey(row);
  }

  function checkName(name: string) {
    const problem = recordNameProblem('Key', name);
    if (problem) throw validation('name', problem);
  }

  const nameConflict = (name: string) => [
    { match: /api_keys\.group_id, api_keys\.name/, field: 'name', message: `This group already has a key named "${name}".` },
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
    create({ groupId, name, description }) {
      checkName(name);
      checkDescription('description', description);
      if (!db.prepare('SELECT 1 FROM api_groups WHERE id = ?').get(groupId)) {
        throw validation('groupId', `Group #${groupId} does not exist.`);
      }
      gate.assertOpen();
      const value = generateApiKeyValue();
      const now = nowIso();
      const id = mapConstraint(
        () =>
          db
            .prepare(
              'INSERT INTO api_keys (group_id, name, description, value_encrypted, value_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
            )
            .run(groupId, name, description ?? null, ring.cipher.encrypt(value), hashApiKey(ring.hashKey, value), now, now)
            .lastInsertRowid,
        nameConflict(name),
      );
      return { ...get(Number(id)), value };
    },
    update({ id, name, description }) {
      const existing = get(id);
      if (name !== undefined) checkName(name);
      checkDescription('description', description);
      gate.assertOpen();
      mapConstraint(
        () =>
          db
            .prepare('UPDATE api_keys SET name = ?, description = ?, updated_at = ? WHERE id = ?')
            .run(name ?? existing.name, description === undefined ? existing.description : description, nowIso(), id),
        nameConflict(name ?? existing.name),
      );
      return get(id);
    },
    delete(id) {
      get(id);
      gate.assertOpen();
      return db.transaction((): DeletePreview => {
        const preview = previews.preview('key', id);
        db.prepare('DELETE FROM api_keys WHERE id = ?').run(id);
        return preview;
      })();
    },
    reveal(id) {
      const key = get(id);
      const row = db.prepare('SELECT value_encrypted FROM api_keys WHERE id = ?').get(id) as { value_encrypted: string };
      return ring.cipher.decrypt(row.value_encrypted, keyRecordLabel(id, key.name));
    },
    authenticate(value) {
      if (typeof value !== 'string' || value.length === 0 || value.length > 512) return null;
      const hash = hashApiKey(ring.hashKey, value);
      // Kept by keyed hash (never by value) until a key or group changes.
      return authenticated.get(hash, () => check(hash, value));
    },
  };

  /** Keyed-hash lookup, then the stored value decrypted and compared in constant time. */
  function check(hash: string, value: string): AuthenticatedKey | null {
    const row = byHash.get(hash) as { id: number; value_encrypted: string; name: string; group_id: number; group_name: string } | undefined;
    if (!row) return null;
    let stored: string;
    try {
      stored = ring.cipher.decrypt(row.value_encrypted, keyRecordLabel(row.id, row.name));
    } catch {
      return null; // A tampered key record authenticates nobody.
    }
    if (!constantTimeEqual(stored, value)) return null;
    return { key: { id: row.id, name: row.name }, group: { id: row.group_id, name: row.group_name } };
  }
}
