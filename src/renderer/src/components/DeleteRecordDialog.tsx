// Deleting a function, group or key takes its secrets (and a group's keys) with it:
// show exactly what will go, from secrets.deletePreview, before asking to confirm.
import type { ReactNode } from 'react';
import type { DeletePreview } from '../../../shared/types';
import { crude } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { ConfirmDialog } from './ConfirmDialog';
import { plural } from './format';
import { ErrorBanner, Loading } from './States';
import { ScopeBadge } from './ScopeBadge';
import { WhatIfPanel } from './WhatIfPanel';
import { BlockingFunctions } from './BlockingFunctions';

interface Props {
  kind: 'function' | 'group' | 'key';
  id: number;
  name: string;
  onDelete: () => Promise<unknown>;
  onClose: () => void;
}

export function DeleteRecordDialog({ kind, id, name, onDelete, onClose }: Props): ReactNode {
  const q = useQuery(() => crude().secrets.deletePreview({ kind, id }), [kind, id]);
  const p = q.data;
  const blocked = Boolean(p && p.blockingFunctions.length > 0);
  return (
    <ConfirmDialog
      title={`Delete ${kind} ${name}?`}
      confirmLabel={p ? `Delete ${kind}${p.keys.length + p.secrets.length ? ' and everything listed' : ''}` : `Delete ${kind}`}
      blocked={blocked}
      pending={!p}
      onClose={onClose}
      onConfirm={async () => {
        await onDelete();
      }}
    >
      {q.error ? <ErrorBanner error={q.error} onRetry={q.reload} /> : null}
      {!p && !q.error ? <Loading what="what would be deleted" /> : null}
      {p ? <PreviewBody kind={kind} preview={p} /> : null}
      {p && !blocked && kind !== 'function' ? <WhatIfPanel change={{ kind: kind === 'key' ? 'key.delete' : 'group.delete', id }} /> : null}
    </ConfirmDialog>
  );
}

function PreviewBody({ kind, preview }: { kind: Props['kind']; preview: DeletePreview }): ReactNode {
  if (preview.blockingFunctions.length > 0) {
    return (
      <div className="blocked" role="alert" data-testid="delete-blocked">
        <p>
          <strong>This group cannot be deleted:</strong> {plural(preview.blockingFunctions.length, 'function')}{' '}
          {preview.blockingFunctions.length === 1 ? 'requires' : 'require'} it. Remove the group from {preview.blockingFunctions.length === 1 ? 'this function' : 'these functions'} first
          (open it, then Edit function):
        </p>
        <BlockingFunctions functions={preview.blockingFunctions} />
      </div>
    );
  }
  const nothing = preview.keys.length === 0 && preview.secrets.length === 0;
  return (
    <div className="cascade" data-testid="delete-cascade">
      {nothing ? (
        <p>Only the {kind} itself will be removed: it has no keys and no secrets.</p>
      ) : (
        <p className="warn-text">
          This also deletes{' '}
          {[preview.keys.length ? plural(preview.keys.length, 'key') : null, preview.secrets.length ? `${plural(preview.secrets.length, 'secret')}${secretsByScope(preview)}` : null]
            .filter(Boolean)
            .join(' and ')}
          . This cannot be undone.
        </p>
      )}
      {preview.keys.length > 0 ? (
        <>
          <h3 className="h4">Keys</h3>
          <ul className="preview-list">
            {preview.keys.map((k) => (
              <li key={k.id}>{k.name}</li>
            ))}
          </ul>
        </>
      ) : null}
      {preview.secrets.length > 0 ? (
        <>
          <h3 className="h4">Secrets</h3>
          <ul className="preview-list">
            {preview.secrets.map((s) => (
              <li key={s.id}>
                <span className="mono">{s.name}</span> <ScopeBadge scope={s.scope} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** " (1 group secret, 2 key secrets)" when the secrets are of more than one scope, so the count matches the lists it adds up. */
function secretsByScope(p: DeletePreview): string {
  const by = new Map<string, number>();
  for (const s of p.secrets) by.set(s.scope, (by.get(s.scope) ?? 0) + 1);
  if (by.size < 2) return '';
  return ` (${[...by].map(([scope, n]) => plural(n, `${scope} secret`)).join(', ')})`;
}
