// The secrets of one scope: table with filter and sort, masked values, create/edit/delete.
// Used for global secrets, a function's 🔐, a group's or key's 🔐 and the scope tree.
import { useMemo, useRef, useState, type ReactNode } from 'react';
import type { SecretSummary } from '../../../../shared/types';
import { crude } from '../../api/client';
import { takeGlobalSecrets } from '../../api/first-data';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable, type Column } from '../../components/DataTable';
import { formatWhen, plural } from '../../components/format';
import { MaskedValue } from '../../components/MaskedValue';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { useAfterPaint, useResolved } from '../../hooks/useResolved';
import { WhatIfPanel } from '../../components/WhatIfPanel';
import { DeletedSecretsDialog, SecretHistoryDialog } from './SecretHistory';
import { ExportDialog } from './ExportDialog';
import { ImportDialog } from './ImportDialog';
import { SecretForm } from './SecretForm';
import { scopeExplanation, scopeTitle, type ScopeRef } from './scopeText';

interface Props {
  scope: ScopeRef;
  /** Hide the heading when the caller already shows one. */
  compact?: boolean;
  maxHeight?: string;
}

type Dialogs =
  | { kind: 'create' }
  | { kind: 'edit'; secret: SecretSummary }
  | { kind: 'delete'; secret: SecretSummary }
  | { kind: 'history'; secret: SecretSummary }
  | { kind: 'deleted' }
  | { kind: 'import' }
  | { kind: 'export' }
  | null;

export function SecretsPanel({ scope, compact, maxHeight }: Props): ReactNode {
  // The screen the app opens on finds its data already asked for (api/first-data.ts): it
  // shows the first page as soon as it arrives, then every secret.
  const [early] = useState(() => (scope.scope === 'global' ? takeGlobalSecrets() : undefined));
  const earlyAll = useRef(early?.all);
  const q = useQuery(
    () => {
      const all = earlyAll.current;
      earlyAll.current = undefined;
      return all ?? crude().secrets.list({ scope: scope.scope, scopeId: scope.scopeId });
    },
    [scope.scope, scope.scopeId],
    ['secrets.', 'rotation.'],
  );
  const firstPage = useResolved(early?.firstPage, early?.firstPageRows);
  const firstPageShown = useAfterPaint(firstPage !== undefined);
  const [filter, setFilter] = useState('');
  const [dialog, setDialog] = useState<Dialogs>(null);
  // Every secret replaces the first page only after that page was painted, even when both
  // have arrived: rendering 10,000 rows must not delay the first rows on screen.
  const secrets = firstPage && !firstPageShown ? firstPage : (q.data ?? firstPage);
  const partial = secrets !== undefined && secrets !== q.data;
  const taken = useMemo(() => new Set((secrets ?? []).map((s) => s.name)), [secrets]);
  const columns = useMemo(() => secretColumns(setDialog), []);
  const title = scopeTitle(scope);

  let body: ReactNode;
  if (q.error && !secrets) body = <ErrorBanner error={q.error} onRetry={q.reload} />;
  else if (!secrets) body = <Loading what="secrets" />;
  else if (secrets.length === 0)
    body = (
      <EmptyState
        title={`No secrets in this scope yet`}
        action={
          <button type="button" className="primary" onClick={() => setDialog({ kind: 'create' })}>
            Create the first secret
          </button>
        }
      >
        {scopeExplanation(scope)}
      </EmptyState>
    );
  else
    body = (
      <DataTable
        label={title}
        columns={columns}
        data={secrets}
        getRowId={(s) => String(s.id)}
        template="minmax(150px,1.3fr) minmax(170px,1.3fr) minmax(100px,1.3fr) 170px 190px"
        filter={filter}
        filterColumns={['name', 'comment']}
        maxHeight={maxHeight}
        noMatch={`No secret matches “${filter}”.`}
      />
    );

  return (
    <section className="panel" aria-label={title} aria-busy={partial || undefined}>
      <div className="toolbar">
        {compact ? null : <h2>{title}</h2>}
        {secrets && secrets.length > 0 ? (
          <input
            type="search"
            className="filter"
            placeholder="Filter by name or comment"
            aria-label={`Filter ${title}`}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        ) : null}
        <span className="grow" />
        {secrets ? (
          <span className="muted">
            {!partial ? plural(secrets.length, 'secret') : q.error ? `first ${plural(secrets.length, 'secret')} shown` : 'loading all secrets…'}
          </span>
        ) : null}
        <button type="button" onClick={() => setDialog({ kind: 'deleted' })}>
          Recently deleted
        </button>
        <button type="button" onClick={() => setDialog({ kind: 'import' })}>
          Import…
        </button>
        <button type="button" onClick={() => setDialog({ kind: 'export' })} disabled={!secrets?.length} title={secrets?.length ? undefined : 'No secrets to export'}>
          Export…
        </button>
        <button type="button" className="primary" onClick={() => setDialog({ kind: 'create' })}>
          + New secret
        </button>
      </div>
      {compact ? null : <p className="muted scope-explain">{scopeExplanation(scope)}</p>}
      {q.error && secrets ? <ErrorBanner error={q.error} onRetry={q.reload} /> : null}
      {body}
      {dialog?.kind === 'create' ? <SecretForm scope={scope} takenNames={taken} onClose={() => setDialog(null)} onSaved={q.reload} /> : null}
      {dialog?.kind === 'edit' ? (
        <SecretForm scope={scope} takenNames={taken} editing={dialog.secret} onClose={() => setDialog(null)} onSaved={q.reload} />
      ) : null}
      {dialog?.kind === 'history' ? <SecretHistoryDialog secret={dialog.secret} onClose={() => setDialog(null)} onRestored={q.reload} /> : null}
      {dialog?.kind === 'import' ? <ImportDialog scope={scope} onClose={() => setDialog(null)} onImported={q.reload} /> : null}
      {dialog?.kind === 'export' ? <ExportDialog scope={scope} count={secrets?.length ?? 0} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'deleted' ? <DeletedSecretsDialog scope={scope} onClose={() => setDialog(null)} onRestored={q.reload} /> : null}
      {dialog?.kind === 'delete' ? (
        <ConfirmDialog
          title={`Delete secret ${dialog.secret.name}?`}
          confirmLabel="Delete secret"
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await crude().secrets.delete({ id: dialog.secret.id });
            q.reload();
          }}
        >
          <p>
            The secret <strong>{dialog.secret.name}</strong> will be removed from this scope ({title.toLowerCase()}). Functions that
            read it will fall back to the next scope in Key &gt; Group &gt; Function &gt; Global, or get <code>undefined</code>. It
            can be restored from <em>Recently deleted</em> while its history is kept.
          </p>
          <WhatIfPanel change={{ kind: 'secret.delete', id: dialog.secret.id }} />
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function secretColumns(setDialog: (d: Dialogs) => void): Column<SecretSummary>[] {
  return [
    {
      id: 'name',
      accessorKey: 'name',
      header: 'Name',
      sortFn: 'alphanumeric',
      cell: (c) => <span className="mono strong">{c.row.original.name}</span>,
    },
    {
      id: 'value',
      header: 'Value',
      enableSorting: false,
      cell: (c) => {
        const s = c.row.original;
        return (
          <MaskedValue
            slot={`secret-${s.id}`}
            label={`secret ${s.name}`}
            length={s.valueLength}
            brokenReason={s.decryptionError}
            reveal={async (purpose) => (await crude().secrets.reveal({ id: s.id, purpose })).value}
          />
        );
      },
    },
    {
      id: 'comment',
      accessorFn: (s) => s.comment ?? '',
      header: 'Comment',
      sortFn: 'alphanumeric',
      cell: (c) => <span className="ellipsis" title={c.row.original.comment ?? ''}>{c.row.original.comment ?? ''}</span>,
    },
    {
      id: 'updated',
      accessorKey: 'updatedAt',
      header: 'Updated',
      sortFn: 'alphanumeric',
      cell: (c) => <span title={c.row.original.updatedAt}>{formatWhen(c.row.original.updatedAt)}</span>,
    },
    {
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      enableSorting: false,
      cell: (c) => (
        <span className="row-actions">
          <button type="button" onClick={() => setDialog({ kind: 'edit', secret: c.row.original })} aria-label={`Edit ${c.row.original.name}`}>
            Edit
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'history', secret: c.row.original })} aria-label={`History of ${c.row.original.name}`}>
            History
          </button>
          <button
            type="button"
            className="danger-text"
            onClick={() => setDialog({ kind: 'delete', secret: c.row.original })}
            aria-label={`Delete ${c.row.original.name}`}
          >
            Delete
          </button>
        </span>
      ),
    },
  ];
}
