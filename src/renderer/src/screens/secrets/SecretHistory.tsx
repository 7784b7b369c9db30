// A secret's earlier values, and the secrets of a scope that were deleted: masked like
// current values, revealed and copied the same way, restored after the same what-if
// preview as any change. A restore is a new version: history is never rewritten.
import { useState, type ReactNode } from 'react';
import type { DeletedSecret, SecretSummary, SecretVersion } from '../../../../shared/types';
import { crude } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { formatWhen, plural } from '../../components/format';
import { MaskedValue } from '../../components/MaskedValue';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { WhatIfPanel } from '../../components/WhatIfPanel';
import { useQuery } from '../../hooks/useQuery';
import { scopeTitle, type ScopeRef } from './scopeText';

const CHANGE_WORDS: Record<SecretVersion['change'], string> = {
  created: 'created',
  updated: 'changed',
  deleted: 'deleted',
  restored: 'restored',
  renamed: 'renamed',
};

function changeText(v: SecretVersion): string {
  const parts = [CHANGE_WORDS[v.change]];
  if (v.detail.fields?.length) parts.push(`(${v.detail.fields.join(', ')})`);
  if (v.detail.renamedFrom) parts.push(`from ${v.detail.renamedFrom}`);
  if (v.detail.renamedTo) parts.push(`to ${v.detail.renamedTo}`);
  if (v.detail.restoredFrom) parts.push(`from version ${v.detail.restoredFrom}`);
  return parts.join(' ');
}

/** Asks before a restore, with what it would change for callers. */
function RestoreDialog({ versionId, what, onClose, onRestored }: { versionId: number; what: string; onClose: () => void; onRestored: () => void }): ReactNode {
  return (
    <ConfirmDialog
      title={`Restore ${what}?`}
      confirmLabel="Restore"
      onClose={onClose}
      onConfirm={async () => {
        await crude().secrets.restore({ versionId });
        onRestored();
      }}
    >
      <p>The value (and comment) of {what} becomes the current one again, as a new version.</p>
      <WhatIfPanel change={{ kind: 'secret.restore', versionId }} />
    </ConfirmDialog>
  );
}

export function SecretHistoryDialog({ secret, onClose, onRestored }: { secret: SecretSummary; onClose: () => void; onRestored: () => void }): ReactNode {
  const q = useQuery(() => crude().secrets.history({ id: secret.id }), [secret.id], ['secrets.']);
  const [restoring, setRestoring] = useState<SecretVersion | null>(null);
  return (
    <Dialog title={`History of ${secret.name}`} onClose={onClose} wide>
      {q.error ? <ErrorBanner error={q.error} onRetry={q.reload} /> : null}
      {!q.data && !q.error ? <Loading what="versions" /> : null}
      {q.data ? (
        <table className="simple history" aria-label={`Versions of ${secret.name}`}>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Value</th>
              <th scope="col">What</th>
              <th scope="col">When, by</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {q.data.map((v) => (
              <tr key={v.id} data-testid={`version-${v.n}`}>
                <td>
                  {v.n}
                  {v.current ? <span className="pill good small-pill">current</span> : null}
                </td>
                <td>
                  <MaskedValue slot={`version-${v.id}`} label={`version ${v.n} of ${secret.name}`} reveal={async (purpose) => (await crude().secrets.revealVersion({ versionId: v.id, purpose })).value} />
                </td>
                <td>
                  {changeText(v)}
                  {v.comment ? <div className="muted small">{v.comment}</div> : null}
                </td>
                <td>
                  <span title={v.changedAt}>{formatWhen(v.changedAt)}</span>
                  <div className="muted small">{v.changedBy}</div>
                </td>
                <td>
                  {v.current ? null : (
                    <button type="button" onClick={() => setRestoring(v)} aria-label={`Restore version ${v.n} of ${secret.name}`}>
                      Restore
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {restoring ? (
        <RestoreDialog
          versionId={restoring.id}
          what={`version ${restoring.n} of ${secret.name}`}
          onClose={() => setRestoring(null)}
          onRestored={() => {
            q.reload();
            onRestored();
          }}
        />
      ) : null}
    </Dialog>
  );
}

export function DeletedSecretsDialog({ scope, onClose, onRestored }: { scope: ScopeRef; onClose: () => void; onRestored: () => void }): ReactNode {
  const q = useQuery(() => crude().secrets.deleted({ scope: scope.scope, scopeId: scope.scopeId }), [scope.scope, scope.scopeId], ['secrets.']);
  const [restoring, setRestoring] = useState<DeletedSecret | null>(null);
  return (
    <Dialog title={`Recently deleted — ${scopeTitle(scope)}`} onClose={onClose} wide>
      {q.error ? <ErrorBanner error={q.error} onRetry={q.reload} /> : null}
      {!q.data && !q.error ? <Loading what="deleted secrets" /> : null}
      {q.data && q.data.length === 0 ? (
        <EmptyState title="Nothing was deleted here recently">Deleted secrets stay restorable while their history is kept (Settings → History and audit).</EmptyState>
      ) : null}
      {q.data && q.data.length > 0 ? (
        <table className="simple" aria-label="Deleted secrets">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Deleted</th>
              <th scope="col">Versions</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {q.data.map((d) => (
              <tr key={d.versionId}>
                <td className="mono strong">{d.name}</td>
                <td>
                  <span title={d.deletedAt}>{formatWhen(d.deletedAt)}</span> <span className="muted small">by {d.deletedBy}</span>
                </td>
                <td>{plural(d.versions, 'version')}</td>
                <td>
                  <button type="button" onClick={() => setRestoring(d)} aria-label={`Restore ${d.name}`}>
                    Restore
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {restoring ? (
        <RestoreDialog
          versionId={restoring.versionId}
          what={`${restoring.name} (its last value)`}
          onClose={() => setRestoring(null)}
          onRestored={() => {
            q.reload();
            onRestored();
          }}
        />
      ) : null}
    </Dialog>
  );
}
