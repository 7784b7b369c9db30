// The encrypted backup: make one (a .cfbackup file sealed under a passphrase), restore one
// (the current installation is kept aside, not deleted), and when to be reminded.
import { Icon } from '../../components/Icon';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { BackupStatus } from '../../../../shared/types';
import { crude, errorField, errorMessage } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { downloadText, readPickedFile } from '../../components/files';
import { formatWhen } from '../../components/format';
import { ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { PassphraseForm } from './PassphraseForm';

const MAX_BACKUP_BYTES = 256 * 1024 * 1024;

export function BackupPanel(): ReactNode {
  // Every change may make the last backup stale: refresh on any of them.
  const status = useQuery(() => crude().backup.status({}), [], ['']);
  if (status.error && !status.data) return <ErrorBanner error={status.error} onRetry={status.reload} />;
  if (!status.data) return <Loading what="backup status" />;
  const s = status.data;
  return (
    <section className="panel settings-section" aria-labelledby="backup-h" id="backup">
      <h2 id="backup-h">
        <Icon name="backup" /> Backup
      </h2>
      <p className="small muted">
        One encrypted file with the whole installation — functions, handler files, groups, keys, secrets with their history,
        settings, the audit log — and the encryption keys, so the database and its keys are never lost apart.
      </p>
      <dl className="facts">
        <dt>Last backup</dt>
        <dd data-testid="last-backup" title={s.lastBackupAt ?? undefined}>{s.lastBackupAt ? formatWhen(s.lastBackupAt) : 'never'}</dd>
        <dt>Changes since</dt>
        <dd>{s.unsavedChanges ? <span className={s.due ? 'warn-text' : ''}>yes, last {formatWhen(s.lastChangeAt!)}</span> : 'none'}</dd>
      </dl>
      <CreateBackup onCreated={status.reload} />
      <ReminderForm status={s} />
      <RestoreBackup />
    </section>
  );
}

function CreateBackup({ onCreated }: { onCreated: () => void }): ReactNode {
  return (
    <PassphraseForm
      title="Create a backup"
      submitLabel="Create backup"
      busyLabel="Sealing the backup…"
      hint="Nobody can open the backup without it — not even this app. Write it down somewhere safe."
      onSubmit={async (passphrase) => {
        const b = await crude().backup.create({ passphrase });
        downloadText(b.fileName, b.content, 'application/octet-stream');
        onCreated();
        return `Saved ${b.fileName}. Keep the passphrase apart from the file.`;
      }}
    />
  );
}

function ReminderForm({ status }: { status: BackupStatus }): ReactNode {
  const [days, setDays] = useState(String(status.reminderDays));
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const problem = !/^\d+$/.test(days) || Number(days) > 365 ? 'A whole number of days from 0 to 365.' : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    try {
      await crude().settings.set({ backupReminderDays: Number(days) });
      setMsg({ ok: true, text: 'Saved.' });
    } catch (err) {
      setMsg({ ok: false, text: errorMessage(err) });
    }
  };
  return (
    <form className="grid-form narrow-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Backup reminder">
      <Field label="Remind me when changes wait for a backup longer than (days)" error={problem} hint="0 turns the reminder off.">
        {(p) => (
          <input
            {...p}
            inputMode="numeric"
            value={days}
            onChange={(e) => {
              setDays(e.target.value);
              setMsg(null);
            }}
          />
        )}
      </Field>
      <div className="actions left">
        <button type="submit" disabled={Boolean(problem)}>
          Save reminder
        </button>
        {msg ? <span className={msg.ok ? 'good small' : 'field-error'} role="status">{msg.text}</span> : null}
      </div>
    </form>
  );
}

/** The creation time a backup file states on its outside (before it is opened). */
function statedCreatedAt(content: string): string | null {
  try {
    const outer = JSON.parse(content) as { createdAt?: unknown };
    return typeof outer.createdAt === 'string' ? outer.createdAt : null;
  } catch {
    return null;
  }
}

function RestoreBackup(): ReactNode {
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [restored, setRestored] = useState<{ restoredFrom: string; previousDataKeptIn: string } | null>(null);
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);

  const pick = async (f: File | undefined) => {
    if (!f) return;
    setFileError(null);
    setError(null);
    try {
      setFile({ name: f.name, content: await readPickedFile(f, MAX_BACKUP_BYTES) });
    } catch (e) {
      setFileError(errorMessage(e));
    }
  };

  if (restored) {
    return (
      <div className="restore-done" role="status">
        <p className="good">
          Restored the backup made {formatWhen(restored.restoredFrom)}. The installation it replaced is kept in{' '}
          <code>{restored.previousDataKeptIn}</code>.
        </p>
        <button type="button" className="primary" onClick={() => location.reload()} autoFocus>
          Reload the app
        </button>
      </div>
    );
  }

  const created = file ? statedCreatedAt(file.content) : null;
  return (
    <form
      className="grid-form narrow-form"
      aria-label="Restore a backup"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (file && passphrase) setConfirming(true);
      }}
    >
      <h3>Restore a backup</h3>
      <div className="field">
        <span className="label-like">Backup file</span>
        <label className="file-button">
          <input type="file" accept=".cfbackup,application/octet-stream,application/json" aria-label="Backup file" onChange={(e) => void pick(e.target.files?.[0])} />
          <span>{file ? file.name : 'Choose a .cfbackup file…'}</span>
        </label>
        {fileError || error?.field === 'file' ? <div className="field-error" role="alert">{fileError ?? error!.text}</div> : null}
      </div>
      <Field label="Its passphrase" error={error?.field === 'passphrase' ? error.text : null}>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="off"
            value={passphrase}
            onChange={(e) => {
              setPassphrase(e.target.value);
              setError(null);
            }}
          />
        )}
      </Field>
      {error && error.field !== 'file' && error.field !== 'passphrase' ? <p className="field-error" role="alert">{error.text}</p> : null}
      <div className="actions left">
        <button type="submit" disabled={!file || !passphrase}>
          Restore…
        </button>
      </div>
      {confirming && file ? (
        <ConfirmDialog
          title="Replace this installation with the backup?"
          confirmLabel="Restore backup"
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            try {
              setRestored(await crude().backup.restore({ content: file.content, passphrase }));
            } catch (err) {
              // Shown next to the field it concerns; the dialog closes, nothing was changed.
              setError({ text: errorMessage(err), field: errorField(err) });
            }
          }}
        >
          <p>
            Everything in the app now — functions, handler files, groups, keys, secrets and settings — is replaced by the contents of{' '}
            <strong>{file.name}</strong>
            {created ? <> (made {formatWhen(created)})</> : null}.
          </p>
          <p>Nothing is deleted: the current installation is moved into a <code>replaced-…</code> folder inside the data folder.</p>
        </ConfirmDialog>
      ) : null}
    </form>
  );
}
