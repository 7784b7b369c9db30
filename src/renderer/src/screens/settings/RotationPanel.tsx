import { useState, type FormEvent, type ReactNode } from 'react';
import type { RotationResult } from '../../../../shared/types';
import { crude, errorMessage } from '../../api/client';
import { Field } from '../../components/Field';
import { formatWhen } from '../../components/format';
import { ErrorBanner, Loading } from '../../components/States';
import { Icon } from '../../components/Icon';
import { useEvent } from '../../hooks/useEvent';
import { useQuery } from '../../hooks/useQuery';

/** Encryption key version, schedule, and Rotate now with live progress. */
export function RotationPanel(): ReactNode {
  const status = useQuery(() => crude().rotation.status({}), [], ['rotation.', 'settings.']);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<RotationResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEvent('rotation.progress', (p) => setProgress(p));
  useEvent('rotation.finished', (f) => {
    if (f.ok) setResult(f.result);
    else setError(f.message);
    status.reload();
  });

  const rotate = async () => {
    setRunning(true);
    setError(null);
    setResult(null);
    setProgress({ done: 0, total: status.data?.total || 0 });
    try {
      setResult(await crude().rotation.rotateNow({}));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRunning(false);
      status.reload();
    }
  };

  const s = status.data;
  if (status.error && !s) return <ErrorBanner error={status.error} onRetry={status.reload} />;
  if (!s) return <Loading what="encryption status" />;
  const inProgress = running || s.inProgress;
  const p = progress ?? (s.inProgress ? { done: s.done, total: s.total } : null);
  const pct = p && p.total > 0 ? Math.round((p.done / p.total) * 100) : inProgress ? 0 : 100;
  return (
    <section className="panel settings-section" aria-labelledby="enc-h">
      <h2 id="enc-h">
        <Icon name="secrets" /> Encryption
      </h2>
      <dl className="facts">
        <dt>Current key version</dt>
        <dd>
          <strong data-testid="settings-key-version">{s.currentVersion}</strong>
          {s.phasedOutVersion ? <span className="muted"> (phasing out {s.phasedOutVersion})</span> : null}
        </dd>
        <dt>Last rotation</dt>
        <dd title={s.lastRotationAt}>{formatWhen(s.lastRotationAt)}</dd>
        <dt>Next rotation due</dt>
        <dd title={s.nextRotationDue}>{formatWhen(s.nextRotationDue)}</dd>
        <dt>Key file</dt>
        <dd>
          <code>{s.keyFile}</code>
        </dd>
        <dt>Database</dt>
        <dd>
          <code>{s.databaseFile}</code>
        </dd>
      </dl>
      <div className="backup-note" role="note">
        <strong>Back up the key file together with the database.</strong> Either one alone cannot be read: losing the key file loses every
        secret. Back them up again after each rotation. When the OS keychain wraps the keys, a copy of the key file opens only on this
        machine: keep a recovery kit too (Key protection), or make backups in Settings → Backup.
      </div>
      <IntervalForm days={s.intervalDays} />
      <div className="rotate">
        <button type="button" className="primary" disabled={inProgress} onClick={() => void rotate()}>
          {inProgress ? (
            'Rotating…'
          ) : (
            <>
              <Icon name="rotate" /> Rotate now
            </>
          )}
        </button>
        {inProgress || p ? (
          <div className="progress-line">
            <progress max={100} value={pct} aria-label="Rotation progress" data-testid="rotation-progress" />
            <span className="small">{p ? `${p.done} / ${p.total} records re-encrypted` : 'starting…'}</span>
          </div>
        ) : null}
      </div>
      {error ? <div className="state error" role="alert">Rotation failed: {error}</div> : null}
      {result ? (
        <div className="state ok" role="status" data-testid="rotation-result">
          Rotated from key <strong>{result.fromVersion}</strong> to <strong>{result.toVersion}</strong>: {result.reencrypted} records re-encrypted
          {result.skipped.length ? `, ${result.skipped.length} skipped (could not be decrypted before: ${result.skipped.map((x) => x.label).join(', ')})` : ''}.
        </div>
      ) : null}
    </section>
  );
}

function IntervalForm({ days }: { days: number }): ReactNode {
  const [text, setText] = useState(String(days));
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const n = Number(text);
  const problem = !/^\d+$/.test(text) || n < 1 || n > 3650 ? 'Interval must be a whole number of days from 1 to 3650.' : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    try {
      await crude().rotation.setInterval({ days: n });
      setMsg({ ok: true, text: `Rotation every ${n} days.` });
    } catch (err) {
      setMsg({ ok: false, text: errorMessage(err) });
    }
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
      <Field label="Rotate every (days)" error={problem ?? (msg && !msg.ok ? msg.text : null)}>
        {(p) => <input {...p} inputMode="numeric" className="narrow" value={text} onChange={(e) => { setText(e.target.value); setMsg(null); }} />}
      </Field>
      <button type="submit" disabled={Boolean(problem) || text === String(days)}>
        Save interval
      </button>
      {msg?.ok ? <span className="good small" role="status">{msg.text}</span> : null}
    </form>
  );
}
