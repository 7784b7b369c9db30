import { parseSecretsFile, serializeDotenv, serializeSecretsJson } from '../../../shared/dotenv';
import type { ImportRow, Scope, WhatIfPreview } from '../../../shared/types';
import type { AuditLog } from '../audit/audit-log';
import { runThrough } from '../audit/actor';
import { validation } from '../errors';
import type { Db } from '../store/database';
import type { WriteGate } from '../store/write-gate';
import { storedScopeId } from './scope-records';
import type { SecretStore } from './secrets';

export type SecretsFileFormat = 'env' | 'json';

interface ImportDeps {
  db: Db;
  store: SecretStore;
  gate: WriteGate;
  audit: AuditLog;
  preview(change: { kind: 'secrets.import'; scope: Scope; scopeId?: number | null; entries: { name: string; value: string }[] }): WhatIfPreview;
}

/**
 * Secrets in and out of one scope as .env or JSON. An import is previewed first (each
 * line: new, changed, unchanged or invalid with the rule it breaks, and what the changes
 * would do to callers), then the rows the operator picked are applied in one transaction.
 */
export function createImportExport({ db, store, gate, audit, preview }: ImportDeps) {
  const liveAt = (scope: Scope, scopeId: number, name: string) =>
    db.prepare('SELECT * FROM secrets WHERE scope = ? AND scope_id = ? AND name = ?').get(scope, scopeId, name) as Parameters<SecretStore['decrypt']>[0] | undefined;

  const currentValue = (row: Parameters<SecretStore['decrypt']>[0]) => {
    try {
      return store.decrypt(row);
    } catch {
      return null; // unreadable now: an import replaces it
    }
  };

  return {
    /** What importing `text` into the scope would do; nothing is written. */
    preview(scope: Scope, scopeIdIn: number | null | undefined, format: SecretsFileFormat, text: string): { rows: ImportRow[]; whatIf: WhatIfPreview } {
      const scopeId = storedScopeId(scope, scopeIdIn, db);
      const parsed = parseSecretsFile(format, text);
      const rows: ImportRow[] = parsed.problems.map((p) => ({ line: p.line, name: p.name ?? null, status: 'invalid', problem: p.problem }));
      const changing: { name: string; value: string }[] = [];
      for (const e of parsed.entries) {
        const live = liveAt(scope, scopeId, e.name);
        const status = !live ? 'new' : currentValue(live) === e.value ? 'unchanged' : 'changed';
        if (status !== 'unchanged') changing.push({ name: e.name, value: e.value });
        rows.push({ line: e.line, name: e.name, status, valueLength: Buffer.byteLength(e.value, 'utf8'), ...(live ? { secretId: live.id } : {}) });
      }
      rows.sort((a, b) => a.line - b.line);
      return { rows, whatIf: preview({ kind: 'secrets.import', scope, scopeId: scopeIn(scope, scopeId), entries: changing }) };
    },

    /** Writes the picked entries in one transaction; each keeps a version "(import)". */
    apply(scope: Scope, scopeIdIn: number | null | undefined, entries: { name: string; value: string }[]): { created: number; updated: number; unchanged: number } {
      const scopeId = storedScopeId(scope, scopeIdIn, db);
      const names = new Set<string>();
      for (const e of entries) {
        if (names.has(e.name)) throw validation('entries', `${e.name} is in the import twice: pick one.`);
        names.add(e.name);
      }
      gate.assertOpen();
      const counts = { created: 0, updated: 0, unchanged: 0 };
      runThrough('import', () =>
        db.transaction(() => {
          for (const e of entries) {
            const live = liveAt(scope, scopeId, e.name);
            if (!live) {
              store.create({ name: e.name, value: e.value, scope, scopeId: scopeIn(scope, scopeId) });
              counts.created++;
            } else if (currentValue(live) === e.value) {
              counts.unchanged++;
            } else {
              store.update({ id: live.id, value: e.value });
              counts.updated++;
            }
          }
          audit.append({ action: 'secrets.imported', scope, scopeId, detail: { ...counts } });
        })(),
      );
      return counts;
    },

    /** One scope as a file of plaintext values (the UI confirms that first); an audited disclosure. */
    exportScope(scope: Scope, scopeIdIn: number | null | undefined, format: SecretsFileFormat): { fileName: string; text: string; count: number; unreadable: string[] } {
      const scopeId = storedScopeId(scope, scopeIdIn, db);
      const rows = db.prepare('SELECT * FROM secrets WHERE scope = ? AND scope_id = ? ORDER BY name').all(scope, scopeId) as Parameters<SecretStore['decrypt']>[0][];
      const entries: { name: string; value: string }[] = [];
      const unreadable: string[] = [];
      for (const r of rows) {
        const value = currentValue(r);
        if (value === null) unreadable.push(r.name);
        else entries.push({ name: r.name, value });
      }
      audit.append({ action: 'secrets.exported', scope, scopeId, detail: { format, count: entries.length, unreadable: unreadable.length } });
      const base = scope === 'global' ? 'global' : `${scope}-${scopeId}`;
      return {
        fileName: `secrets-${base}.${format === 'json' ? 'json' : 'env'}`,
        text: format === 'json' ? serializeSecretsJson(entries) : serializeDotenv(entries),
        count: entries.length,
        unreadable,
      };
    },
  };
}

const scopeIn = (scope: Scope, stored: number) => (scope === 'global' ? null : stored);
