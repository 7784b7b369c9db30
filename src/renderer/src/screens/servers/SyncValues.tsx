// Masked values of a comparison, revealed one at a time: the local one through
// secrets.reveal / keys.reveal, the server's through sync.reveal (each an audited disclosure).
import type { ReactNode } from 'react';
import type { Scope } from '../../../../shared/types';
import type { SyncRow, WinnerAnswer } from '../../../../shared/sync';
import { crude } from '../../api/client';
import { MaskedValue } from '../../components/MaskedValue';
import { ScopeBadge } from '../../components/ScopeBadge';

export function LocalValue({ row }: { row: SyncRow }): ReactNode {
  if (!row.local || (row.kind !== 'secret' && row.kind !== 'key')) return <span className="muted">—</span>;
  const id = row.local.id;
  return (
    <MaskedValue
      slot={`sync-local-${row.ref}`}
      label={`${row.label} here`}
      reveal={async (purpose) => (row.kind === 'secret' ? (await crude().secrets.reveal({ id, purpose })).value : (await crude().keys.reveal({ id, purpose })).value)}
    />
  );
}

export function ServerValue({ row, snapshotId }: { row: SyncRow; snapshotId: string }): ReactNode {
  if (!row.server || (row.kind !== 'secret' && row.kind !== 'key')) return <span className="muted">—</span>;
  if (row.server.valueLength === undefined) return <span className="masked broken">no value</span>;
  return (
    <MaskedValue
      slot={`sync-server-${row.ref}`}
      label={`${row.label} on the server`}
      reveal={async (purpose) => (await crude().sync.reveal({ snapshotId, ref: row.ref, purpose })).value}
    />
  );
}

/** One side's answer to getSecret in the per-winner diff: the scope, and the value masked. */
export function Answer({ answer, side, snapshotId, slot, label }: { answer: WinnerAnswer; side: 'local' | 'server'; snapshotId: string; slot: string; label: string }): ReactNode {
  if (answer.refused) return <span className="pill bad">refused (401)</span>;
  if (answer.scope === null) return <span className="muted mono">undefined</span>;
  const scope: Scope = answer.scope;
  const reveal =
    side === 'local' && answer.secretId !== undefined
      ? async (purpose: 'reveal' | 'copy') => (await crude().secrets.reveal({ id: answer.secretId!, purpose })).value
      : side === 'server' && answer.ref
        ? async (purpose: 'reveal' | 'copy') => (await crude().sync.reveal({ snapshotId, ref: answer.ref!, purpose })).value
        : null;
  return (
    <span className="sync-answer">
      <ScopeBadge scope={scope} />
      {reveal ? <MaskedValue slot={slot} label={label} reveal={reveal} /> : null}
    </span>
  );
}
