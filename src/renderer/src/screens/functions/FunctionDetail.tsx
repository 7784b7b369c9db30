// One function: header with its definition, and tabs for the handler, its secrets, the
// secrets its code reads, the execution log and Try it. The tab is part of the URL.
import { useState, type ReactNode } from 'react';
import { crude } from '../../api/client';
import { DeleteRecordDialog } from '../../components/DeleteRecordDialog';
import { Icon, type IconName } from '../../components/Icon';
import { ErrorBanner, Loading } from '../../components/States';
import { Tabs } from '../../components/Tabs';
import { useEvent } from '../../hooks/useEvent';
import { useQuery } from '../../hooks/useQuery';
import { useRoute, type FunctionTab, type Route } from '../../shell/route';
import { SecretsPanel } from '../secrets/SecretsPanel';
import { ExecutionLog } from './ExecutionLog';
import { FunctionForm } from './FunctionForm';
import { LastCall } from './FunctionsList';
import { HandlerEditor } from './HandlerEditor';
import { SecretUses } from './SecretUses';
import { TryIt } from './TryIt';
import { TamperedMark } from '../../components/TamperedMark';

const TABS: { key: FunctionTab; label: string; icon: IconName }[] = [
  { key: 'handler', label: 'Handler', icon: 'handler' },
  { key: 'secrets', label: 'Secrets', icon: 'secrets' },
  { key: 'reads', label: 'Secrets this function reads', icon: 'inspect' },
  { key: 'log', label: 'Execution log', icon: 'history' },
  { key: 'try', label: 'Try it', icon: 'play' },
];

type FunctionsRoute = Extract<Route, { screen: 'functions' }>;

export function FunctionDetail({ functionId, route }: { functionId: number; route: FunctionsRoute }): ReactNode {
  const fn = useQuery(() => crude().functions.get({ id: functionId }), [functionId], ['functions.', 'secrets.', 'groups.']);
  const groups = useQuery(() => crude().groups.list({}), [], ['groups.']);
  // A call through Try it or the host changes "last call": the log entry is there when this arrives.
  useEvent('executions.new', (e) => {
    if (e.functionId === functionId) fn.reload();
  });
  const { go, replace } = useRoute();
  const tab = route.tab ?? 'handler';
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
  const groupNames = f.groupIds.map((id) => groups.data?.find((g) => g.id === id)?.name ?? (groups.data ? `#${id}` : '…'));
  const setTab = (t: FunctionTab) => replace({ screen: 'functions', name: f.name, tab: t });
  return (
    <div className="screen">
      <BackLink />
      <div className="toolbar function-head">
        <h1 tabIndex={-1}>
          <Icon name="function" /> {f.name}
        </h1>
        <TamperedMark record={`Function ${f.name}`} tampered={f.tampered} />
        <code className="function-route">
          {f.methods.join(' ')} /run{f.route === '/' ? '' : f.route}
        </code>
        <span className="muted">{groupNames.length ? `requires ${groupNames.join(' or ')}` : 'public'}</span>
        {!f.enabled ? <span className="pill warn">disabled</span> : null}
        <span className="muted nowrap" data-testid="function-last-call">
          last call <LastCall fn={f} />
        </span>
        <span className="grow" />
        <span className="head-actions">
          <button type="button" onClick={() => setDialog('edit')}>
            <Icon name="edit" /> Edit function
          </button>
          <button type="button" className="danger-text" onClick={() => setDialog('delete')}>
            <Icon name="delete" /> Delete function
          </button>
        </span>
      </div>
      {f.description ? <p className="muted scope-explain">{f.description}</p> : null}
      <Tabs label={`Function ${f.name}`} tabs={TABS} active={tab} onChange={setTab} idPrefix={`fn-${f.id}`} />
      <div className="tab-panel" role="tabpanel" id={`fn-${f.id}-panel`} aria-labelledby={`fn-${f.id}-tab-${tab}`}>
        {/* The editor stays mounted so unsaved changes survive a look at another tab. */}
        <div hidden={tab !== 'handler'}>
          <HandlerEditor fn={f} spot={route.file || route.line ? { file: route.file, line: route.line, column: route.column } : undefined} />
        </div>
        {tab === 'secrets' ? <SecretsPanel scope={{ scope: 'function', scopeId: f.id, recordName: f.name }} maxHeight="calc(100vh - 380px)" /> : null}
        {tab === 'reads' ? <SecretUses fn={f} /> : null}
        {tab === 'log' ? <ExecutionLog fn={f} /> : null}
        {tab === 'try' ? <TryIt fn={f} /> : null}
      </div>
      {dialog === 'edit' ? (
        <FunctionForm
          editing={f}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            if (saved.name !== f.name) replace({ screen: 'functions', name: saved.name, tab });
            fn.reload();
          }}
        />
      ) : null}
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

export function BackLink(): ReactNode {
  const { go } = useRoute();
  return (
    <a
      href="#/functions"
      className="link back"
      onClick={(e) => {
        e.preventDefault();
        go({ screen: 'functions' });
      }}
    >
      <Icon name="back" /> All functions
    </a>
  );
}
