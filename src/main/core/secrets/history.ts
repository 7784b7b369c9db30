import type { DeletedSecret, Scope, SecretVersion } from '../../../shared/types';
import { describeActor } from '../audit/actor';
import { secretVersionBinding } from '../crypto/bindings';
import type { KeyRing } from '../crypto/key-ring';
import type { SettingsService } from '../core-api';
import { notFound } from '../errors';
import { nowIso, type Db } from '../store/database';

/** Where a secret lives: its history follows the place, so a deleted secret can come back. */
export interface SecretPlace {
  scope: Scope;
  scope_id: number;
  name: string;
}

export interface VersionRow extends SecretPlace {
  id: number;
  n: number;
  change: SecretVersion['change'];
  value_encrypted: string;
  value_length: number;
  comment: string | null;
  changed_at: string;
  changed_by: string;
  detail: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Every secret's earlier values: each change appends the state after it (a deletion keeps
 * the last value, so it can be restored), encrypted like the secret (bound to the place and
 * version, re-encrypted by rotation). Kept: the newest `historyKeepVersions` of each place
 * and every version younger than `historyKeepDays`. History is never rewritten; a restore
 * is a new version.
 */
export function createSecretHistory(db: Db, ring: KeyRing, settings: SettingsService) {
  const lastN = db.prepare('SELECT max(n) FROM secret_versions WHERE scope = ? AND scope_id = ? AND name = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO secret_versions (scope, scope_id, name, n, change, value_encrypted, value_length, comment, changed_at, changed_by, detail)
     VALUES (@scope, @scope_id, @name, @n, @change, @value_encrypted, @value_length, @comment, @changed_at, @changed_by, @detail)`,
  );
  const byId = db.prepare('SELECT * FROM secret_versions WHERE id = ?');
  const current = db.prepare('SELECT 1 FROM secrets WHERE scope = ? AND scope_id = ? AND name = ?');

  function toVersion(r: VersionRow, isCurrent: boolean): SecretVersion {
    return {
      id: r.id,
      n: r.n,
      change: r.change,
      scope: r.scope,
      scopeId: r.scope === 'global' ? null : r.scope_id,
      name: r.name,
      valueLength: r.value_length,
      comment: r.comment,
      changedAt: r.changed_at,
      changedBy: r.changed_by,
      detail: r.detail ? (JSON.parse(r.detail) as SecretVersion['detail']) : {},
      current: isCurrent,
    };
  }

  /** Drops what the retention lets go, for one place. */
  function trim(place: SecretPlace): void {
    const { historyKeepVersions, historyKeepDays } = settings.get();
    const newest = (lastN.get(place.scope, place.scope_id, place.name) as number | null) ?? 0;
    db.prepare('DELETE FROM secret_versions WHERE scope = ? AND scope_id = ? AND name = ? AND n <= ? AND changed_at < ?').run(
      place.scope,
      place.scope_id,
      place.name,
      newest - historyKeepVersions,
      new Date(Date.now() - historyKeepDays * DAY_MS).toISOString(),
    );
  }

  return {
    /** Appends the state of `place` after a change (inside the writer's transaction). */
    record(place: SecretPlace, change: SecretVersion['change'], value: string, comment: string | null, detail?: SecretVersion['detail']): void {
      const n = ((lastN.get(place.scope, place.scope_id, place.name) as number | null) ?? 0) + 1;
      insert.run({
        ...place,
        n,
        change,
        value_encrypted: ring.cipher.encrypt(value, secretVersionBinding({ ...place, n })),
        value_length: Buffer.byteLength(value, 'utf8'),
        comment,
        changed_at: nowIso(),
        changed_by: describeActor(),
        detail: detail && Object.keys(detail).length ? JSON.stringify(detail) : null,
      });
      trim(place);
    },

    /** A place's versions, newest first. */
    list(place: SecretPlace): SecretVersion[] {
      const rows = db.prepare('SELECT * FROM secret_versions WHERE scope = ? AND scope_id = ? AND name = ? ORDER BY n DESC').all(place.scope, place.scope_id, place.name) as VersionRow[];
      const live = !!current.get(place.scope, place.scope_id, place.name);
      return rows.map((r, i) => toVersion(r, live && i === 0));
    },

    row(versionId: number): VersionRow {
      const r = byId.get(versionId) as VersionRow | undefined;
      if (!r) throw notFound('Secret version', versionId);
      return r;
    },

    /** A version's value. */
    decrypt(r: VersionRow): string {
      return ring.cipher.decrypt(r.value_encrypted, `version ${r.n} of secret "${r.name}" (${r.scope}${r.scope === 'global' ? '' : ` #${r.scope_id}`})`, secretVersionBinding(r));
    },

    /** Secrets of one scope that are gone and can still be restored. */
    deleted(scope: Scope, scopeId: number): DeletedSecret[] {
      const rows = db
        .prepare(
          `SELECT v.*, (SELECT COUNT(*) FROM secret_versions c WHERE c.scope = v.scope AND c.scope_id = v.scope_id AND c.name = v.name) AS versions
           FROM secret_versions v
           WHERE v.scope = ? AND v.scope_id = ? AND v.change IN ('deleted', 'renamed')
             AND v.n = (SELECT max(n) FROM secret_versions m WHERE m.scope = v.scope AND m.scope_id = v.scope_id AND m.name = v.name)
             AND NOT EXISTS (SELECT 1 FROM secrets s WHERE s.scope = v.scope AND s.scope_id = v.scope_id AND s.name = v.name)
           ORDER BY v.changed_at DESC`,
        )
        .all(scope, scopeId) as (VersionRow & { versions: number })[];
      return rows.map((r) => ({
        versionId: r.id,
        scope: r.scope,
        scopeId: r.scope === 'global' ? null : r.scope_id,
        name: r.name,
        deletedAt: r.changed_at,
        deletedBy: r.changed_by,
        versions: r.versions,
      }));
    },

    /** Applies the retention to every place (at start). */
    trimAll(): void {
      for (const p of db.prepare('SELECT DISTINCT scope, scope_id, name FROM secret_versions').all() as SecretPlace[]) trim(p);
    },
  };
}

export type SecretHistory = ReturnType<typeof createSecretHistory>;
