import type { ExecutionLogEntry } from '../../../shared/types';
import type { ExecutionLog, NewExecution, SettingsService } from '../core-api';
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

const toEntry = (r: Row): ExecutionLogEntry => ({
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
  console: JSON.parse(r.console) as ExecutionLogEntry['console'],
  error: r.error,
  trace: JSON.parse(r.trace) as ExecutionLogEntry['trace'],
});

/**
 * Per-function execution log, trimmed to the retention setting. Entries that arrive while a
 * key rotation holds its transaction open are queued and written when it ends, so they can
 * never be rolled back with it.
 */
export function createExecutionLog(db: Db, gate: WriteGate, settings: SettingsService): ExecutionLog {
  const insert = db.prepare(`INSERT INTO executions
    (function_id, request_id, at, method, path, status, duration_ms, key_id, key_name, group_name, console, error, trace)
    VALUES (@functionId, @requestId, @at, @method, @path, @status, @durationMs, @keyId, @keyName, @groupName, @console, @error, @trace)`);
  const trim = db.prepare(`DELETE FROM executions WHERE function_id = ? AND id <= (
      SELECT id FROM executions WHERE function_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`);
  const functionExists = db.prepare('SELECT 1 FROM functions WHERE id = ?');
  let pending: NewExecution[] = [];

  function write(e: NewExecution): number {
    if (!functionExists.get(e.functionId)) return 0; // deleted while the request ran
    const id = Number(
      insert.run({ ...e, console: JSON.stringify(e.console), trace: JSON.stringify(e.trace) }).lastInsertRowid,
    );
    trim.run(e.functionId, e.functionId, settings.get().logRetention);
    return id;
  }

  function flush() {
    const batch = pending;
    pending = [];
    db.transaction(() => batch.forEach(write))();
  }

  return {
    record(e) {
      if (!gate.isOpen) {
        if (pending.length === 0) void gate.whenOpen().then(flush);
        pending.push(e);
        return { ...e, id: 0 };
      }
      return { ...e, id: write(e) };
    },
    list(functionId, limit = 100) {
      return (
        db.prepare('SELECT * FROM executions WHERE function_id = ? ORDER BY id DESC LIMIT ?').all(functionId, limit) as Row[]
      ).map(toEntry);
    },
  };
}
