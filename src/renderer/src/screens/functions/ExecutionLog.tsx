import { useState, type ReactNode } from 'react';
import type { ExecutionLogEntry, FunctionDef } from '../../../../shared/types';
import { crude } from '../../api/client';
import { formatWhen } from '../../components/format';
import { HandlerError } from '../../components/HandlerError';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { useEvent } from '../../hooks/useEvent';
import { useQuery } from '../../hooks/useQuery';
import { StatusPill } from './FunctionsList';
import { ConsoleList, TraceList } from './TraceList';

/** Recent calls, newest first; refreshes when the host reports a new execution. */
export function ExecutionLog({ fn }: { fn: FunctionDef }): ReactNode {
  const functionId = fn.id;
  const q = useQuery(() => crude().functions.logs({ functionId, limit: 200 }), [functionId]);
  const [openId, setOpenId] = useState<number | null>(null);
  useEvent('executions.new', (e) => {
    if (e.functionId === functionId) q.reload();
  });
  if (q.error && !q.data) return <ErrorBanner error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading what="execution log" />;
  if (q.data.length === 0)
    return <EmptyState title="No calls yet">Calls through the function host or Try it appear here with their console output and secret trace.</EmptyState>;
  return (
    <div className="log" aria-label="Execution log">
      <div className="log-row log-head" aria-hidden="true">
        <span>When</span>
        <span>Request</span>
        <span>Status</span>
        <span>Duration</span>
        <span>Key</span>
        <span>Secrets read</span>
      </div>
      {q.data.map((e) => (
        <LogEntry key={e.id} entry={e} functionName={fn.name} open={openId === e.id} toggle={() => setOpenId(openId === e.id ? null : e.id)} />
      ))}
    </div>
  );
}

function LogEntry({ entry: e, functionName, open, toggle }: { entry: ExecutionLogEntry; functionName: string; open: boolean; toggle: () => void }): ReactNode {
  return (
    <div className={`log-entry${open ? ' open' : ''}`}>
      <button type="button" className="log-row" aria-expanded={open} onClick={toggle}>
        <span title={e.at}>{formatWhen(e.at)}</span>
        <span className="mono ellipsis">
          {e.method} {e.path}
        </span>
        <span>
          <StatusPill status={e.status} />
        </span>
        <span>{e.durationMs.toFixed(0)} ms</span>
        <span className="ellipsis">{e.keyName ? `${e.keyName} (${e.groupName})` : 'no key'}</span>
        <span className="ellipsis">{e.trace.map((t) => t.name).join(', ') || '—'}</span>
      </button>
      {open ? (
        <div className="log-detail">
          {e.error ? <HandlerError text={e.error} functionName={functionName} /> : null}
          <h3 className="h4">Console</h3>
          <ConsoleList entries={e.console} />
          <h3 className="h4">Secret-access trace</h3>
          <TraceList trace={e.trace} />
          <p className="muted small">Request id {e.requestId}</p>
        </div>
      ) : null}
    </div>
  );
}
