import type { ReactNode } from 'react';
import type { SyncComparison } from '../../../../shared/sync';
import { formatWhen } from '../../components/format';

/** When the server was read, and what of it was not compared. */
export function ComparisonFacts({ comparison }: { comparison: SyncComparison }): ReactNode {
  return (
    <div className="small muted">
      Read from {comparison.server.url} at <span title={comparison.fetchedAt}>{formatWhen(comparison.fetchedAt)}</span>; the preview is kept for 15 minutes.
      {comparison.notes.length ? (
        <ul className="sync-notes">
          {comparison.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
