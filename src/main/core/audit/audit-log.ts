import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditAction, AuditChainStatus, AuditEntry, AuditRecordKind, Scope } from '../../../shared/types';
import type { KeyRing } from '../crypto/key-ring';
import type { SettingsService } from '../core-api';
import { readMeta, writeMeta } from '../settings/settings';
import type { Db } from '../store/database';
import { nowIso } from '../store/database';
import type { WriteGate } from '../store/write-gate';
import { describeActor } from './actor';

export interface NewAuditEntry {
  action: AuditAction;
  recordKind?: AuditRecordKind;
  recordId?: number | null;
  recordName?: string | null;
  scope?: Scope | null;
  scopeId?: number | null;
  detail?: Record<string, unknown>;
}

export interface AuditFilter {
  recordKind?: AuditRecordKind;
  recordId?: number;
  scope?: Scope;
  scopeId?: number;
  /** An action, or a prefix of one ("secret." for every secret action). */
  action?: string;
  since?: string;
  until?: string;
  /** Case-insensitive text in the record's name or the actor. */
  text?: string;
}

interface Row {
  id: number;
  at: string;
  actor: string;
  action: string;
  record_kind: string | null;
  record_id: number | null;
  record_name: string | null;
  scope: string | null;
  scope_id: number | null;
  detail: string;
  mac: string;
}

const toEntry = (r: Row): AuditEntry => ({
  id: r.id,
  at: r.at,
  actor: r.actor,
  action: r.action as AuditAction,
  recordKind: r.record_kind as AuditRecordKind | null,
  recordId: r.record_id,
  recordName: r.record_name,
  scope: r.scope as Scope | null,
  scopeId: r.scope_id,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

const TRIM_EVERY = 200;

/**
 * The append-only audit log. Each entry's MAC covers the entry and the MAC before it
 * (HMAC-SHA256 under a key derived from the key file's hash key), so an entry changed,
 * removed or inserted in the database breaks the chain from there on, which `verify` says
 * plainly. Retention drops the oldest entries and keeps a sealed anchor of where the chain
 * now starts. A removed tail cannot be told from a shorter log (docs/security.md).
 */
export function createAuditLog(db: Db, ring: KeyRing, gate: WriteGate, settings: SettingsService) {
  const key = createHmac('sha256', ring.hashKey).update('crude-functions-desktop/audit-chain/v1').digest();
  const macOf = (prev: string, r: Omit<Row, 'id' | 'mac'>) =>
    createHmac('sha256', key)
      .update(prev)
      .update('\n')
      .update(JSON.stringify([r.at, r.actor, r.action, r.record_kind, r.record_id, r.record_name, r.scope, r.scope_id, r.detail]))
      .digest('base64url');
  const sealAnchor = (mac: string, throughId: number) => createHmac('sha256', key).update(`anchor\n${mac}\n${throughId}`).digest('base64url');

  const insert = db.prepare(
    'INSERT INTO audit_log (at, actor, action, record_kind, record_id, record_name, scope, scope_id, detail, mac) VALUES (@at, @actor, @action, @record_kind, @record_id, @record_name, @scope, @scope_id, @detail, @mac)',
  );
  const lastMac = db.prepare('SELECT mac FROM audit_log ORDER BY id DESC LIMIT 1').pluck();
  let appended = 0;
  // Entries made while a rotation holds its transaction (a reveal, say) wait for it to end,
  // so a rolled-back rotation cannot take them along.
  let waiting: Omit<Row, 'id' | 'mac'>[] = [];
  const write = (row: Omit<Row, 'id' | 'mac'>) => {
    const prev = (lastMac.get() as string | undefined) ?? anchor()?.mac ?? '';
    insert.run({ ...row, mac: macOf(prev, row) });
    if (++appended % TRIM_EVERY === 0 && !db.inTransaction) trim();
  };
  const flushWaiting = () => {
    const rows = waiting;
    waiting = [];
    if (rows.length && db.open) db.transaction(() => rows.forEach(write))();
  };

  function anchor(): { mac: string; throughId: number; seal: string } | null {
    const raw = readMeta(db, 'auditAnchor');
    return raw ? (JSON.parse(raw) as { mac: string; throughId: number; seal: string }) : null;
  }

  function trim(): void {
    const keep = settings.get().auditRetention;
    const cut = db.prepare('SELECT id, mac FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET ?').get(keep) as { id: number; mac: string } | undefined;
    if (!cut) return;
    db.transaction(() => {
      db.prepare('DELETE FROM audit_log WHERE id <= ?').run(cut.id);
      writeMeta(db, 'auditAnchor', JSON.stringify({ mac: cut.mac, throughId: cut.id, seal: sealAnchor(cut.mac, cut.id) }));
    })();
  }

  return {
    /** Appends one entry, chained to the last; the caller's transaction, if any, covers it. */
    append(e: NewAuditEntry): void {
      const row = {
        at: nowIso(),
        actor: describeActor(),
        action: e.action,
        record_kind: e.recordKind ?? null,
        record_id: e.recordId ?? null,
        record_name: e.recordName ?? null,
        scope: e.scope ?? null,
        scope_id: e.scope === 'global' ? null : (e.scopeId ?? null),
        detail: JSON.stringify(e.detail ?? {}),
      };
      if (!gate.isOpen) {
        if (waiting.length === 0) void gate.whenOpen().then(flushWaiting);
        waiting.push(row);
        return;
      }
      write(row);
    },

    list(filter: AuditFilter = {}, limit = 200, beforeId?: number): { entries: AuditEntry[]; total: number } {
      if (gate.isOpen) flushWaiting();
      const where: string[] = [];
      const args: Record<string, unknown> = {};
      const when = (cond: string, values: Record<string, unknown>) => {
        where.push(cond);
        Object.assign(args, values);
      };
      if (filter.recordKind) when('record_kind = @kind', { kind: filter.recordKind });
      if (filter.recordId !== undefined) when('record_id = @rid', { rid: filter.recordId });
      if (filter.scope) when('scope = @scope', { scope: filter.scope });
      if (filter.scopeId !== undefined) when('scope_id = @sid', { sid: filter.scopeId });
      if (filter.action) when("(action = @action OR action LIKE @actionPrefix ESCAPE '\\')", { action: filter.action, actionPrefix: `${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
      if (filter.since) when('at >= @since', { since: filter.since });
      if (filter.until) when('at <= @until', { until: filter.until });
      if (filter.text) when("(instr(lower(coalesce(record_name, '')), lower(@text)) > 0 OR instr(lower(actor), lower(@text)) > 0)", { text: filter.text });
      const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = db.prepare(`SELECT COUNT(*) FROM audit_log ${cond}`).pluck().get(args) as number;
      const page = beforeId === undefined ? cond : `${cond ? `${cond} AND` : 'WHERE'} id < @before`;
      const rows = db.prepare(`SELECT * FROM audit_log ${page} ORDER BY id DESC LIMIT @limit`).all({ ...args, before: beforeId, limit }) as Row[];
      return { entries: rows.map(toEntry), total };
    },

    /** Walks the chain from its anchor: the first entry whose MAC does not follow, if any. */
    verify(): AuditChainStatus {
      const a = anchor();
      let prev = '';
      if (a) {
        const expected = Buffer.from(sealAnchor(a.mac, a.throughId));
        const given = Buffer.from(a.seal ?? '');
        if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
          const first = db.prepare('SELECT id, at FROM audit_log ORDER BY id LIMIT 1').get() as { id: number; at: string } | undefined;
          return { ok: false, checked: 0, ...(first ? { brokenAt: first } : {}) };
        }
        prev = a.mac;
      }
      let checked = 0;
      for (const r of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<Row>) {
        const expected = macOf(prev, r);
        if (expected !== r.mac || (a && r.id <= a.throughId)) return { ok: false, checked, brokenAt: { id: r.id, at: r.at } };
        prev = r.mac;
        checked++;
      }
      return { ok: true, checked };
    },

    /** The entries matching `filter`, oldest first, one JSON object a line. */
    exportLines(filter: AuditFilter = {}): string {
      const { entries } = this.list(filter, 10_000_000);
      return entries
        .reverse()
        .map((e) => JSON.stringify(e))
        .join('\n');
    },

    trim,
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
