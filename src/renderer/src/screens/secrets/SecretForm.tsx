// Create or edit one secret in one scope. Problems show under the field as you type
// (same rules and messages as the server), and the server's answer lands there too.
import { useState, type FormEvent, type ReactNode } from 'react';
import { FormFooter } from '../../components/FormFooter';
import type { SecretSummary } from '../../../../shared/types';
import { secretNameProblem, secretValueProblem, MAX_TEXT_LENGTH } from '../../../../shared/rules';
import { crude, errorField, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { WhatIfPanel } from '../../components/WhatIfPanel';
import type { ProposedChange } from '../../../../shared/types';
import { scopeTitle, type ScopeRef } from './scopeText';
import { CurrentValue } from './CurrentValue';
import { NameWarnings } from './NameWarnings';

interface Props {
  scope: ScopeRef;
  /** Names already used in this scope, for the duplicate check. */
  takenNames: Set<string>;
  editing?: SecretSummary;
  /** A name to start with ("Override here" on an inherited value). */
  initialName?: string;
  onClose: () => void;
  onSaved?: (s: SecretSummary) => void;
}

export function SecretForm({ scope, takenNames, editing, initialName, onClose, onSaved }: Props): ReactNode {
  const [name, setName] = useState(editing?.name ?? initialName ?? '');
  const [value, setValue] = useState('');
  const [comment, setComment] = useState(editing?.comment ?? '');
  const [touched, setTouched] = useState({ name: false });
  const [server, setServer] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const duplicate = name !== editing?.name && takenNames.has(name) ? `A secret named ${name} already exists in this scope.` : null;
  const nameProblem = secretNameProblem(name) ?? duplicate;
  const valueProblem = secretValueProblem(value);
  const commentProblem = comment.length > MAX_TEXT_LENGTH ? `Comment is longer than ${MAX_TEXT_LENGTH} characters.` : null;
  const showName = touched.name || name.length > 0 ? nameProblem : null;
  const serverFor = (f: string) => (server?.field === f ? server.message : null);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setTouched({ name: true });
    if (nameProblem || valueProblem || commentProblem || busy) return;
    setBusy(true);
    setServer(null);
    try {
      const saved = editing
        ? await crude().secrets.update({
            id: editing.id,
            name: name !== editing.name ? name : undefined,
            value: value.length > 0 ? value : undefined,
            comment: comment || null,
          })
        : await crude().secrets.create({ name, value, scope: scope.scope, scopeId: scope.scopeId, comment: comment || null });
      onSaved?.(saved);
      onClose();
    } catch (err) {
      setServer({ field: errorField(err), message: errorMessage(err) });
      setBusy(false);
    }
  };

  const generalError = server && !['name', 'value', 'comment'].includes(server.field ?? '') ? server.message : null;
  // What saving would change for callers, shown before the operator saves.
  const change: ProposedChange | null = nameProblem || valueProblem
    ? null
    : editing
      ? name !== editing.name || value.length > 0
        ? { kind: 'secret.update', id: editing.id, ...(name !== editing.name ? { name } : {}), ...(value.length > 0 ? { value } : {}) }
        : null
      : { kind: 'secret.create', name, scope: scope.scope, scopeId: scope.scopeId ?? null };

  return (
    <Dialog title={editing ? `Edit secret ${editing.name}` : `New secret — ${scopeTitle(scope)}`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Name" error={showName ?? serverFor('name')} hint="Letters, digits, _ and -. Case-sensitive.">
          {(p) => (
            <input
              {...p}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setTouched({ name: true });
              }}
              onBlur={() => setTouched({ name: true })}
            />
          )}
        </Field>
        <NameWarnings name={name} valid={!nameProblem} />
        {editing ? <CurrentValue secret={editing} /> : null}
        <Field
          label="Value"
          error={valueProblem ?? serverFor('value')}
          hint={editing ? 'Leave empty to keep the current value. Shift+Enter for a new line.' : 'Shift+Enter for a new line.'}
        >
          {(p) => (
            <textarea
              {...p}
              rows={3}
              autoComplete="off"
              spellCheck={false}
              className="secret-input"
              data-autofocus={initialName ? true : undefined}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  void submit();
                }
              }}
            />
          )}
        </Field>
        <Field label="Comment (optional)" error={commentProblem ?? serverFor('comment')}>
          {(p) => <input {...p} value={comment} onChange={(e) => setComment(e.target.value)} />}
        </Field>
        <WhatIfPanel change={change} />
        <FormFooter
          error={generalError}
          busy={busy}
          submitLabel={busy ? 'Saving…' : editing ? 'Save secret' : 'Create secret'}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
