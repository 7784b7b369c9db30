import { useMemo, useState, type ReactNode } from 'react';
import type { ApiKeyGroup, FunctionDef } from '../../../../shared/types';
import { crude, errorMessage } from '../../api/client';
import { TamperedMark } from '../../components/TamperedMark';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { useRoute } from '../../shell/route';
import { FunctionForm } from './FunctionForm';

export function FunctionsList(): ReactNode {
  const fns = useQuery(() => crude().functions.list({}), [], ['functions.', 'secrets.', 'groups.']);
  const groups = useQuery(() => crude().groups.list({}), [], ['groups.']);
  const { go } = useRoute();
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);
  const [toggleError, setToggleError] = useState<string | null>(null);
  const groupNames = useMemo(() => new Map((groups.data ?? []).map((g: ApiKeyGroup) => [g.id, g.name])), [groups.data]);
  const columns = useMemo(
    () => functionColumns(groupNames, (f, enabled) => {
      setToggleError(null);
      crude()
        .functions.setEnabled({ id: f.id, enabled })
        .then(fns.reload, (e: unknown) => setToggleError(`${f.name}: ${errorMessage(e)}`));
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [groupNames],
  );
  const list = fns.data;
  return (
    <div className="screen">
      <div className="toolbar">
        <h2>⚡ Functions</h2>
        {list && list.length > 0 ? (
          <input type="search" className="filter" placeholder="Filter by name or route" aria-label="Filter functions" value={filter} onChange={(e) => setFilter(e.target.value)} />
        ) : null}
        <span className="grow" />
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          + New function
        </button>
      </div>
      <p className="muted scope-explain">Each function answers HTTP requests on its route under the function host's <code>/run</code>. Open one to edit its handler, its 🔐 secrets, and try it.</p>
      {toggleError ? <div className="state error" role="alert">{toggleError}</div> : null}
      {fns.error && !list ? <ErrorBanner error={fns.error} onRetry={fns.reload} /> : null}
      {!list && !fns.error ? <Loading what="functions" /> : null}
      {list && list.length === 0 ? (
        <EmptyState title="No functions yet" action={<button type="button" className="primary" onClick={() => setCreating(true)}>Create the first function</button>}>
          A function is a handler file in <code>code/</code> plus a route. Its secrets override global ones of the same name.
        </EmptyState>
      ) : null}
      {list && list.length > 0 ? (
        <DataTable
          label="Functions"
          columns={columns}
          data={list}
          getRowId={(f) => String(f.id)}
          template="minmax(140px,1.2fr) minmax(140px,1.2fr) minmax(110px,0.9fr) minmax(110px,1fr) 90px 80px 90px"
          filter={filter}
          filterColumns={['name', 'route']}
          onActivate={(f) => go({ screen: 'functions', functionId: f.id })}
          noMatch={`No function matches “${filter}”.`}
        />
      ) : null}
      {creating ? <FunctionForm onClose={() => setCreating(false)} onSaved={(f) => go({ screen: 'functions', functionId: f.id, tab: 'handler' })} /> : null}
    </div>
  );
}

function functionColumns(groupNames: Map<number, string>, toggle: (f: FunctionDef, enabled: boolean) => void): Column<FunctionDef>[] {
  return [
    { id: 'name', accessorKey: 'name', header: 'Function', sortFn: 'alphanumeric', cell: (c) => <span className="strong">⚡ {c.row.original.name}</span> },
    { id: 'route', accessorKey: 'route', header: 'Route', sortFn: 'alphanumeric', cell: (c) => <code>{c.row.original.route}</code> },
    { id: 'methods', accessorFn: (f) => f.methods.join(' '), header: 'Methods', sortFn: 'alphanumeric', cell: (c) => <span className="small mono">{c.row.original.methods.join(' ')}</span> },
    {
      id: 'groups',
      accessorFn: (f) => f.groupIds.map((id) => groupNames.get(id) ?? `#${id}`).join(', '),
      header: 'Required groups',
      sortFn: 'alphanumeric',
      // Who may call it: unknown when its rules were changed outside the app (and it is refused).
      cell: (c) =>
        c.row.original.tampered ? (
          <TamperedMark record={`Function ${c.row.original.name}`} tampered />
        ) : c.row.original.groupIds.length ? (
          <span>{c.getValue() as string}</span>
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
          onKeyDown={(e) => e.stopPropagation()}
          onChange={(e) => toggle(c.row.original, e.target.checked)}
        />
      ),
    },
    { id: 'secrets', accessorKey: 'secretCount', header: 'Secrets', sortFn: 'basic' },
    {
      id: 'last',
      accessorFn: (f) => f.lastStatus ?? 0,
      header: 'Last call',
      sortFn: 'basic',
      cell: (c) => <StatusPill status={c.row.original.lastStatus} />,
    },
  ];
}

export function StatusPill({ status }: { status: number | null }): ReactNode {
  if (status === null) return <span className="muted">never</span>;
  const cls = status >= 500 ? 'bad' : status >= 400 ? 'warn' : 'good';
  return <span className={`pill ${cls}`}>{status}</span>;
}
