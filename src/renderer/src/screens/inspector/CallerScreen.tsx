// Every secret of one caller in one view: rows are secret names, columns the four scopes,
// for a chosen function and key, the winner marked — the whole picture of one caller.
import { useMemo, useState, type ReactNode } from 'react';
import type { CallerOverview } from '../../../../shared/contract';
import { SCOPES_BY_PRECEDENCE, type Scope } from '../../../../shared/types';
import { crude } from '../../api/client';
import { DataTable, type Column } from '../../components/DataTable';
import { countOf } from '../../components/format';
import { Icon } from '../../components/Icon';
import { KeyPicker } from '../../components/KeyPicker';
import { SCOPE_LABEL, SCOPE_MARK, ScopeIcon } from '../../components/ScopeBadge';
import { ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { routeToHash, useRoute, type Route } from '../../shell/route';
import { keyByName } from './InspectorScreen';

type CallerRoute = Extract<Route, { screen: 'caller' }>;
type Row = CallerOverview['rows'][number];

export function CallerScreen({ route }: { route: CallerRoute }): ReactNode {
  const { replace, go } = useRoute();
  const fns = useQuery(() => crude().functions.list({}), [], ['functions.']);
  const keys = useQuery(() => crude().keys.list({}), [], ['keys.', 'groups.']);
  const fn = route.function ? fns.data?.find((f) => f.name === route.function) : fns.data?.[0];
  const key = keyByName(keys.data, route.key, route.group);
  const [filter, setFilter] = useState('');
  const [shown, setShown] = useState<number | null>(null);
  const overview = useQuery(
    () => (fn ? crude().secrets.callerOverview({ functionId: fn.id, keyId: key?.id ?? null }) : Promise.resolve(null)),
    [fn?.id, key?.id],
    ['secrets.', 'functions.', 'keys.', 'groups.'],
  );
  const o = overview.data;
  const columns = useMemo(() => callerColumns(o, (name) => go({ screen: 'inspector', name, function: fn?.name, key: key?.name, group: key?.groupName })), [o, fn?.name, key, go]);
  return (
    <div className="screen">
      <div className="toolbar">
        <h1 tabIndex={-1}>
          <Icon name="inspect" /> Every secret of one caller
        </h1>
        <span className="grow" />
        <a
          className="link"
          href={routeToHash({ screen: 'inspector' })}
          onClick={(e) => {
            e.preventDefault();
            go({ screen: 'inspector', function: fn?.name, key: key?.name, group: key?.groupName });
          }}
        >
          One secret across every caller
        </a>
      </div>
      <p className="muted scope-explain">
        For one function called with one key (or none): every secret its handler can get, the scopes that define it, and the one that
        answers <code>ctx.getSecret(name)</code> (Key &gt; Group &gt; Function &gt; Global).
      </p>
      <div className="context-picker toolbar">
        <label>
          Function{' '}
          <select
            aria-label="Caller function"
            value={fn?.id ?? ''}
            onChange={(e) => replace({ ...route, function: fns.data?.find((f) => f.id === Number(e.target.value))?.name })}
          >
            {(fns.data ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          API key{' '}
          <KeyPicker
            keys={keys.data ?? []}
            value={key?.id ?? null}
            accepted={fn?.groupIds}
            onChange={(id) => {
              const k = keys.data?.find((x) => x.id === id);
              replace({ ...route, function: fn?.name, key: k?.name, group: k?.groupName });
            }}
            noneLabel="No key (public call)"
          />
        </label>
        {o ? <input type="search" className="filter" placeholder="Filter by name" aria-label="Filter secrets of this caller" value={filter} onChange={(e) => setFilter(e.target.value)} /> : null}
        <span className="grow" />
        {o ? <span className="muted">{countOf(filter ? (shown ?? o.rows.length) : o.rows.length, o.rows.length, 'secret')}</span> : null}
      </div>
      {overview.error ? <ErrorBanner error={overview.error} onRetry={overview.reload} /> : null}
      {!o && !overview.error ? <Loading what="this caller's secrets" /> : null}
      {o?.refused ? (
        <p className="state error" role="note">
          <Icon name="refused" /> {o.refused}
        </p>
      ) : null}
      {o?.note ? (
        <p className="muted small" role="note">
          <Icon name="info" /> {o.note}
        </p>
      ) : null}
      {o && !o.refused ? (
        <DataTable
          label={`Secrets of ${o.functionName} called with ${o.keyName ? `key ${o.keyName}` : 'no key'}`}
          columns={columns}
          data={o.rows}
          getRowId={(r) => r.name}
          template="minmax(160px,1.6fr) repeat(4, minmax(84px,1fr)) 120px"
          filter={filter}
          filterColumns={['name']}
          onRowCount={setShown}
          noMatch={`No secret matches “${filter}”.`}
        />
      ) : null}
    </div>
  );
}

function callerColumns(o: CallerOverview | null | undefined, inspect: (name: string) => void): Column<Row>[] {
  const record = (s: Scope) => (s === 'key' ? o?.keyName : s === 'group' ? o?.groupName : s === 'function' ? o?.functionName : 'global');
  return [
    { id: 'name', accessorKey: 'name', header: 'Secret', sortFn: 'alphanumeric', cell: (c) => <span className="mono strong">{c.row.original.name}</span> },
    ...SCOPES_BY_PRECEDENCE.map(
      (s): Column<Row> => ({
        id: s,
        accessorFn: (r) => (r.winner === s ? 2 : r.defined[s] ? 1 : 0),
        sortFn: 'basic',
        header: () => (
          <span title={record(s) ?? ''}>
            <ScopeIcon scope={s} /> {SCOPE_LABEL[s]}
          </span>
        ),
        cell: (c) => {
          const r = c.row.original;
          if (r.winner === s) {
            return (
              <span className={`caller-cell wins win-${s}`} data-testid={`cell-${r.name}-${s}`}>
                <span aria-hidden="true">{SCOPE_MARK[s]}</span> <Icon name="ok" /> wins
              </span>
            );
          }
          if (r.defined[s]) {
            return (
              <span className="caller-cell shadowed" data-testid={`cell-${r.name}-${s}`}>
                shadowed
              </span>
            );
          }
          return <span className="muted" aria-label="not defined">·</span>;
        },
      }),
    ),
    {
      id: 'inspect',
      header: () => <span className="sr-only">Inspect</span>,
      enableSorting: false,
      cell: (c) => (
        <span className="row-actions">
          <button type="button" className="link" onClick={() => inspect(c.row.original.name)} aria-label={`Inspect ${c.row.original.name}`}>
            Inspect
          </button>
        </span>
      ),
    },
  ];
}
