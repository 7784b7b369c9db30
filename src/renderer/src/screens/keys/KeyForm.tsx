// Create a key: the server generates the value; it is shown here once, with a copy
// button and a plain instruction to store it now.
import { useState, type FormEvent, type ReactNode } from 'react';
import { FormFooter } from '../../components/FormFooter';
import type { ApiKey, ApiKeyGroup } from '../../../../shared/types';
import { recordNameProblem, MAX_TEXT_LENGTH } from '../../../../shared/rules';
import { crude, errorField, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { useClipboard } from '../../hooks/useClipboard';
import { announce } from '../../components/Announcer';
import { Icon } from '../../components/Icon';

interface Props {
  group: ApiKeyGroup;
  takenNames: Set<string>;
  onClose: () => void;
  onSaved: () => void;
}

export function KeyForm({ group, takenNames, onClose, onSaved }: Props): ReactNode {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState(false);
  const [server, setServer] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<(ApiKey & { value: string }) | null>(null);
  const dup = takenNames.has(name) ? `A key named ${name} already exists in group ${group.name}.` : null;
  const nameProblem = recordNameProblem('Key', name) ?? dup;
  const descProblem = description.length > MAX_TEXT_LENGTH ? `Description is longer than ${MAX_TEXT_LENGTH} characters.` : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (nameProblem || descProblem || busy) return;
    setBusy(true);
    setServer(null);
    try {
      setCreated(await crude().keys.create({ groupId: group.id, name, description: description || null }));
      onSaved();
    } catch (err) {
      setServer({ field: errorField(err), message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  if (created) return <KeyCreated created={created} onClose={onClose} />;
  return (
    <Dialog title={`New key in group ${group.name}`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Key name" error={(touched || name ? nameProblem : null) ?? (server?.field === 'name' ? server.message : null)}>
          {(p) => <input {...p} autoFocus autoComplete="off" spellCheck={false} value={name} onChange={(e) => {
                setName(e.target.value);
                setTouched(true);
              }} onBlur={() => setTouched(true)} />}
        </Field>
        <Field label="Description (optional)" error={descProblem}>
          {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <p className="muted">The key value is generated for you and shown when the key is created.</p>
        <FormFooter error={server && server.field !== 'name' ? server.message : null} busy={busy} submitLabel="Create key" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function KeyCreated({ created, onClose }: { created: ApiKey & { value: string }; onClose: () => void }): ReactNode {
  const { copy, copied, failed } = useClipboard();
  return (
    <Dialog title={`Key ${created.name} created`} onClose={onClose}>
      <div className="store-now" role="alert">
        <strong>Store this key value now.</strong> Put it in the caller's configuration while it is in front of you; you can reveal it
        again later on the API keys screen.
      </div>
      <div className="key-value-box">
        <code data-testid="new-key-value">{created.value}</code>
        <button type="button" className="primary" data-autofocus onClick={() => void copy(created.value).then(() => announce('Copied the key value. The clipboard clears in 30 seconds.'))}>
          <Icon name={copied ? 'copied' : 'copy'} /> {copied ? 'Copied' : 'Copy key'}
        </button>
      </div>
      {failed ? <p className="field-error">Clipboard not available here; select the value and copy it by hand.</p> : null}
      <p className="muted">The clipboard is cleared 30 seconds after copying. Send it as header <code>X-API-Key</code>.</p>
      <div className="actions">
        <button type="button" onClick={onClose}>
          I have stored it
        </button>
      </div>
    </Dialog>
  );
}
