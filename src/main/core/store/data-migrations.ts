import { apiKeyBinding, executionBinding, secretBinding, secretVersionBinding } from '../crypto/bindings';
import type { KeyRing } from '../crypto/key-ring';
import { functionIntegrityFields } from '../functions/functions';
import { groupIntegrityFields } from '../keys/groups';
import { keyIntegrityFields, keyRecordLabel } from '../keys/keys';
import { secretRecordLabel } from '../secrets/scope-records';
import { readMeta, writeMeta } from '../settings/settings';
import type { Db } from './database';

/**
 * Migrations of the data itself, which need the keys (SQL migrations run before the key
 * file is read). Each runs in one transaction together with the version it brings, so a
 * crash leaves the data as it was before it, and the next start runs it again.
 */
const DATA_MIGRATIONS: { version: number; run(db: Db, ring: KeyRing): void }[] = [
  {
    // Every ciphertext bound to its record (AES-GCM additional data), handler output in the
    // execution log encrypted like secrets, and the MACs of the rows that decide access.
    version: 1,
    run(db, ring) {
      const { cipher, integrity } = ring;
      const rebind = (stored: string, label: string, binding: string): string | null => {
        try {
          return cipher.encrypt(cipher.decrypt(stored, label, null), binding);
        } catch {
          return null; // already unreadable: left as it is, reported where it is read
        }
      };
      const secrets = db.prepare('SELECT id, name, scope, scope_id, value_encrypted FROM secrets').all() as {
        id: number;
        name: string;
        scope: 'global';
        scope_id: number;
        value_encrypted: string;
      }[];
      const setSecret = db.prepare('UPDATE secrets SET value_encrypted = ? WHERE id = ?');
      for (const r of secrets) {
        const bound = rebind(r.value_encrypted, secretRecordLabel(r.id, r.name, r.scope, r.scope_id), secretBinding(r));
        if (bound) setSecret.run(bound, r.id);
      }
      const keys = db.prepare('SELECT id, group_id, name, value_hash, value_encrypted FROM api_keys').all() as {
        id: number;
        group_id: number;
        name: string;
        value_hash: string;
        value_encrypted: string;
      }[];
      const setKey = db.prepare('UPDATE api_keys SET value_encrypted = coalesce(?, value_encrypted), integrity = ? WHERE id = ?');
      for (const k of keys) {
        setKey.run(rebind(k.value_encrypted, keyRecordLabel(k.id, k.name), apiKeyBinding(k)), integrity.seal('api_key', keyIntegrityFields(k)), k.id);
      }
      const setGroup = db.prepare('UPDATE api_groups SET integrity = ? WHERE id = ?');
      for (const g of db.prepare('SELECT id, name FROM api_groups').all() as { id: number; name: string }[]) {
        setGroup.run(integrity.seal('api_group', groupIntegrityFields(g)), g.id);
      }
      const setFunction = db.prepare('UPDATE functions SET integrity = ? WHERE id = ?');
      const groupsOf = db.prepare('SELECT group_id FROM function_groups WHERE function_id = ?').pluck();
      for (const f of db.prepare('SELECT id, enabled, cors FROM functions').all() as { id: number; enabled: number; cors: string | null }[]) {
        const fields = functionIntegrityFields({ id: f.id, enabled: f.enabled === 1, groupIds: groupsOf.all(f.id) as number[], cors: f.cors });
        setFunction.run(integrity.seal('function', fields), f.id);
      }
      const setExecution = db.prepare('UPDATE executions SET console = ?, error = ? WHERE id = ?');
      // (.all(): better-sqlite3 cannot write while a statement iterates; the log is bounded by its retention.)
      for (const e of db.prepare('SELECT id, request_id, console, error FROM executions').all() as {
        id: number;
        request_id: string;
        console: string;
        error: string | null;
      }[]) {
        setExecution.run(
          e.console === '[]' ? '' : cipher.encrypt(e.console, executionBinding(e.request_id, 'console')),
          e.error === null ? null : cipher.encrypt(e.error, executionBinding(e.request_id, 'error')),
          e.id,
        );
      }
    },
  },
  {
    // History begins: each existing secret's value becomes its first version.
    version: 2,
    run(db, ring) {
      const insert = db.prepare(
        `INSERT INTO secret_versions (scope, scope_id, name, n, change, value_encrypted, value_length, comment, changed_at, changed_by, detail)
         VALUES (?, ?, ?, 1, 'created', ?, ?, ?, ?, 'app (history begins)', NULL)`,
      );
      const now = new Date().toISOString();
      for (const r of db.prepare('SELECT id, name, scope, scope_id, value_encrypted, value_length, comment FROM secrets').all() as {
        id: number;
        name: string;
        scope: 'global';
        scope_id: number;
        value_encrypted: string;
        value_length: number;
        comment: string | null;
      }[]) {
        let value: string;
        try {
          value = ring.cipher.decrypt(r.value_encrypted, secretRecordLabel(r.id, r.name, r.scope, r.scope_id), secretBinding(r));
        } catch {
          continue; // unreadable: no first version to keep
        }
        insert.run(r.scope, r.scope_id, r.name, ring.cipher.encrypt(value, secretVersionBinding({ ...r, n: 1 })), r.value_length, r.comment, now);
      }
    },
  },
];

/** Runs the data migrations this database has not had yet. */
export function migrateData(db: Db, ring: KeyRing): void {
  const current = Number(readMeta(db, 'dataVersion') ?? 0);
  for (const m of DATA_MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.run(db, ring);
      writeMeta(db, 'dataVersion', String(m.version));
    })();
  }
}
