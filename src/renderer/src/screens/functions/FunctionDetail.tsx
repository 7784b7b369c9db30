// One function: header with its definition, and tabs for handler, 🔐 secrets,
// the secrets its code reads, the execution log and Try it.
import { useState, type ReactNode } from 'react';
import { crude } from '../../api/client';
import { DeleteRecordDialog } from '../../components/DeleteRecordDialog';
import { ErrorBanner, Loading } from '../../components/States';
import { Tabs } from '../../components/Tabs';
import { useQuery } from '../../hooks/useQuery';
import { useRoute, type FunctionTab } from '../../shell/route';
import { SecretsPanel } from '../secrets/SecretsPanel';
import { ExecutionLog } from './ExecutionLog';
import { FunctionForm } from './FunctionForm';
import { StatusPill } from './FunctionsList';
import { HandlerEditor } from './HandlerEditor';
import { SecretUses } from './SecretUses';
import { TryIt } from './TryIt';
import { TamperedMark } from '../../components/TamperedMark';

const TABS: { key: FunctionTab; label: string }[] = [
  { key: 'handler', label: '📝 Handler' },
  { key: 'secrets', label: '🔐 Secrets' },
  { key: 'reads', label: 'Secrets this function reads' },
  { key: 'log', label: 'Execution log' },
  { key: 'try', label: '▶ Try it' },
];

export function FunctionDetail({ functionId, initialTab }: { functionId: number; initialTab?: FunctionTab }): ReactNode {
  const fn = useQuery(() => crude().functions.get({ id: functionId }), [functionId], ['functions.', 'secrets.', 'groups.']);
  const groups = useQuery(() => crude().groups.list({}), [], ['groups.']);
  const { go } = useRoute();
  const [tab, setTab] = useState<FunctionTab>(initialTab ?? 'handler');
  const [dialog, setDialog] = useState<'edit' | 'delete' | null>(null);
  const f = fn.data;
  if (!f) {
    return (
      <div className="screen">
        <BackLink />
        {fn.error ? <ErrorBanner error={fn.error} onRetry={fn.reload} /> : <Loading what="function" />}
      </div>
    );
  }
  const groupNames = f.groupIds.map((id) => groups.data?.find((g) => g.id === id)?.name ?? `#${id}`);
  return (
    <div className="screen">
      <BackLink />
      <div className="toolbar">
        <h2>⚡ {f.name}</h2>
        <TamperedMark record={`Function ${f.name}`} tampered={f.tampered} />
        <code>{f.methods.join(' ')} /run{f.route === '/' ? '' : f.route}</code>
        <span className="muted">{groupNames.length ? `requires ${groupNames.join(' or ')}` : 'public'}</span>
        {!f.enabled ? <span className="pill warn">disabled</span> : null}
        <span className="muted">last call</span> <StatusPill status={f.lastStatus} />
        <span className="grow" />
        <button type="button" onClick={() => setDialog('edit')}>
          Edit function
        </button>
        <button type="button" className="danger-text" onClick={() => setDialog('delete')}>
          Delete function
        </button>
      </div>
      {f.description ? <p className="muted scope-explain">{f.description}</p> : null}
      <Tabs label={`Function ${f.name}`} tabs={TABS} active={tab} onChange={setTab} />
      <div className="tab-panel" role="tabpanel">
        {/* The editor stays mounted so unsaved changes survive a look at another tab. */}
        <div hidden={tab !== 'handler'}>
          <HandlerEditor path={f.handler} />
        </div>
        {tab === 'secrets' ? <SecretsPanel scope={{ scope: 'function', scopeId: f.id, recordName: f.name }} maxHeight="calc(100vh - 380px)" /> : null}
        {tab === 'reads' ? <SecretUses fn={f} /> : null}
        {tab === 'log' ? <ExecutionLog functionId={f.id} /> : null}
        {tab === 'try' ? <TryIt fn={f} /> : null}
      </div>
      {dialog === 'edit' ? <FunctionForm editing={f} onClose={() => setDialog(null)} onSaved={fn.reload} /> : null}
      {dialog === 'delete' ? (
        <DeleteRecordDialog
          kind="function"
          id={f.id}
          name={f.name}
          onClose={() => setDialog(null)}
          onDelete={async () => {
            await crude().functions.delete({ id: f.id });
            go({ screen: 'functions' });
          }}
        />
      ) : null}
    </div>
  );
}

function BackLink(): ReactNode {
  const { go } = useRoute();
  return (
    <button type="button" className="link back" onClick={() => go({ screen: 'functions' })}>
      ← All functions
    </button>
  );
}
