import { useState, type FormEvent, type ReactNode } from 'react';
import { MAX_LOCAL_HOSTS, localTargetProblem } from '../../../../shared/rules';
import type { Settings } from '../../../../shared/types';
import { crude, errorField, errorMessage } from '../../api/client';
import { Field } from '../../components/Field';
import { ErrorBanner, Loading } from '../../components/States';
import { Icon } from '../../components/Icon';
import type { HostStatus } from '../../../../shared/types';
import { useQuery } from '../../hooks/useQuery';
import { intProblem } from './intProblem';

/** Function host port, the handler sandbox's limits, and how many executions the log keeps per function. */
export function HostSettings(): ReactNode {
  const settings = useQuery(() => crude().settings.get({}), [], ['settings.']);
  const host = useQuery(() => crude().host.status({}), [], ['settings.']);
  const info = useQuery(() => crude().app.info({}), []);
  if (settings.error && !settings.data) return <ErrorBanner error={settings.error} onRetry={settings.reload} />;
  if (!settings.data) return <Loading what="settings" />;
  return (
    <section className="panel settings-section" aria-labelledby="host-h">
      <h2 id="host-h">
        <Icon name="function" /> Function host
      </h2>
      <p className="small">
        {host.data?.running && host.data.url ? (
          <>
            Running at <code>{host.data.url}</code>
            {host.data.requestedPort !== settings.data.hostPort ? (
              <span className="muted">
                {' '}
                — started with {host.data.requestedPort === 0 ? 'any free port' : `port ${host.data.requestedPort}`} (a saved change or{' '}
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
      <HostForm settings={settings.data} host={host.data} />
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

function localHostsProblem(text: string): string | null {
  const entries = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (entries.length > MAX_LOCAL_HOSTS) return `At most ${MAX_LOCAL_HOSTS} entries.`;
  for (const e of entries) {
    const p = localTargetProblem(e);
    if (p) return p;
  }
  return null;
}

/** The port field's hint: the saved port is not always the one in use (--host-port, a taken port). */
function portHint(saved: number, host: HostStatus | undefined): string {
  const base = '0 picks a free port at each start.';
  if (!host?.running || host.port === null || host.port === saved) return base;
  return `Saved: ${saved === 0 ? 'any free port' : saved}, used from the next start. Running now on port ${host.port}. ${base}`;
}

function HostForm({ settings, host }: { settings: Settings; host: HostStatus | undefined }): ReactNode {
  const [port, setPort] = useState(String(settings.hostPort));
  const [retention, setRetention] = useState(String(settings.logRetention));
  const [timeout, setTimeoutText] = useState(String(settings.requestTimeoutMs / 1000));
  const [memory, setMemory] = useState(String(settings.handlerMemoryMb));
  const [localHosts, setLocalHosts] = useState(settings.handlerLocalHosts.join('\n'));
  const [msg, setMsg] = useState<{ ok: boolean; text: string; field?: string } | null>(null);
  const portProblem = intProblem('Port', port, 0, 65535);
  const retentionProblem = intProblem('Log retention', retention, 1, 100000);
  const timeoutProblem = intProblem('Timeout', timeout, 1, 600);
  const memoryProblem = intProblem('Memory limit', memory, 64, 8192);
  const hostsProblem = localHostsProblem(localHosts);
  const problem = portProblem || retentionProblem || timeoutProblem || memoryProblem || hostsProblem;
  const edit = (set: (v: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    setMsg(null);
  };
  const fieldError = (own: string | null, field: string) => own ?? (msg?.field === field ? msg.text : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    try {
      await crude().settings.set({
        hostPort: Number(port),
        logRetention: Number(retention),
        requestTimeoutMs: Number(timeout) * 1000,
        handlerMemoryMb: Number(memory),
        handlerLocalHosts: localHosts.split('\n').map((l) => l.trim()).filter(Boolean),
      });
      setMsg({ ok: true, text: 'Settings saved.' });
    } catch (err) {
      setMsg({ ok: false, text: errorMessage(err), field: errorField(err) });
    }
  };
  return (
    <form className="grid-form narrow-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Host port (saved)" error={fieldError(portProblem, 'hostPort')} hint={portHint(settings.hostPort, host)}>
          {(p) => <input {...p} inputMode="numeric" value={port} onChange={edit(setPort)} />}
        </Field>
        <Field label="Execution log entries kept per function" error={fieldError(retentionProblem, 'logRetention')}>
          {(p) => <input {...p} inputMode="numeric" value={retention} onChange={edit(setRetention)} />}
        </Field>
        <Field label="Handler timeout (seconds)" error={fieldError(timeoutProblem, 'requestTimeoutMs')} hint="A request that takes longer is answered 504 and its handler process is replaced.">
          {(p) => <input {...p} inputMode="numeric" value={timeout} onChange={edit(setTimeoutText)} />}
        </Field>
        <Field label="Handler memory limit (MB)" error={fieldError(memoryProblem, 'handlerMemoryMb')} hint="For each handler process, everything it allocates; past it, the request is answered 507.">
          {(p) => <input {...p} inputMode="numeric" value={memory} onChange={edit(setMemory)} />}
        </Field>
        <Field
          label="Local addresses handlers may reach"
          error={fieldError(hostsProblem, 'handlerLocalHosts')}
          hint="One host:port per line, e.g. 127.0.0.1:5432 for a local database. Handlers reach the internet, but no other port on this machine, and never this app."
        >
          {(p) => <textarea {...p} rows={3} className="mono" value={localHosts} onChange={edit(setLocalHosts)} placeholder="127.0.0.1:5432" />}
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
