import type { Scope, SecretSummary } from '../../../shared/types';
import { MAX_TEXT_LENGTH, secretNameProblem, secretValueProblem } from '../../../shared/rules';
import type { AuditLog } from '../audit/audit-log';
import { secretBinding } from '../crypto/bindings';
import type { KeyRing } from '../crypto/key-ring';
import { notFound, validation } from '../errors';
import { nowIso, type Db } from '../store/database';
import { mapConstraint } from '../store/sql';
import type { WriteGate } from '../store/write-gate';
import type { SecretHistory } from './history';
import { scopeNoun, secretRecordLabel, storedScopeId } from './scope-records';

export interface SecretRow {
  id: number;
  name: string;
  value_encrypted: string;
  value_length: number;
  comment: string | null;
  scope: Scope;
  scope_id: number;
  created_at: string;
  updated_at: string;
}

export function checkSecretName(name: unknown): string {
  if (typeof name !== 'string') throw validation('name', 'Secret name must be a string.');
  const problem = secretNameProblem(name);
  if (problem) throw validation('name', problem);
  return name;
}

function checkValue(value: unknown): string {
  if (typeof value !== 'string') throw validation('value', 'Secret value must be a string.');
  const problem = secretValueProblem(value);
  if (problem) throw validation('value', problem);
  return value;
}

function checkComment(comment: string | null | undefined) {
  if (comment != null && (typeof comment !== 'string' || comment.length > MAX_TEXT_LENGTH)) {
    throw validation('comment', `Comment must be text of at most ${MAX_TEXT_LENGTH} characters.`);
  }
}

/** How a write came about, for the history: an edit, or a restore of an earlier version. */
export interface WriteCause {
  change: 'restored';
  restoredFrom: number;
}

/**
 * CRUD of secret records at every scope; values are encrypted before they reach SQLite.
 * Every write keeps a version in the history and an entry in the audit log, in the same
 * transaction.
 */
export function createSecretStore(db: Db, ring: KeyRing, gate: WriteGate, history: SecretHistory, audit: AuditLog) {
  const byId = db.prepare('SELECT * FROM secrets WHERE id = ?');
  // Arrays, not objects, and only the key letter of each ciphertext: better-sqlite3 builds
  // row objects at about twice the cost, which a list of 10,000 secrets feels (benchmarks.md).
  const listStmt = db
    .prepare(
      `SELECT id, name, comment, value_length, created_at, updated_at, substr(value_encrypted, 1, 1)
       FROM secrets WHERE scope = ? AND scope_id = ? ORDER BY name LIMIT ?`,
    )
    .raw(true);

  function row(id: number): SecretRow {
    const r = byId.get(id) as SecretRow | undefined;
    if (!r) throw notFound('Secret', id);
    return r;
  }

  function summary(r: SecretRow): SecretSummary {
    const s: SecretSummary = {
      id: r.id,
      name: r.name,
      scope: r.scope,
      scopeId: r.scope === 'global' ? null : r.scope_id,
      comment: r.comment,
      valueLength: r.value_length,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
    // A cheap check that needs no decryption: an unknown key letter can never be read.
    if (!ring.cipher.hasVersion(r.value_encrypted.charAt(0))) {
      s.decryptionError = `Encrypted with key version "${r.value_encrypted.charAt(0)}", which is not in the key file.`;
    }
    return s;
  }

  /** A stored value, read with the binding of the record it is stored in. */
  function decrypt(r: Pick<SecretRow, 'id' | 'name' | 'scope' | 'scope_id' | 'value_encrypted'>): string {
    return ring.cipher.decrypt(r.value_encrypted, secretRecordLabel(r.id, r.name, r.scope, r.scope_id), secretBinding(r));
  }

  const conflict = (name: string, scope: Scope) => [
    {
      match: /secrets\.name, secrets\.scope, secrets\.scope_id/,
      field: 'name',
      message:
        scope === 'global'
          ? `A global secret named "${name}" already exists.`
          : `This ${scopeNoun(scope)} already has a secret named "${name}".`,
    },
  ];

  return {
    row,
    summary,
    decrypt,
    /** The secrets of one scope by name; with `limit`, only the first of them. */
    list(scope: Scope, scopeId?: number | null, limit?: number): SecretSummary[] {
      const sid = storedScopeId(scope, scopeId, db);
      type ListRow = [number, string, string | null, number, string, string, string];
      return (listStmt.all(scope, sid, limit ?? -1) as ListRow[]).map(([id, name, comment, valueLength, createdAt, updatedAt, keyLetter]) =>
        summary({ id, name, scope, scope_id: sid, comment, value_length: valueLength, created_at: createdAt, updated_at: updatedAt, value_encrypted: keyLetter }),
      );
    },
    create(input: { name: string; value: string; scope: Scope; scopeId?: number | null; comment?: string | null }, cause?: WriteCause): SecretSummary {
      const name = checkSecretName(input.name);
      const value = checkValue(input.value);
      checkComment(input.comment);
      const sid = storedScopeId(input.scope, input.scopeId, db);
      gate.assertOpen();
      const now = nowIso();
      const place = { scope: input.scope, scope_id: sid, name };
      const id = db.transaction(() => {
        const newId = Number(
          mapConstraint(
            () =>
              db
                .prepare(
                  'INSERT INTO secrets (name, value_encrypted, value_length, comment, scope, scope_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                )
                .run(name, ring.cipher.encrypt(value, secretBinding(place)), Buffer.byteLength(value, 'utf8'), input.comment ?? null, input.scope, sid, now, now)
                .lastInsertRowid,
            conflict(name, input.scope),
          ),
        );
        history.record(place, cause?.change ?? 'created', value, input.comment ?? null, cause ? { restoredFrom: cause.restoredFrom } : undefined);
        audit.append({ action: cause ? 'secret.restored' : 'secret.created', recordKind: 'secret', recordId: newId, recordName: name, scope: input.scope, scopeId: sid, detail: cause ? { restoredFrom: cause.restoredFrom } : {} });
        return newId;
      })();
      return summary(row(id));
    },
    update(input: { id: number; name?: string; value?: string; comment?: string | null }, cause?: WriteCause): SecretSummary {
      const existing = row(input.id);
      const name = input.name === undefined ? existing.name : checkSecretName(input.name);
      const value = input.value === undefined ? undefined : checkValue(input.value);
      checkComment(input.comment);
      gate.assertOpen();
      const comment = input.comment === undefined ? existing.comment : input.comment;
      // A broken value can be replaced by a new one; keeping it (a rename) needs it readable.
      let before: string | null = null;
      try {
        before = decrypt(existing);
      } catch (e) {
        if (value === undefined) throw e;
      }
      const after = value ?? before!;
      const fields = [
        ...(value !== undefined && value !== before ? ['value'] : []),
        ...(comment !== existing.comment ? ['comment'] : []),
        ...(name !== existing.name ? ['name'] : []),
      ];
      db.transaction(() => {
        mapConstraint(
          () =>
            db
              .prepare('UPDATE secrets SET name = ?, value_encrypted = ?, value_length = ?, comment = ?, updated_at = ? WHERE id = ?')
              .run(
                name,
                // A renamed secret is re-encrypted: its value is bound to its name.
                value === undefined && name === existing.name ? existing.value_encrypted : ring.cipher.encrypt(after, secretBinding({ scope: existing.scope, scope_id: existing.scope_id, name })),
                Buffer.byteLength(after, 'utf8'),
                comment,
                nowIso(),
                existing.id,
              ),
          conflict(name, existing.scope),
        );
        const place = { scope: existing.scope, scope_id: existing.scope_id, name };
        if (name !== existing.name) {
          // History follows places: the old name's ends here, the new name's begins.
          if (before !== null) history.record({ ...place, name: existing.name }, 'renamed', before, existing.comment, { renamedTo: name });
          history.record(place, 'renamed', after, comment, { renamedFrom: existing.name, fields });
        } else if (fields.length || cause) {
          history.record(place, cause?.change ?? 'updated', after, comment, cause ? { restoredFrom: cause.restoredFrom, fields } : { fields });
        }
        audit.append({
          action: cause ? 'secret.restored' : 'secret.updated',
          recordKind: 'secret',
          recordId: existing.id,
          recordName: name,
          scope: existing.scope,
          scopeId: existing.scope_id,
          // "value changed", never the value.
          detail: { fields, ...(name !== existing.name ? { renamedFrom: existing.name } : {}), ...(cause ? { restoredFrom: cause.restoredFrom } : {}) },
        });
      })();
      return summary(row(existing.id));
    },
    delete(id: number): void {
      const existing = row(id);
      gate.assertOpen();
      let last: string | null = null;
      try {
        last = decrypt(existing);
      } catch {
        // Unreadable already: it goes without a restorable version (said in the audit entry).
      }
      db.transaction(() => {
        if (last !== null) history.record(existing, 'deleted', last, existing.comment);
        db.prepare('DELETE FROM secrets WHERE id = ?').run(id);
        audit.append({ action: 'secret.deleted', recordKind: 'secret', recordId: id, recordName: existing.name, scope: existing.scope, scopeId: existing.scope_id, detail: last === null ? { restorable: false } : {} });
      })();
    },
    /** The value, for the operator who asked to see or copy it (an audited disclosure). */
    reveal(id: number, purpose: 'reveal' | 'copy' = 'reveal'): string {
      const r = row(id);
      const value = decrypt(r);
      audit.append({ action: purpose === 'copy' ? 'secret.copied' : 'secret.revealed', recordKind: 'secret', recordId: id, recordName: r.name, scope: r.scope, scopeId: r.scope_id });
      return value;
    },
    names(query?: string): string[] {
      const rows = query
        ? db.prepare('SELECT DISTINCT name FROM secrets WHERE instr(lower(name), lower(?)) > 0 ORDER BY name').all(query)
        : db.prepare('SELECT DISTINCT name FROM secrets ORDER BY name').all();
      return (rows as { name: string }[]).map((r) => r.name);
    },
  };
}

export type SecretStore = ReturnType<typeof createSecretStore>;
