// Groups on the left, the selected group's keys on the right; the group is in the URL.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { ApiKey, ApiKeyGroup } from '../../../../shared/types';
import { crude } from '../../api/client';
import { DataTable, type Column } from '../../components/DataTable';
import { DeleteRecordDialog } from '../../components/DeleteRecordDialog';
import { countOf, plural } from '../../components/format';
import { Icon } from '../../components/Icon';
import { useRoute } from '../../shell/route';
import { MaskedValue } from '../../components/MaskedValue';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { SecretsDialog } from '../secrets/SecretsDialog';
import { GroupForm } from './GroupForm';
import { KeyForm } from './KeyForm';
import { TamperedMark } from '../../components/TamperedMark';

type Dialogs =
  | { kind: 'newGroup' }
  | { kind: 'editGroup'; group: ApiKeyGroup }
  | { kind: 'newKey'; group: ApiKeyGroup }
  | { kind: 'groupSecrets'; group: ApiKeyGroup }
  | { kind: 'keySecrets'; apiKey: ApiKey }
  | { kind: 'deleteGroup'; group: ApiKeyGroup }
  | { kind: 'deleteKey'; apiKey: ApiKey }
  | null;

export function ApiKeysScreen({ groupName }: { groupName?: string }): ReactNode {
  const groups = useQuery(() => crude().groups.list({}), [], ['groups.', 'keys.', 'secrets.']);
  const { replace } = useRoute();
  const [dialog, setDialog] = useState<Dialogs>(null);
  const list = groups.data;
  const selected = list?.find((g) => g.name === groupName) ?? list?.[0] ?? null;
  const select = (g: ApiKeyGroup) => replace({ screen: 'keys', group: g.name });
  const taken = useMemo(() => new Set((list ?? []).map((g) => g.name)), [list]);

  return (
    <div className="screen">
      <div className="toolbar">
        <h1 tabIndex={-1}>
          <Icon name="key" /> API keys
        </h1>
        <span className="grow" />
        <button type="button" className="primary" onClick={() => setDialog({ kind: 'newGroup' })}>
          <Icon name="add" /> New group
        </button>
      </div>
      <p className="muted scope-explain">
        Callers authenticate with a key (header <code>X-API-Key</code>). Every key belongs to a group; functions require groups. Group and key
        secrets give each caller its own values: Key &gt; Group &gt; Function &gt; Global.
      </p>
      {groups.error && !list ? <ErrorBanner error={groups.error} onRetry={groups.reload} /> : null}
      {!list && !groups.error ? <Loading what="API key groups" /> : null}
      {list && list.length === 0 ? (
        <EmptyState
          title="No API key groups yet"
          action={
            <button type="button" className="primary" onClick={() => setDialog({ kind: 'newGroup' })}>
              Create the first group
            </button>
          }
        >
          A group collects the keys of one kind of caller (e.g. <code>shipping</code>). Functions that require a group accept any of its
          keys.
        </EmptyState>
      ) : null}
      {list && list.length > 0 && selected ? (
        <div className="master-detail">
          <ul className="group-list" aria-label="API key groups">
            {list.map((g) => (
              <li key={g.id}>
                <button
                  type="button"
                  className={g.id === selected.id ? 'active' : ''}
                  aria-current={g.id === selected.id ? 'true' : undefined}
                  onClick={() => select(g)}
                >
                  <span className="strong">
                    <Icon name="group" /> {g.name}
                  </span>{' '}
                  <TamperedMark record={`Group ${g.name}`} tampered={g.tampered} />
                  <span className="muted small">
                    {plural(g.keyCount, 'key')} · {plural(g.secretCount, 'group secret')}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <GroupDetail group={selected} setDialog={setDialog} />
        </div>
      ) : null}
      <DialogHost dialog={dialog} close={() => setDialog(null)} taken={taken} onGroupCreated={select} />
    </div>
  );
}

function GroupDetail({ group, setDialog }: { group: ApiKeyGroup; setDialog: (d: Dialogs) => void }): ReactNode {
  const keys = useQuery(() => crude().keys.list({ groupId: group.id }), [group.id], ['keys.', 'secrets.', 'groups.']);
  const columns = useMemo(() => keyColumns(setDialog), [setDialog]);
  const [filter, setFilter] = useState('');
  const [shown, setShown] = useState<number | null>(null);
  const onRowCount = useCallback((n: number) => setShown(n), []);
  const list = keys.data;
  return (
    <section className="panel" aria-label={`Group ${group.name}`}>
      <div className="toolbar">
        <h2>
          <Icon name="group" /> {group.name}
        </h2>
        <TamperedMark record={`Group ${group.name}`} tampered={group.tampered} />
        {group.description ? <span className="muted">{group.description}</span> : null}
        <span className="grow" />
        <span className="head-actions">
          {/* The visible text is the name: "Group secrets (1)" (WCAG: label in name). */}
          <button type="button" onClick={() => setDialog({ kind: 'groupSecrets', group })}>
            <Icon name="secrets" /> Group secrets ({group.secretCount})
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'editGroup', group })}>
            <Icon name="edit" /> Edit group
          </button>
          <button type="button" className="danger-text" onClick={() => setDialog({ kind: 'deleteGroup', group })}>
            <Icon name="delete" /> Delete group
          </button>
        </span>
      </div>
      <div className="toolbar">
        {list && list.length > 0 ? (
          <input
            type="search"
            className="filter"
            placeholder="Filter keys"
            aria-label="Filter keys"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        ) : null}
        <span className="grow" />
        {list ? <span className="muted">{countOf(filter ? (shown ?? list.length) : list.length, list.length, 'key')}</span> : null}
        <button type="button" className="primary" onClick={() => setDialog({ kind: 'newKey', group })}>
          <Icon name="add" /> New key
        </button>
      </div>
      {keys.error ? <ErrorBanner error={keys.error} onRetry={keys.reload} /> : null}
      {!list && !keys.error ? <Loading what="keys" /> : null}
      {list && list.length === 0 ? (
        <EmptyState
          title={`Group ${group.name} has no keys yet`}
          action={
            <button type="button" className="primary" onClick={() => setDialog({ kind: 'newKey', group })}>
              Create the first key
            </button>
          }
        >
          A key lets one caller in with this group's rights; its own secrets override the group's.
        </EmptyState>
      ) : null}
      {list && list.length > 0 ? (
        <DataTable
          label={`Keys of group ${group.name}`}
          columns={columns}
          data={list}
          getRowId={(k) => String(k.id)}
          template="minmax(130px,1.2fr) minmax(150px,1fr) minmax(100px,1.2fr) 70px 190px"
          collapse={[{ below: 700, template: 'minmax(120px,1fr) minmax(150px,1fr) 70px 190px', hide: ['description'] }]}
          filter={filter}
          onRowCount={onRowCount}
          filterColumns={['name', 'description']}
          noMatch={`No key matches “${filter}”.`}
        />
      ) : null}
    </section>
  );
}

function keyColumns(setDialog: (d: Dialogs) => void): Column<ApiKey>[] {
  return [
    { id: 'name', accessorKey: 'name', header: 'Key', sortFn: 'alphanumeric', cell: (c) => (
        <span className="mono strong" title={c.row.original.name}>
          {c.row.original.name} <TamperedMark record={`Key ${c.row.original.name}`} tampered={c.row.original.tampered} />
        </span>
      ) },
    {
      id: 'value',
      header: 'Value',
      enableSorting: false,
      cell: (c) => (
        <MaskedValue
          slot={`key-${c.row.original.id}`}
          label={`key ${c.row.original.name}`}
          reveal={async (purpose) => (await crude().keys.reveal({ id: c.row.original.id, purpose })).value}
        />
      ),
    },
    { id: 'description', accessorFn: (k) => k.description ?? '', header: 'Description', sortFn: 'alphanumeric', cell: (c) => <span className="ellipsis">{c.row.original.description ?? ''}</span> },
    { id: 'secrets', accessorKey: 'secretCount', header: 'Secrets', sortFn: 'basic' },
    {
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      enableSorting: false,
      cell: (c) => (
        <span className="row-actions">
          <button type="button" onClick={() => setDialog({ kind: 'keySecrets', apiKey: c.row.original })} aria-label={`Secrets of key ${c.row.original.name}`}>
            <Icon name="secrets" /> Secrets
          </button>
          <button type="button" className="danger-text" onClick={() => setDialog({ kind: 'deleteKey', apiKey: c.row.original })} aria-label={`Delete key ${c.row.original.name}`}>
            <Icon name="delete" /> Delete
          </button>
        </span>
      ),
    },
  ];
}

function DialogHost({
  dialog,
  close,
  taken,
  onGroupCreated,
}: {
  dialog: Dialogs;
  close: () => void;
  taken: Set<string>;
  onGroupCreated: (g: ApiKeyGroup) => void;
}): ReactNode {
  const keysOfGroup = useQuery(
    () => (dialog?.kind === 'newKey' ? crude().keys.list({ groupId: dialog.group.id }) : Promise.resolve([] as ApiKey[])),
    [dialog?.kind === 'newKey' ? dialog.group.id : null],
  );
  const keyNames = useMemo(() => new Set((keysOfGroup.data ?? []).map((k) => k.name)), [keysOfGroup.data]);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'newGroup':
      return <GroupForm takenNames={taken} onClose={close} onSaved={onGroupCreated} />;
    case 'editGroup':
      return <GroupForm takenNames={taken} editing={dialog.group} onClose={close} onSaved={() => {}} />;
    case 'newKey':
      return <KeyForm group={dialog.group} takenNames={keyNames} onClose={close} onSaved={() => {}} />;
    case 'groupSecrets':
      return <SecretsDialog scope={{ scope: 'group', scopeId: dialog.group.id, recordName: dialog.group.name }} onClose={close} />;
    case 'keySecrets':
      return <SecretsDialog scope={{ scope: 'key', scopeId: dialog.apiKey.id, recordName: dialog.apiKey.name }} onClose={close} />;
    case 'deleteGroup':
      return (
        <DeleteRecordDialog kind="group" id={dialog.group.id} name={dialog.group.name} onClose={close} onDelete={() => crude().groups.delete({ id: dialog.group.id })} />
      );
    case 'deleteKey':
      return (
        <DeleteRecordDialog kind="key" id={dialog.apiKey.id} name={dialog.apiKey.name} onClose={close} onDelete={() => crude().keys.delete({ id: dialog.apiKey.id })} />
      );
  }
}
