// Diff: this installation against the server, per record and per winner. Read-only.
import { useState, type ReactNode } from 'react';
import type { ServerConnection, SyncComparison } from '../../../../shared/sync';
import { crude } from '../../api/client';
import { ErrorBanner } from '../../components/States';
import { ComparisonFacts } from './ComparisonFacts';
import { RecordsTable } from './RecordsTable';
import { WinnersSummary, WinnersTable } from './WinnersTable';

export function DiffPanel({ server }: { server: ServerConnection }): ReactNode {
  const [comparison, setComparison] = useState<SyncComparison | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const compare = async () => {
    setBusy(true);
    setError(null);
    try {
      setComparison(await crude().sync.compare({ serverId: server.id }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const rows = comparison?.rows ?? [];
  return (
    <div className="panel sync-panel" aria-label={`Differences with ${server.name}`}>
      <div className="toolbar">
        <button type="button" className={comparison ? '' : 'primary'} disabled={busy} onClick={() => void compare()}>
          {busy ? 'Reading the server…' : comparison ? 'Compare again' : `Compare with ${server.name}`}
        </button>
        {comparison ? (
          <span className="small" role="status">
            {rows.filter((r) => r.presence === 'both').length} differ · {rows.filter((r) => r.presence === 'local').length} only here ·{' '}
            {rows.filter((r) => r.presence === 'server').length} only on {server.name} · {comparison.unchanged} the same
          </span>
        ) : null}
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      {comparison ? (
        <>
          <ComparisonFacts comparison={comparison} />
          <h4>What handlers read</h4>
          <WinnersSummary comparison={comparison} />
          <WinnersTable comparison={comparison} />
          <h4>Records</h4>
          {rows.length === 0 ? <p className="state empty">Every record is the same here and on {server.name}.</p> : <RecordsTable comparison={comparison} rows={rows} mode="view" />}
        </>
      ) : null}
    </div>
  );
}
