import type { ExecutionLogEntry } from '../../../shared/types';
import type { ExecutionLog, NewExecution, SettingsService } from '../core-api';
import { executionBinding } from '../crypto/bindings';
import type { KeyRing } from '../crypto/key-ring';
import type { Db } from '../store/database';
import type { WriteGate } from '../store/write-gate';

interface Row {
  id: number;
  function_id: number;
  request_id: string;
  at: string;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  key_id: number | null;
  key_name: string | null;
  group_name: string | null;
  console: string;
  error: string | null;
  trace: string;
}


/**
 * Per-function execution log, trimmed to the retention setting. What handler code
 * produced — console output, error messages and stacks — is encrypted like secrets (bound
 * to the entry's request id, re-encrypted by rotation): redaction keeps values out of what
 * is shown, encryption keeps whatever it misses off the disk. Entries are written in
 * batches (one transaction, one fsync) shortly after they arrive: a commit per request
 * would cap the function host at a few hundred requests a second. Entries that arrive
 * while a key rotation holds its transaction open wait until it ends, so they can never
 * be rolled back with it. Reads flush first, so a list is always complete.
 */
export function createExecutionLog(
  db: Db,
  ring: KeyRing,
  gate: WriteGate,
  settings: SettingsService,
  flushAfterMs = 50,
): ExecutionLog & { flush(): void } {
  const seal = (text: string, requestId: string, column: 'console' | 'error') => ring.cipher.encrypt(text, executionBinding(requestId, column));
  const open = (stored: string, r: Row, column: 'console' | 'error'): string =>
    ring.cipher.decrypt(stored, `execution log entry ${r.request_id} (${column})`, executionBinding(r.request_id, column));

  function toEntry(r: Row): ExecutionLogEntry {
    let consoleEntries: ExecutionLogEntry['console'] = [];
    let error = r.error;
    try {
      if (r.console !== '') consoleEntries = JSON.parse(open(r.console, r, 'console')) as ExecutionLogEntry['console'];
      if (r.error !== null) error = open(r.error, r, 'error');
    } catch (e) {
      // Unreadable (edited outside the app, or a key that is gone): say so, keep the rest.
      consoleEntries = [];
      error = `This entry's console output and error cannot be read: ${(e as Error).message}`;
    }
    return {
      id: r.id,
      functionId: r.function_id,
      requestId: r.request_id,
      at: r.at,
      method: r.method,
      path: r.path,
      status: r.status,
      durationMs: r.duration_ms,
      keyId: r.key_id,
      keyName: r.key_name,
      groupName: r.group_name,
      console: consoleEntries,
      error,
      trace: JSON.parse(r.trace) as ExecutionLogEntry['trace'],
    };
  }

  const insert = db.prepare(`INSERT INTO executions
    (function_id, request_id, at, method, path, status, duration_ms, key_id, key_name, group_name, console, error, trace)
    VALUES (@functionId, @requestId, @at, @method, @path, @status, @durationMs, @keyId, @keyName, @groupName, @console, @error, @trace)`);
  const trim = db.prepare(`DELETE FROM executions WHERE function_id = ? AND id <= (
      SELECT id FROM executions WHERE function_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`);
  const functionExists = db.prepare('SELECT 1 FROM functions WHERE id = ?');
  let pending: NewExecution[] = [];
  let timer: NodeJS.Timeout | null = null;

  /** Inserts a batch, then trims each function it touched once (not once per entry: the trim walks `retention` rows). */
  function write(batch: NewExecution[], retention: number): void {
    const touched = new Set<number>();
    const exists = new Map<number, boolean>();
    for (const e of batch) {
      let ok = exists.get(e.functionId);
      if (ok === undefined) exists.set(e.functionId, (ok = !!functionExists.get(e.functionId)));
      if (!ok) continue; // deleted while the request ran
      insert.run({
        ...e,
        console: e.console.length === 0 ? '' : seal(JSON.stringify(e.console), e.requestId, 'console'),
        error: e.error === null ? null : seal(e.error, e.requestId, 'error'),
        trace: JSON.stringify(e.trace),
      });
      touched.add(e.functionId);
    }
    for (const id of touched) trim.run(id, id, retention);
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0 || !db.open) return;
    if (!gate.isOpen) {
      void gate.whenOpen().then(flush);
      return;
    }
    const batch = pending;
    pending = [];
    const retention = settings.get().logRetention;
    db.transaction(() => write(batch, retention))();
  }

  return {
    flush,
    record(e) {
      pending.push(e);
      if (pending.length >= 500) flush();
      else if (!timer) {
        timer = setTimeout(flush, flushAfterMs);
        timer.unref();
      }
      return { ...e, id: 0 };
    },
    list(functionId, limit = 100) {
      flush();
      return (
        db.prepare('SELECT * FROM executions WHERE function_id = ? ORDER BY id DESC LIMIT ?').all(functionId, limit) as Row[]
      ).map(toEntry);
    },
  };
}
