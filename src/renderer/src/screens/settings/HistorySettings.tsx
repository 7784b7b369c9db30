// How long secret versions and audit entries are kept.
import { Icon } from '../../components/Icon';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { Settings } from '../../../../shared/types';
import { crude, errorField, errorMessage } from '../../api/client';
import { Field } from '../../components/Field';
import { ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { intProblem } from './intProblem';

export function HistorySettings(): ReactNode {
  const settings = useQuery(() => crude().settings.get({}), [], ['settings.']);
  if (settings.error && !settings.data) return <ErrorBanner error={settings.error} onRetry={settings.reload} />;
  if (!settings.data) return <Loading what="settings" />;
  return (
    <section className="panel settings-section" aria-labelledby="history-h">
      <h2 id="history-h">
        <Icon name="history" /> History and audit
      </h2>
      <p className="small muted">Every secret keeps its earlier values, and every change and disclosure is in the audit log.</p>
      <HistoryForm settings={settings.data} />
    </section>
  );
}

function HistoryForm({ settings }: { settings: Settings }): ReactNode {
  const [versions, setVersions] = useState(String(settings.historyKeepVersions));
  const [days, setDays] = useState(String(settings.historyKeepDays));
  const [audit, setAudit] = useState(String(settings.auditRetention));
  const [msg, setMsg] = useState<{ ok: boolean; text: string; field?: string } | null>(null);
  const problems = {
    historyKeepVersions: intProblem('Versions kept', versions, 1, 1000),
    historyKeepDays: intProblem('Days kept', days, 0, 3650),
    auditRetention: intProblem('Audit entries kept', audit, 100, 10_000_000),
  };
  const problem = Object.values(problems).find(Boolean);
  const fieldError = (f: keyof typeof problems) => problems[f] ?? (msg?.field === f ? msg.text : null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    try {
      await crude().settings.set({ historyKeepVersions: Number(versions), historyKeepDays: Number(days), auditRetention: Number(audit) });
      setMsg({ ok: true, text: 'Settings saved.' });
    } catch (err) {
      setMsg({ ok: false, text: errorMessage(err), field: errorField(err) });
    }
  };
  const edit = (set: (v: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    setMsg(null);
  };
  return (
    <form className="grid-form narrow-form" onSubmit={(e) => void submit(e)} noValidate>
      <Field label="Versions kept per secret" error={fieldError('historyKeepVersions')} hint="At least this many of each secret's latest versions…">
        {(p) => <input {...p} inputMode="numeric" value={versions} onChange={edit(setVersions)} />}
      </Field>
      <Field label="…and every version younger than (days)" error={fieldError('historyKeepDays')} hint="Deleted secrets can be restored for as long as a version is kept.">
        {(p) => <input {...p} inputMode="numeric" value={days} onChange={edit(setDays)} />}
      </Field>
      <Field label="Audit log entries kept" error={fieldError('auditRetention')} hint="The oldest go first; the chain stays verifiable.">
        {(p) => <input {...p} inputMode="numeric" value={audit} onChange={edit(setAudit)} />}
      </Field>
      <div className="actions left">
        <button type="submit" className="primary" disabled={Boolean(problem)}>
          Save settings
        </button>
        {msg ? <span className={msg.ok ? 'good small' : 'field-error'} role="status">{msg.ok || !msg.field ? msg.text : ''}</span> : null}
      </div>
    </form>
  );
}
