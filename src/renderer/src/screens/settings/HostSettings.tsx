import { useState, type FormEvent, type ReactNode } from 'react';
import type { Settings } from '../../../../shared/types';
import { crude, errorField, errorMessage } from '../../api/client';
import { Field } from '../../components/Field';
import { ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';

function intProblem(label: string, text: string, min: number, max: number): string | null {
  if (!/^\d+$/.test(text)) return `${label} must be a whole number.`;
  const n = Number(text);
  return n < min || n > max ? `${label} must be from ${min} to ${max}.` : null;
}

/** Function host port and how many executions the log keeps per function. */
export function HostSettings(): ReactNode {
  const settings = useQuery(() => crude().settings.get({}), [], ['settings.']);
  const host = useQuery(() => crude().host.status({}), [], ['settings.']);
  const info = useQuery(() => crude().app.info({}), []);
  if (settings.error && !settings.data) return <ErrorBanner error={settings.error} onRetry={settings.reload} />;
  if (!settings.data) return <Loading what="settings" />;
  return (
    <section className="panel settings-section" aria-labelledby="host-h">
      <h3 id="host-h">⚡ Function host</h3>
      <p className="small">
        {host.data?.running && host.data.url ? (
          <>
            Running at <code>{host.data.url}</code>
            {host.data.requestedPort !== settings.data.hostPort ? (
              <span className="muted">
                {' '}
                — started with {host.data.requestedPort === 0 ? 'any free port' : `port ${host.data.requestedPort}`} (a saved change or
                <code className="nowrap">--host-port</code>); the port below is used from the next start.
              </span>
            ) : host.data.requestedPort !== 0 && host.data.port !== host.data.requestedPort ? (
              <span className="muted"> — port {host.data.requestedPort} was taken, so the next free one is used.</span>
            ) : null}
          </>
        ) : (
          <span className="bad">Not running{host.data?.error ? `: ${host.data.error}` : ''}</span>
        )}
      </p>
      <HostForm settings={settings.data} />
      {info.data ? (
        <dl className="facts">
          <dt>Mode</dt>
          <dd>{info.data.mode === 'browser' ? 'browser (npm run serve)' : 'desktop window'}</dd>
          <dt>Data folder</dt>
          <dd><code>{info.data.dataDir}</code></dd>
          <dt>Handler files</dt>
          <dd><code>{info.data.codeDir}</code></dd>
          <dt>Version</dt>
          <dd>{info.data.version}</dd>
        </dl>
      ) : null}
    </section>
  );
}

function HostForm({ settings }: { settings: Settings }): ReactNode {
  const [port, setPort] = useState(String(settings.hostPort));
  const [retention, setRetention] = useState(String(settings.logRetention));
  const [msg, setMsg] = useState<{ ok: boolean; text: string; field?: string } | null>(null);
  const portProblem = intProblem('Port', port, 0, 65535);
  const retentionProblem = intProblem('Log retention', retention, 1, 100000);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (portProblem || retentionProblem) return;
    try {
      await crude().settings.set({ hostPort: Number(port), logRetention: Number(retention) });
      setMsg({ ok: true, text: 'Settings saved.' });
    } catch (err) {
      setMsg({ ok: false, text: errorMessage(err), field: errorField(err) });
    }
  };
  return (
    <form className="grid-form narrow-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Host port" error={portProblem ?? (msg?.field === 'hostPort' ? msg.text : null)} hint="0 picks a free port at each start.">
          {(p) => <input {...p} inputMode="numeric" value={port} onChange={(e) => { setPort(e.target.value); setMsg(null); }} />}
        </Field>
        <Field label="Execution log entries kept per function" error={retentionProblem ?? (msg?.field === 'logRetention' ? msg.text : null)}>
          {(p) => <input {...p} inputMode="numeric" value={retention} onChange={(e) => { setRetention(e.target.value); setMsg(null); }} />}
        </Field>
        <div className="actions left">
          <button type="submit" className="primary" disabled={Boolean(portProblem || retentionProblem)}>
            Save settings
          </button>
          {msg ? <span className={msg.ok ? 'good small' : 'field-error'} role="status">{msg.ok || !msg.field ? msg.text : ''}</span> : null}
        </div>
      </form>
  );
}
