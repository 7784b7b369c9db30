// Add or edit a server: a name, the management API's URL and a management key. The key is
// typed into a password field, sent once, stored encrypted, and never shown again.
import { useState, type FormEvent, type ReactNode } from 'react';
import type { ServerConnection } from '../../../../shared/sync';
import { isInsecureServerUrl, managementKeyProblem, serverNameProblem, serverUrlProblem } from '../../../../shared/sync';
import { crude, errorField, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormFooter } from '../../components/FormFooter';

export function ServerForm({ existing, taken, onClose, onSaved }: { existing?: ServerConnection; taken: Set<string>; onClose: () => void; onSaved: (s: ServerConnection) => void }): ReactNode {
  const [name, setName] = useState(existing?.name ?? '');
  const [url, setUrl] = useState(existing?.url ?? '');
  const [key, setKey] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [server, setServer] = useState<{ field?: string; message: string } | null>(null);
  const problems = {
    name: serverNameProblem(name) ?? (taken.has(name.trim()) && name.trim() !== existing?.name ? `A server named ${name.trim()} already exists.` : null),
    url: serverUrlProblem(url),
    key: existing && key === '' ? null : managementKeyProblem(key),
  };
  const shown = (f: 'name' | 'url' | 'key') => (touched ? problems[f] : null) ?? (server?.field === f ? server.message : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problems.name || problems.url || problems.key || busy) return;
    setBusy(true);
    setServer(null);
    try {
      const saved = existing
        ? await crude().servers.update({ id: existing.id, name: name.trim(), url: url.trim(), ...(key ? { key } : {}) })
        : await crude().servers.create({ name: name.trim(), url: url.trim(), key });
      setKey('');
      onSaved(saved);
      onClose();
    } catch (err) {
      setServer({ field: errorField(err), message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={existing ? `Edit server ${existing.name}` : 'Add a Crude Functions server'} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate className="narrow-form">
        <Field label="Name" error={shown('name')} hint="How this app calls it, e.g. staging or production.">
          {(p) => <input {...p} autoFocus autoComplete="off" spellCheck={false} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field
          label="Management API URL"
          error={shown('url')}
          hint={url && !serverUrlProblem(url) && isInsecureServerUrl(url) ? 'Warning: http:// to another machine: the management key would cross the network unencrypted.' : 'The server’s management port, 9000 by default: https://functions.example.com:9000'}
        >
          {(p) => <input {...p} autoComplete="off" spellCheck={false} inputMode="url" placeholder="https://functions.example.com:9000" value={url} onChange={(e) => setUrl(e.target.value)} />}
        </Field>
        <Field
          label={existing ? 'Management key (leave empty to keep the stored one)' : 'Management key'}
          error={shown('key')}
          hint="A key of a group the server allows on its management API (management by default). Stored encrypted; it is never shown again."
        >
          {(p) => <input {...p} type="password" autoComplete="off" spellCheck={false} value={key} onChange={(e) => setKey(e.target.value)} />}
        </Field>
        <FormFooter error={server && !['name', 'url', 'key'].includes(server.field ?? '') ? server.message : null} busy={busy} submitLabel={existing ? 'Save' : 'Add server'} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
