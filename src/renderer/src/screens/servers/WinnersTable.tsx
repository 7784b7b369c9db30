// The per-winner diff: for each function × caller, does ctx.getSecret(name) answer the same
// here and on the server? One row per answer that differs, both values masked.
import { Icon } from '../../components/Icon';
import type { ReactNode } from 'react';
import type { SyncComparison, WinnerDiff } from '../../../../shared/sync';
import { Answer } from './SyncValues';

const callerText = (w: WinnerDiff) => (w.caller ? `${w.caller.group}/${w.caller.key}` : 'no key');

export function WinnersSummary({ comparison }: { comparison: SyncComparison }): ReactNode {
  const w = comparison.winners;
  return (
    <p className={w.differing ? 'warn-text' : 'good'} role="status" data-testid="winners-summary">
      {w.differing === 0
        ? `Every handler gets the same answer here and on ${comparison.server.name} (${w.compared.toLocaleString('en-US')} getSecret answers compared).`
        : `${w.differing.toLocaleString('en-US')} of ${w.compared.toLocaleString('en-US')} getSecret answers differ between here and ${comparison.server.name}${w.rows.length < w.differing ? ` (the first ${w.rows.length} are listed)` : ''}.`}
    </p>
  );
}

export function WinnersTable({ comparison }: { comparison: SyncComparison }): ReactNode {
  const rows = comparison.winners.rows;
  if (rows.length === 0) return null;
  return (
    <div className="sync-scroll">
      <table className="sync-table" aria-label={`Answers that differ from ${comparison.server.name}`}>
        <thead>
          <tr>
            <th>Function</th>
            <th>Caller</th>
            <th>
              <code>ctx.getSecret(…)</code>
            </th>
            <th>Here</th>
            <th>On {comparison.server.name}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((w) => {
            const id = `${w.functionName}|${callerText(w)}|${w.name ?? ''}`;
            return (
              <tr key={id} data-testid="winner-row">
                <td className="mono">
                  <Icon name="function" /> {w.functionName}
                </td>
                <td className="mono">{w.caller ? <><Icon name="key" /> {callerText(w)}</> : <span className="muted">no key (public)</span>}</td>
                <td className="mono">{w.name ?? <span className="muted">(the call itself)</span>}</td>
                <td>
                  {w.name === null && !w.local.refused ? (
                    <span className="pill good">let through</span>
                  ) : (
                    <Answer answer={w.local} side="local" snapshotId={comparison.snapshotId} slot={`win-l-${id}`} label={`${w.name} for ${w.functionName} ← ${callerText(w)} here`} />
                  )}
                </td>
                <td>
                  {w.name === null && !w.server.refused ? (
                    <span className="pill good">let through</span>
                  ) : (
                    <Answer answer={w.server} side="server" snapshotId={comparison.snapshotId} slot={`win-s-${id}`} label={`${w.name} for ${w.functionName} ← ${callerText(w)} on ${comparison.server.name}`} />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
