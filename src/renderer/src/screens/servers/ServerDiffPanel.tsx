// The inspector's hook into sync: for the secret being inspected, which callers read
// another value on a server than here, with both values masked until revealed.
import { useState, type ReactNode } from 'react';
import type { SyncComparison } from '../../../../shared/sync';
import { crude } from '../../api/client';
import { ErrorBanner } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { RecordsTable } from './RecordsTable';
import { WinnersSummary, WinnersTable } from './WinnersTable';
import './servers.css';

export function ServerDiffPanel({ name }: { name: string }): ReactNode {
  const servers = useQuery(() => crude().servers.list({}), [], ['servers.']);
  const [serverId, setServerId] = useState<number | null>(null);
  const [comparison, setComparison] = useState<SyncComparison | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const list = servers.data ?? [];
  const chosen = list.find((s) => s.id === serverId) ?? list[0];
  if (servers.data && list.length === 0) {
    return <p className="muted small">Add a server under Servers to compare what handlers read for {name} here and there.</p>;
  }
  if (!chosen) return null;
  const compare = async () => {
    setBusy(true);
    setError(null);
    try {
      setComparison(await crude().sync.compare({ serverId: chosen.id, name }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="sync-inspect" aria-label={`${name} here and on a server`}>
      <div className="toolbar">
        <label>
          Server{' '}
          <select
            value={chosen.id}
            aria-label="Server to compare with"
            onChange={(e) => {
              setServerId(Number(e.target.value));
              setComparison(null);
            }}
          >
            {list.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={busy} onClick={() => void compare()}>
          {busy ? 'Reading the server…' : comparison ? 'Compare again' : `Compare ${name} with ${chosen.name}`}
        </button>
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      {comparison ? (
        <>
          <WinnersSummary comparison={comparison} />
          <WinnersTable comparison={comparison} />
          {comparison.rows.length ? <RecordsTable comparison={comparison} rows={comparison.rows} mode="view" /> : null}
        </>
      ) : null}
    </section>
  );
}
