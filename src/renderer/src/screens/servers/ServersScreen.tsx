// Servers: the Crude Functions servers this app syncs with (staging, production…), and
// for the chosen one: pull, diff and push.
import { Icon } from '../../components/Icon';
import { useMemo, useState, type ReactNode } from 'react';
import type { ServerCheck, ServerConnection } from '../../../../shared/sync';
import { crude, errorMessage } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatWhen, plural } from '../../components/format';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { Tabs } from '../../components/Tabs';
import { useQuery } from '../../hooks/useQuery';
import { useRoute } from '../../shell/route';
import { DiffPanel } from './DiffPanel';
import { PullPanel } from './PullPanel';
import { PushPanel } from './PushPanel';
import { ServerForm } from './ServerForm';
import './servers.css';

type Tab = 'pull' | 'diff' | 'push';
type Dialogs = { kind: 'add' } | { kind: 'edit'; server: ServerConnection } | { kind: 'remove'; server: ServerConnection } | null;

/** `serverName`: the server the route names (#/servers/<name>); the first one otherwise. */
export function ServersScreen({ serverName }: { serverName?: string }): ReactNode {
  const servers = useQuery(() => crude().servers.list({}), [], ['servers.', 'sync.']);
  const { replace } = useRoute();
  const [dialog, setDialog] = useState<Dialogs>(null);
  const list = servers.data;
  const selected = list?.find((s) => s.name === serverName) ?? list?.[0] ?? null;
  const select = (name?: string) => replace({ screen: 'servers', server: name });
  const taken = useMemo(() => new Set((list ?? []).map((s) => s.name)), [list]);

  return (
    <div className="screen">
      <div className="toolbar">
        <h1 tabIndex={-1}>
          <Icon name="server" /> Servers
        </h1>
        <span className="grow" />
        <button type="button" className="primary" onClick={() => setDialog({ kind: 'add' })}>
          <Icon name="add" /> Add server
        </button>
      </div>
      <p className="muted scope-explain">
        Connect to your Crude Functions servers with a management key. Pull their functions, handler files, keys and secrets in; compare what
        each handler reads here and there; push your changes back, after a preview.
      </p>
      {servers.error && !list ? <ErrorBanner error={servers.error} onRetry={servers.reload} /> : null}
      {!list && !servers.error ? <Loading what="servers" /> : null}
      {list && list.length === 0 ? (
        <EmptyState
          title="No server yet"
          action={
            <button type="button" className="primary" onClick={() => setDialog({ kind: 'add' })}>
              Add a server
            </button>
          }
        >
          You need its management API URL (port 9000 by default) and a key of its <code>management</code> group.
        </EmptyState>
      ) : null}
      {list && list.length > 0 && selected ? (
        <div className="master-detail">
          <ul className="group-list" aria-label="Servers">
            {list.map((s) => (
              <li key={s.id}>
                <button type="button" className={s.id === selected.id ? 'active' : ''} aria-current={s.id === selected.id ? 'true' : undefined} onClick={() => select(s.name)}>
                  <span className="strong">
                    <Icon name="server" /> {s.name}
                  </span>
                  <span className="muted small ellipsis">{s.url}</span>
                  {s.keyProblem ? <span className="bad small"><Icon name="warn" /> key must be entered again</span> : s.insecure ? <span className="warn small"><Icon name="warn" /> not encrypted (http)</span> : null}
                </button>
              </li>
            ))}
          </ul>
          <ServerDetail key={selected.id} server={selected} onEdit={() => setDialog({ kind: 'edit', server: selected })} onRemove={() => setDialog({ kind: 'remove', server: selected })} />
        </div>
      ) : null}
      {dialog?.kind === 'add' || dialog?.kind === 'edit' ? (
        <ServerForm existing={dialog.kind === 'edit' ? dialog.server : undefined} taken={taken} onClose={() => setDialog(null)} onSaved={(s) => select(s.name)} />
      ) : null}
      {dialog?.kind === 'remove' ? (
        <ConfirmDialog
          title={`Remove server ${dialog.server.name}?`}
          confirmLabel="Remove server"
          onConfirm={async () => {
            await crude().servers.delete({ id: dialog.server.id });
            select(undefined);
          }}
          onClose={() => setDialog(null)}
        >
          <p>
            This app forgets <strong>{dialog.server.name}</strong> ({dialog.server.url}) and its management key. Nothing on the server and
            nothing pulled from it is deleted.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function ServerDetail({ server, onEdit, onRemove }: { server: ServerConnection; onEdit: () => void; onRemove: () => void }): ReactNode {
  const [tab, setTab] = useState<Tab>('pull');
  const [check, setCheck] = useState<{ ok: ServerCheck } | { error: string } | null>(null);
  const [testing, setTesting] = useState(false);
  const test = async () => {
    setTesting(true);
    setCheck(null);
    try {
      setCheck({ ok: await crude().servers.test({ id: server.id }) });
    } catch (e) {
      setCheck({ error: errorMessage(e) });
    } finally {
      setTesting(false);
    }
  };
  return (
    <section className="panel" aria-label={`Server ${server.name}`}>
      <div className="toolbar">
        <h2>
          <Icon name="server" /> {server.name}
        </h2>
        <code className="small">{server.url}</code>
        {server.insecure ? <span className="pill warn" title="The management key crosses the network unencrypted.">http</span> : null}
        <span className="grow" />
        <button type="button" disabled={testing} onClick={() => void test()}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" onClick={onEdit}>
          Edit
        </button>
        <button type="button" className="danger-text" onClick={onRemove}>
          Remove
        </button>
      </div>
      {server.keyProblem ? (
        <div className="state error" role="alert">
          {server.keyProblem}
        </div>
      ) : null}
      {check ? (
        'ok' in check ? (
          <p className="good small" role="status" data-testid="server-check">
            <Icon name="ok" /> Connected: {plural(check.ok.functions, 'function')}, {plural(check.ok.groups, 'group')}, {plural(check.ok.keys, 'key')},{' '}
            {plural(check.ok.secrets, 'secret')}, {plural(check.ok.sources, 'code source')}; encryption key version {check.ok.rotation.currentVersion}
            {check.ok.rotation.isInProgress ? ' (a key rotation is running there)' : ''}.
          </p>
        ) : (
          <div className="state error" role="alert" data-testid="server-check">
            {check.error}
          </div>
        )
      ) : null}
      <dl className="facts small">
        <dt>Management key</dt>
        <dd>stored encrypted, never shown</dd>
        <dt>Last pulled</dt>
        <dd>{formatWhen(server.lastPulledAt)}</dd>
        <dt>Last pushed</dt>
        <dd>{formatWhen(server.lastPushedAt)}</dd>
      </dl>
      <Tabs
        label={`Sync with ${server.name}`}
        tabs={[
          { key: 'pull', label: 'Pull' },
          { key: 'diff', label: 'Diff' },
          { key: 'push', label: 'Push' },
        ]}
        active={tab}
        onChange={setTab}
      />
      <div className="tab-panel" role="tabpanel">
        {tab === 'pull' ? <PullPanel server={server} /> : tab === 'diff' ? <DiffPanel server={server} /> : <PushPanel server={server} />}
      </div>
    </section>
  );
}
