// The secrets of one scope: table with filter and sort, masked values, create/edit/delete,
// where each is overridden, and (for a function, group or key) the values it inherits.
// Used for global secrets, a function's secrets, a group's or key's secrets and the scope tree.
import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SecretOverride } from '../../../../shared/contract';
import type { SecretSummary } from '../../../../shared/types';
import { crude } from '../../api/client';
import { takeGlobalSecrets } from '../../api/first-data';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable, type Column } from '../../components/DataTable';
import { countOf, formatWhen } from '../../components/format';
import { Icon } from '../../components/Icon';
import { MaskedValue } from '../../components/MaskedValue';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { useAfterPaint, useResolved } from '../../hooks/useResolved';
import { WhatIfPanel } from '../../components/WhatIfPanel';
import { DeletedSecretsDialog, SecretHistoryDialog } from './SecretHistory';
import { ExportDialog } from './ExportDialog';
import { ImportDialog } from './ImportDialog';
import { InheritedSecrets } from './InheritedSecrets';
import { overrideText } from './overrideText';
import { SecretForm } from './SecretForm';
import { scopeExplanation, scopeTitle, type ScopeRef } from './scopeText';

interface Props {
  scope: ScopeRef;
  /** Hide the heading when the caller already shows one. */
  compact?: boolean;
  maxHeight?: string;
  /** The heading level of the panel's title (1 on a screen of its own). */
  headingLevel?: 1 | 2;
}

type Dialogs =
  | { kind: 'create'; name?: string }
  | { kind: 'edit'; secret: SecretSummary }
  | { kind: 'delete'; secret: SecretSummary }
  | { kind: 'history'; secret: SecretSummary }
  | { kind: 'deleted' }
  | { kind: 'import' }
  | { kind: 'export' }
  | null;
type Row = SecretSummary & { override: SecretOverride | null };

export function SecretsPanel({ scope, compact, maxHeight, headingLevel = 2 }: Props): ReactNode {
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
  const overrides = useQuery(
    () => (scope.scope === 'key' ? Promise.resolve([]) : crude().secrets.overrides({ scope: scope.scope, scopeId: scope.scopeId })),
    [scope.scope, scope.scopeId],
    ['secrets.', 'functions.', 'keys.', 'groups.'],
  );
  const firstPage = useResolved(early?.firstPage, early?.firstPageRows);
  const firstPageShown = useAfterPaint(firstPage !== undefined);
  const [filter, setFilter] = useState('');
  const [shown, setShown] = useState<number | null>(null);
  const [showInherited, setShowInherited] = useState(false);
  const [dialog, setDialog] = useState<Dialogs>(null);
  // Every secret replaces the first page only after that page was painted, even when both
  // have arrived: rendering 10,000 rows must not delay the first rows on screen.
  const secrets = firstPage && !firstPageShown ? firstPage : (q.data ?? firstPage);
  const partial = secrets !== undefined && secrets !== q.data;
  const rows = useMemo<Row[] | undefined>(() => {
    if (!secrets) return undefined;
    const by = new Map((overrides.data ?? []).map((o) => [o.name, o]));
    return secrets.map((s) => ({ ...s, override: by.get(s.name) ?? null }));
  }, [secrets, overrides.data]);
  const taken = useMemo(() => new Set((secrets ?? []).map((s) => s.name)), [secrets]);
  const hasOverrides = scope.scope !== 'key';
  const columns = useMemo(() => secretColumns(setDialog, hasOverrides), [hasOverrides]);
  const onRowCount = useCallback((n: number) => setShown(n), []);
  const overrideHere = useCallback((name: string) => setDialog({ kind: 'create', name }), []);
  const title = scopeTitle(scope);
  const Heading = headingLevel === 1 ? 'h1' : 'h2';

  let body: ReactNode;
  if (q.error && !rows) body = <ErrorBanner error={q.error} onRetry={q.reload} />;
  else if (!rows) body = <Loading what="secrets" />;
  else if (rows.length === 0)
    body = (
      <EmptyState
        title={`No secrets in this scope yet`}
        action={
          <button type="button" className="primary" onClick={() => setDialog({ kind: 'create' })}>
            Create the first secret
          </button>
        }
      >
        {compact ? scopeExplanation(scope) : 'Create one to give this scope a value of its own.'}
      </EmptyState>
    );
  else
    body = (
      <DataTable
        label={title}
        columns={columns}
        data={rows}
        getRowId={(s) => String(s.id)}
        template={hasOverrides ? 'minmax(150px,1.2fr) minmax(150px,1fr) minmax(150px,1.3fr) minmax(100px,1fr) 176px 200px' : 'minmax(150px,1.3fr) minmax(150px,1fr) minmax(100px,1.3fr) 176px 200px'}
        collapse={
          // Each layout's minimum (columns, gaps, padding) fits the width below which it is used.
          hasOverrides
            ? [
                { below: 1000, template: 'minmax(110px,1.2fr) minmax(130px,1fr) minmax(110px,1.4fr) 200px', hide: ['comment', 'updated'] },
                { below: 600, template: 'minmax(100px,1fr) minmax(130px,1fr) 200px', hide: ['comment', 'updated', 'overrides'] },
              ]
            : [
                { below: 800, template: 'minmax(120px,1.2fr) minmax(130px,1fr) minmax(100px,1fr) 200px', hide: ['updated'] },
                { below: 600, template: 'minmax(100px,1fr) minmax(130px,1fr) 200px', hide: ['updated', 'comment'] },
              ]
        }
        filter={filter}
        filterColumns={['name', 'comment']}
        maxHeight={maxHeight}
        onRowCount={onRowCount}
        noMatch={`No secret matches “${filter}”.`}
      />
    );

  return (
    <section className="panel" aria-label={title} aria-busy={partial || undefined}>
      <div className="toolbar">
        {compact ? null : (
          <Heading tabIndex={headingLevel === 1 ? -1 : undefined}>
            <Icon name={scope.scope === 'global' ? 'global' : 'secrets'} /> {title}
          </Heading>
        )}
        {secrets && (secrets.length > 0 || showInherited) ? (
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
          <span className="muted" data-testid="secrets-count">
            {!partial
              ? countOf(filter ? (shown ?? secrets.length) : secrets.length, secrets.length, 'secret')
              : q.error
                ? `first ${countOf(secrets.length, secrets.length, 'secret')} shown`
                : 'loading all secrets…'}
          </span>
        ) : null}
        {scope.scope !== 'global' ? (
          <label className="check">
            <input type="checkbox" checked={showInherited} onChange={(e) => setShowInherited(e.target.checked)} /> Show inherited
          </label>
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
          <Icon name="add" /> New secret
        </button>
      </div>
      {compact ? null : <p className="muted scope-explain">{scopeExplanation(scope)}</p>}
      {q.error && secrets ? <ErrorBanner error={q.error} onRetry={q.reload} /> : null}
      {body}
      {showInherited ? <InheritedSecrets scope={scope} filter={filter} onOverride={overrideHere} /> : null}
      {dialog?.kind === 'create' ? <SecretForm scope={scope} takenNames={taken} initialName={dialog.name} onClose={() => setDialog(null)} onSaved={q.reload} /> : null}
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

function secretColumns(setDialog: (d: Dialogs) => void, withOverrides: boolean): Column<Row>[] {
  const cols: Column<Row>[] = [
    {
      id: 'name',
      accessorKey: 'name',
      header: 'Name',
      sortFn: 'alphanumeric',
      cell: (c) => (
        <span className="mono strong" title={c.row.original.name}>
          {c.row.original.name}
        </span>
      ),
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
            brokenReason={s.decryptionError}
            reveal={async (purpose) => (await crude().secrets.reveal({ id: s.id, purpose })).value}
          />
        );
      },
    },
  ];
  if (withOverrides) {
    cols.push({
      id: 'overrides',
      accessorFn: (s) => s.override?.overridden ?? 0,
      header: 'Overridden',
      sortFn: 'basic',
      cell: (c) => {
        const o = c.row.original.override;
        if (!o) return <span className="muted">—</span>;
        const text = overrideText(o);
        return (
          <span className={`override${o.overridden === o.reached ? ' all' : ''}`} title={text} data-testid="override-note">
            {text}
          </span>
        );
      },
    });
  }
  cols.push(
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
            <Icon name="edit" /> Edit
          </button>
          {/* Icon only: three labelled buttons do not fit a row at 1024 px; the tooltip and the name say it. */}
          <button type="button" className="icon" onClick={() => setDialog({ kind: 'history', secret: c.row.original })} aria-label={`History of ${c.row.original.name}`} title="History">
            <Icon name="history" />
          </button>
          <button
            type="button"
            className="danger-text"
            onClick={() => setDialog({ kind: 'delete', secret: c.row.original })}
            aria-label={`Delete ${c.row.original.name}`}
          >
            <Icon name="delete" /> Delete
          </button>
        </span>
      ),
    },
  );
  return cols;
}
