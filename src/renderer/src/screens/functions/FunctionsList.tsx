import { useMemo, useState, type ReactNode } from 'react';
import type { ApiKeyGroup, FunctionDef } from '../../../../shared/types';
import { crude, errorMessage } from '../../api/client';
import { TamperedMark } from '../../components/TamperedMark';
import { DataTable, type Column } from '../../components/DataTable';
import { countOf, formatAgo } from '../../components/format';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { useEvent } from '../../hooks/useEvent';
import { useQuery } from '../../hooks/useQuery';
import { useRoute } from '../../shell/route';
import { FunctionForm } from './FunctionForm';

/** A function as listed: its required groups by name, joined here so the table's rows change when the names arrive. */
type Row = FunctionDef & { groupNames: string[] };

export function FunctionsList(): ReactNode {
  const fns = useQuery(() => crude().functions.list({}), [], ['functions.', 'secrets.', 'groups.']);
  const groups = useQuery(() => crude().groups.list({}), [], ['groups.']);
  useEvent('executions.new', () => fns.reload());
  const { go } = useRoute();
  const [filter, setFilter] = useState('');
  const [shown, setShown] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [toggleError, setToggleError] = useState<string | null>(null);
  // The two lists arrive in either order. The names are part of each row's data (not
  // looked up by a cell), so the rows are rebuilt when the groups arrive: the table caches
  // what it computed from a row until the row changes.
  const rows = useMemo<Row[] | undefined>(() => {
    if (!fns.data) return undefined;
    const names = new Map((groups.data ?? []).map((g: ApiKeyGroup) => [g.id, g.name]));
    return fns.data.map((f) => ({ ...f, groupNames: f.groupIds.map((id) => names.get(id) ?? (groups.data ? `#${id}` : '…')) }));
  }, [fns.data, groups.data]);
  const columns = useMemo(
    () =>
      functionColumns((f, enabled) => {
        setToggleError(null);
        crude()
          .functions.setEnabled({ id: f.id, enabled })
          .then(fns.reload, (e: unknown) => setToggleError(`${f.name}: ${errorMessage(e)}`));
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  return (
    <div className="screen">
      <div className="toolbar">
        <h1 tabIndex={-1}>
          <Icon name="function" /> Functions
        </h1>
        {rows && rows.length > 0 ? (
          <input type="search" className="filter" placeholder="Filter by name or route" aria-label="Filter functions" value={filter} onChange={(e) => setFilter(e.target.value)} />
        ) : null}
        <span className="grow" />
        {rows ? (
          <span className="muted" data-testid="functions-count">
            {countOf(filter ? (shown ?? rows.length) : rows.length, rows.length, 'function')}
          </span>
        ) : null}
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          <Icon name="add" /> New function
        </button>
      </div>
      <p className="muted scope-explain">Each function answers HTTP requests on its route under the function host's <code>/run</code>. Open one to edit its handler and its secrets, and to try it.</p>
      {toggleError ? <div className="state error" role="alert">{toggleError}</div> : null}
      {fns.error && !rows ? <ErrorBanner error={fns.error} onRetry={fns.reload} /> : null}
      {!rows && !fns.error ? <Loading what="functions" /> : null}
      {rows && rows.length === 0 ? (
        <EmptyState title="No functions yet" action={<button type="button" className="primary" onClick={() => setCreating(true)}>Create the first function</button>}>
          A function is a handler file in <code>code/</code> plus a route. Its secrets override global ones of the same name.
        </EmptyState>
      ) : null}
      {rows && rows.length > 0 ? (
        <DataTable
          label="Functions"
          columns={columns}
          data={rows}
          getRowId={(f) => String(f.id)}
          template="minmax(130px,1.3fr) minmax(120px,1.2fr) minmax(96px,0.8fr) minmax(120px,1.1fr) 76px 80px 150px"
          collapse={[{ below: 860, template: 'minmax(120px,1.3fr) minmax(110px,1.1fr) minmax(110px,1fr) 76px 80px 140px', hide: ['methods'] }]}
          filter={filter}
          filterColumns={['name', 'route']}
          onActivate={(f) => go({ screen: 'functions', name: f.name })}
          onRowCount={setShown}
          noMatch={`No function matches “${filter}”.`}
        />
      ) : null}
      {creating ? <FunctionForm onClose={() => setCreating(false)} onSaved={(f) => go({ screen: 'functions', name: f.name, tab: 'handler' })} /> : null}
    </div>
  );
}

function functionColumns(toggle: (f: FunctionDef, enabled: boolean) => void): Column<Row>[] {
  return [
    { id: 'name', accessorKey: 'name', header: 'Function', sortFn: 'alphanumeric', cell: (c) => <span className="strong">{c.row.original.name}</span> },
    { id: 'route', accessorKey: 'route', header: 'Route', sortFn: 'alphanumeric', cell: (c) => <code>{c.row.original.route}</code> },
    { id: 'methods', accessorFn: (f) => f.methods.join(' '), header: 'Methods', sortFn: 'alphanumeric', cell: (c) => <span className="small mono" title={c.row.original.methods.join(' ')}>{c.row.original.methods.join(' ')}</span> },
    {
      id: 'groups',
      accessorFn: (f) => f.groupNames.join(', '),
      header: 'Required groups',
      sortFn: 'alphanumeric',
      // Who may call it: unknown when its rules were changed outside the app (and it is refused).
      cell: (c) =>
        c.row.original.tampered ? (
          <TamperedMark record={`Function ${c.row.original.name}`} tampered />
        ) : c.row.original.groupIds.length ? (
          <span title={c.row.original.groupNames.join(', ')}>{c.row.original.groupNames.join(', ')}</span>
        ) : (
          <span className="muted">public</span>
        ),
    },
    {
      id: 'enabled',
      accessorFn: (f) => (f.enabled ? 1 : 0),
      header: 'Enabled',
      sortFn: 'basic',
      cell: (c) => (
        <input
          type="checkbox"
          className="switch"
          checked={c.row.original.enabled}
          aria-label={`Enabled: ${c.row.original.name}`}
          onClick={(e) => e.stopPropagation()}
          onKeyDown={(e) => {
            if (e.key === ' ') e.stopPropagation();
          }}
          onChange={(e) => toggle(c.row.original, e.target.checked)}
        />
      ),
    },
    { id: 'secrets', accessorKey: 'secretCount', header: 'Secrets', sortFn: 'basic' },
    {
      id: 'last',
      accessorFn: (f) => f.lastCalledAt ?? '',
      header: 'Last call',
      sortFn: 'alphanumeric',
      cell: (c) => <LastCall fn={c.row.original} />,
    },
  ];
}

/** When the function was last called, and how that call ended. */
export function LastCall({ fn }: { fn: Pick<FunctionDef, 'lastCalledAt' | 'lastStatus'> }): ReactNode {
  if (!fn.lastCalledAt) return <span className="muted">never</span>;
  return (
    <span className="last-call" title={fn.lastCalledAt}>
      <span>{formatAgo(fn.lastCalledAt)}</span> <StatusPill status={fn.lastStatus} />
    </span>
  );
}

export function StatusPill({ status }: { status: number | null }): ReactNode {
  if (status === null) return <span className="muted">—</span>;
  const cls = status >= 500 ? 'bad' : status >= 400 ? 'warn' : 'good';
  return <span className={`pill ${cls}`}>{status}</span>;
}
