// Pull: a preview of what the server has (new, changed, only here), the records to take
// ticked, then one transaction that applies them all or none.
import { Icon } from '../../components/Icon';
import { useState, type ReactNode } from 'react';
import type { PullResult, ServerConnection, SyncComparison } from '../../../../shared/sync';
import { crude } from '../../api/client';
import { ErrorBanner } from '../../components/States';
import { chosenByDefault, RecordsTable, toggle } from './RecordsTable';
import { ComparisonFacts } from './ComparisonFacts';

export function PullPanel({ server }: { server: ServerConnection }): ReactNode {
  const [comparison, setComparison] = useState<SyncComparison | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<'preview' | 'pull' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<PullResult | null>(null);
  const [showLocal, setShowLocal] = useState(false);

  const preview = async () => {
    setBusy('preview');
    setError(null);
    setResult(null);
    try {
      const c = await crude().sync.compare({ serverId: server.id });
      setComparison(c);
      setSelected(new Set(c.rows.filter((r) => chosenByDefault(r, 'pull')).map((r) => r.ref)));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const pull = async () => {
    if (!comparison) return;
    setBusy('pull');
    setError(null);
    try {
      setResult(await crude().sync.pull({ serverId: server.id, snapshotId: comparison.snapshotId, refs: [...selected] }));
      setComparison(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const rows = comparison?.rows ?? [];
  const counts = {
    fresh: rows.filter((r) => r.presence === 'server').length,
    changed: rows.filter((r) => r.presence === 'both').length,
    local: rows.filter((r) => r.presence === 'local').length,
  };
  return (
    <div className="panel sync-panel" aria-label={`Pull from ${server.name}`}>
      <p className="muted small">
        Reads functions, handler files, groups, keys (with their values) and secrets of every scope from <strong>{server.name}</strong>, matched by
        name. Nothing is written until you pull the records you tick; then all of them are written together, or none. Nothing here is deleted.
      </p>
      <div className="toolbar">
        <button type="button" className={comparison ? '' : 'primary'} disabled={busy !== null} onClick={() => void preview()}>
          {busy === 'preview' ? 'Reading the server…' : comparison ? 'Preview again' : 'Preview pull'}
        </button>
        {comparison ? (
          <>
            <span className="small" role="status">
              {counts.fresh} new · {counts.changed} changed · {counts.local} only here · {comparison.unchanged} unchanged
            </span>
            <button type="button" onClick={() => setSelected(new Set())}>
              Tick none
            </button>
            <button type="button" onClick={() => setSelected(new Set(rows.filter((r) => chosenByDefault(r, 'pull')).map((r) => r.ref)))}>
              Tick all without a warning
            </button>
            <span className="grow" />
            <button type="button" className="primary" disabled={busy !== null || selected.size === 0} onClick={() => void pull()}>
              {busy === 'pull' ? 'Pulling…' : `Pull ${selected.size} record${selected.size === 1 ? '' : 's'}`}
            </button>
          </>
        ) : null}
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      {result ? (
        <div className="state sync-done" role="status">
          <Icon name="ok" /> {result.summary}
        </div>
      ) : null}
      {comparison ? (
        <>
          <ComparisonFacts comparison={comparison} />
          {counts.local ? (
            <label className="check small">
              <input type="checkbox" checked={showLocal} onChange={(e) => setShowLocal(e.target.checked)} /> Show the {counts.local} record{counts.local === 1 ? '' : 's'} only here
              (a pull keeps them)
            </label>
          ) : null}
          {counts.fresh + counts.changed === 0 ? <p className="state empty">Everything on {server.name} is already here, the same.</p> : null}
          {rows.length > 0 && (counts.fresh + counts.changed > 0 || showLocal) ? (
            <RecordsTable
              comparison={comparison}
              rows={showLocal ? rows : rows.filter((r) => r.presence !== 'local')}
              mode="pull"
              selected={selected}
              onToggle={(row, on) => setSelected((s) => toggle(rows, s, row, on, 'pull'))}
            />
          ) : null}
        </>
      ) : null}
    </div>
  );
}
