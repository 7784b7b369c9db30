import type { Scope, SecretSummary } from '../../../shared/types';
import { MAX_TEXT_LENGTH, secretNameProblem, secretValueProblem } from '../../../shared/rules';
import { secretBinding } from '../crypto/bindings';
import type { KeyRing } from '../crypto/key-ring';
import { notFound, validation } from '../errors';
import { nowIso, type Db } from '../store/database';
import { mapConstraint } from '../store/sql';
import type { WriteGate } from '../store/write-gate';
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

/** CRUD of secret records at every scope; values are encrypted before they reach SQLite. */
export function createSecretStore(db: Db, ring: KeyRing, gate: WriteGate) {
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
    create(input: { name: string; value: string; scope: Scope; scopeId?: number | null; comment?: string | null }): SecretSummary {
      const name = checkSecretName(input.name);
      const value = checkValue(input.value);
      checkComment(input.comment);
      const sid = storedScopeId(input.scope, input.scopeId, db);
      gate.assertOpen();
      const now = nowIso();
      const id = mapConstraint(
        () =>
          db
            .prepare(
              'INSERT INTO secrets (name, value_encrypted, value_length, comment, scope, scope_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            )
            .run(name, ring.cipher.encrypt(value, secretBinding({ scope: input.scope, scope_id: sid, name })), Buffer.byteLength(value, 'utf8'), input.comment ?? null, input.scope, sid, now, now)
            .lastInsertRowid,
        conflict(name, input.scope),
      );
      return summary(row(Number(id)));
    },
    update(input: { id: number; name?: string; value?: string; comment?: string | null }): SecretSummary {
      const existing = row(input.id);
      const name = input.name === undefined ? existing.name : checkSecretName(input.name);
      const value = input.value === undefined ? undefined : checkValue(input.value);
      checkComment(input.comment);
      gate.assertOpen();
      // A renamed secret is re-encrypted: its value is bound to its name.
      const plaintext = value ?? (name === existing.name ? undefined : decrypt(existing));
      mapConstraint(
        () =>
          db
            .prepare(
              'UPDATE secrets SET name = ?, value_encrypted = ?, value_length = ?, comment = ?, updated_at = ? WHERE id = ?',
            )
            .run(
              name,
              plaintext === undefined ? existing.value_encrypted : ring.cipher.encrypt(plaintext, secretBinding({ scope: existing.scope, scope_id: existing.scope_id, name })),
              value === undefined ? existing.value_length : Buffer.byteLength(value, 'utf8'),
              input.comment === undefined ? existing.comment : input.comment,
              nowIso(),
              existing.id,
            ),
        conflict(name, existing.scope),
      );
      return summary(row(existing.id));
    },
    delete(id: number): void {
      row(id);
      gate.assertOpen();
      db.prepare('DELETE FROM secrets WHERE id = ?').run(id);
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
