// Values a scope does not define but inherits, greyed, with where each comes from and
// "Override here" — as Doppler shows inherited config beside a project's own.
import { useMemo, useState, type ReactNode } from 'react';
import type { InheritedSecret } from '../../../../shared/contract';
import { crude } from '../../api/client';
import { DataTable, type Column } from '../../components/DataTable';
import { countOf } from '../../components/format';
import { Icon } from '../../components/Icon';
import { MaskedValue } from '../../components/MaskedValue';
import { ScopeBadge } from '../../components/ScopeBadge';
import { ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import type { ScopeRef } from './scopeText';

export function InheritedSecrets({ scope, filter, onOverride }: { scope: ScopeRef; filter: string; onOverride: (name: string) => void }): ReactNode {
  const q = useQuery(() => crude().secrets.inherited({ scope: scope.scope, scopeId: scope.scopeId }), [scope.scope, scope.scopeId], ['secrets.', 'keys.', 'groups.']);
  const [shown, setShown] = useState<number | null>(null);
  const columns = useMemo(() => inheritedColumns(onOverride), [onOverride]);
  const label = `Inherited by ${scope.scope} ${scope.recordName ?? ''}`.trim();
  return (
    <section className="inherited" aria-labelledby="inherited-h">
      <div className="toolbar">
        <h3 id="inherited-h" className="h4">
          Inherited values
        </h3>
        <span className="muted small">
          {scope.scope === 'group'
            ? 'Global values reach this group’s callers unless a function secret of the called function answers first.'
            : scope.scope === 'key'
              ? 'From the key’s group, then global; a function secret of the called function answers before global.'
              : 'Global values this function gets unless a caller’s group or key defines its own.'}
        </span>
        <span className="grow" />
        {q.data ? <span className="muted small">{countOf(filter ? (shown ?? q.data.length) : q.data.length, q.data.length, 'inherited secret')}</span> : null}
      </div>
      {q.error ? <ErrorBanner error={q.error} onRetry={q.reload} /> : null}
      {!q.data && !q.error ? <Loading what="inherited values" /> : null}
      {q.data && q.data.length === 0 ? <p className="muted">Nothing is inherited: this scope defines every name that reaches it.</p> : null}
      {q.data && q.data.length > 0 ? (
        <DataTable
          label={label}
          columns={columns}
          data={q.data}
          getRowId={(s) => `i${s.secretId}`}
          template="minmax(140px,1.2fr) minmax(150px,1fr) minmax(120px,1fr) 150px"
          filter={filter}
          filterColumns={['name']}
          maxHeight="40vh"
          rowClassName={() => 'inherited-row'}
          onRowCount={setShown}
          noMatch={`No inherited secret matches “${filter}”.`}
        />
      ) : null}
    </section>
  );
}

function inheritedColumns(onOverride: (name: string) => void): Column<InheritedSecret>[] {
  return [
    { id: 'name', accessorKey: 'name', header: 'Name', sortFn: 'alphanumeric', cell: (c) => <span className="mono">{c.row.original.name}</span> },
    {
      id: 'value',
      header: 'Value',
      enableSorting: false,
      cell: (c) => (
        <MaskedValue
          slot={`inherited-${c.row.original.secretId}`}
          label={`inherited ${c.row.original.name}`}
          reveal={async () => (await crude().secrets.reveal({ id: c.row.original.secretId })).value}
        />
      ),
    },
    { id: 'from', accessorKey: 'from', header: 'From', sortFn: 'alphanumeric', cell: (c) => <ScopeBadge scope={c.row.original.from} name={c.row.original.fromRecordName} /> },
    {
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      enableSorting: false,
      cell: (c) => (
        <span className="row-actions">
          <button type="button" onClick={() => onOverride(c.row.original.name)} aria-label={`Override here: ${c.row.original.name}`}>
            <Icon name="add" /> Override here
          </button>
        </span>
      ),
    },
  ];
}
