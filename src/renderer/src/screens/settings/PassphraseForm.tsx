// A new passphrase typed twice, then one action with it: sealing a backup or a recovery
// kit. The minimum length is the one core enforces for both (backup/sealing.ts).
import { useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../../api/client';
import { Field } from '../../components/Field';

const MIN_PASSPHRASE = 12;

function passphraseProblem(p: string): string | null {
  return p.length < MIN_PASSPHRASE ? `At least ${MIN_PASSPHRASE} characters.` : null;
}

interface Props {
  /** The form's accessible name and heading. */
  title: string;
  submitLabel: string;
  busyLabel: string;
  hint: ReactNode;
  /** Does the work; resolves with the line to show when it is done. */
  onSubmit: (passphrase: string) => Promise<string>;
}

export function PassphraseForm({ title, submitLabel, busyLabel, hint, onSubmit }: Props): ReactNode {
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const problem = passphraseProblem(passphrase);
  const mismatch = repeat !== passphrase ? 'The two passphrases differ.' : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem || mismatch) return;
    setBusy(true);
    setMsg(null);
    try {
      setMsg({ ok: true, text: await onSubmit(passphrase) });
      setPassphrase('');
      setRepeat('');
      setTouched(false);
    } catch (err) {
      setMsg({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="grid-form narrow-form" onSubmit={(e) => void submit(e)} noValidate aria-label={title}>
      <h3>{title}</h3>
      <Field label="Passphrase" error={touched ? problem : null} hint={hint}>
        {(p) => <input {...p} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />}
      </Field>
      <Field label="Passphrase again" error={touched ? mismatch : null}>
        {(p) => <input {...p} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />}
      </Field>
      <div className="actions left">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {msg ? <span className={msg.ok ? 'good small' : 'field-error'} role="status">{msg.text}</span> : null}
      </div>
    </form>
  );
}
