// The audit log: every change and every disclosure, who made it, and what changed — never
// a value. Filters by record, scope, kind and time; exports JSON lines; says plainly when
// the MAC chain is broken and where.
import { Icon } from '../../components/Icon';
import { useMemo, useState, type ReactNode } from 'react';
import type { AuditEntry, AuditRecordKind, Scope } from '../../../../shared/types';
import { crude, errorMessage } from '../../api/client';
import { DataTable, type Column } from '../../components/DataTable';
import { formatWhen } from '../../components/format';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';

const KINDS: { value: '' | AuditRecordKind; label: string }[] = [
  { value: '', label: 'Any record' },
  { value: 'secret', label: 'Secrets' },
  { value: 'key', label: 'API keys' },
  { value: 'group', label: 'Groups' },
  { value: 'function', label: 'Functions' },
];
const ACTIONS = ['', 'secret.', 'secret.revealed', 'secret.copied', 'key.', 'group.', 'function.', 'rotation.', 'key-protection.', 'recovery-kit.', 'settings.', 'admin-api.'];
const SCOPES: ('' | Scope)[] = ['', 'global', 'function', 'group', 'key'];

const entryCount = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'entry' : 'entries'}`;

function detailText(e: AuditEntry): string {
  const d = e.detail;
  const parts: string[] = [];
  if (Array.isArray(d.fields) && d.fields.length) parts.push(`${(d.fields as string[]).join(', ')} changed`);
  const words: Record<string, (v: unknown) => string> = {
    restoredFrom: (v) => `restored from version ${String(v)}`,
    renamedFrom: (v) => `renamed from ${String(v)}`,
    version: (v) => `version ${String(v)}`,
    operation: (v) => `called ${String(v)}`,
  };
  for (const [k, v] of Object.entries(d)) {
    if (k === 'fields') continue;
    parts.push(words[k]?.(v) ?? `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  return parts.join(' · ');
}

function download(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function AuditScreen(): ReactNode {
  const [recordKind, setRecordKind] = useState<'' | AuditRecordKind>('');
  const [action, setAction] = useState('');
  const [scope, setScope] = useState<'' | Scope>('');
  const [text, setText] = useState('');
  const [since, setSince] = useState('');
  const [exportMsg, setExportMsg] = useState<string | null>(null);
  const filter = useMemo(
    () => ({
      ...(recordKind ? { recordKind } : {}),
      ...(action ? { action } : {}),
      ...(scope ? { scope } : {}),
      ...(text.trim() ? { text: text.trim() } : {}),
      ...(since ? { since: new Date(since).toISOString() } : {}),
    }),
    [recordKind, action, scope, text, since],
  );
  const q = useQuery(() => crude().audit.list({ ...filter, limit: 500 }), [JSON.stringify(filter)], ['secrets.', 'keys.', 'groups.', 'functions.', 'rotation.', 'settings.', 'audit.']);
  const columns = useMemo(() => auditColumns(), []);

  const exportLog = async () => {
    setExportMsg(null);
    try {
      const r = await crude().audit.export(filter);
      download(r.fileName, r.jsonl);
      setExportMsg(`Exported ${entryCount(r.entries)} to ${r.fileName}.`);
    } catch (e) {
      setExportMsg(errorMessage(e));
    }
  };

  return (
    <div className="screen">
    <section className="panel" aria-labelledby="audit-h">
      <div className="toolbar">
        <h1 id="audit-h" tabIndex={-1}>
          <Icon name="audit" /> Audit log
        </h1>
        <span className="grow" />
        {q.data ? <span className="muted">{entryCount(q.data.total)}</span> : null}
        <button type="button" onClick={() => void exportLog()}>
          Export JSON lines
        </button>
      </div>
      <p className="muted scope-explain">Every change and every disclosure (a value revealed or copied), with who made it. Values are never recorded: a changed value reads “value changed”.</p>
      {q.data ? (
        q.data.chain.ok ? (
          <p className="good small" role="status" data-testid="audit-chain">
            ✓ The chain of {entryCount(q.data.chain.checked)} is intact: no entry was changed, removed or inserted outside the app.
          </p>
        ) : (
          <div className="state error" role="alert" data-testid="audit-chain">
            The audit log was changed outside the app: the chain breaks at entry #{q.data.chain.brokenAt?.id} ({formatWhen(q.data.chain.brokenAt?.at)}). That entry or one
            before it was edited, removed or inserted; the {entryCount(q.data.chain.checked)} before it are intact.
          </div>
        )
      ) : null}
      {exportMsg ? <p className="small" role="status">{exportMsg}</p> : null}
      <div className="filters" role="group" aria-label="Filter the audit log">
        <label>
          Record
          <select value={recordKind} onChange={(e) => setRecordKind(e.target.value as '' | AuditRecordKind)}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select value={action} onChange={(e) => setAction(e.target.value)}>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a === '' ? 'Any kind' : a.endsWith('.') ? `${a}*` : a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Scope
          <select value={scope} onChange={(e) => setScope(e.target.value as '' | Scope)}>
            {SCOPES.map((s) => (
              <option key={s} value={s}>
                {s === '' ? 'Any scope' : s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Since
          <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
        <label className="grow">
          Name or who
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="RECIPIENT, ops-admin…" />
        </label>
      </div>
      {q.error ? <ErrorBanner error={q.error} onRetry={q.reload} /> : null}
      {!q.data && !q.error ? <Loading what="the audit log" /> : null}
      {q.data && q.data.entries.length === 0 ? <EmptyState title="No entry matches">Change the filters, or make a change: it will be recorded here.</EmptyState> : null}
      {q.data && q.data.entries.length > 0 ? (
        <DataTable label="Audit log" columns={columns} data={q.data.entries} getRowId={(e) => String(e.id)} template="175px 160px minmax(160px,1fr) minmax(140px,1fr) minmax(180px,1.4fr)" maxHeight="calc(100vh - 330px)" />
      ) : null}
    </section>
    </div>
  );
}

function auditColumns(): Column<AuditEntry>[] {
  return [
    { id: 'at', accessorKey: 'at', header: 'When', sortFn: 'alphanumeric', cell: (c) => <span title={c.row.original.at}>{formatWhen(c.row.original.at)}</span> },
    { id: 'action', accessorKey: 'action', header: 'Kind', sortFn: 'alphanumeric', cell: (c) => <code>{c.row.original.action}</code> },
    {
      id: 'record',
      accessorFn: (e) => e.recordName ?? '',
      header: 'Record',
      sortFn: 'alphanumeric',
      cell: (c) => {
        const e = c.row.original;
        return (
          <span className="ellipsis">
            {e.recordName ? <span className="mono strong">{e.recordName}</span> : <span className="muted">—</span>}
            {e.scope ? <span className="muted small"> {e.scope}{e.scopeId ? ` #${e.scopeId}` : ''}</span> : null}
          </span>
        );
      },
    },
    { id: 'actor', accessorKey: 'actor', header: 'Who', sortFn: 'alphanumeric', cell: (c) => <span className="ellipsis" title={c.row.original.actor}>{c.row.original.actor}</span> },
    { id: 'detail', header: 'What changed', enableSorting: false, cell: (c) => <span className="ellipsis small" title={detailText(c.row.original)}>{detailText(c.row.original)}</span> },
  ];
}
