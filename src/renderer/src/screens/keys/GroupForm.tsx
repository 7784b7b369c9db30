import { useState, type FormEvent, type ReactNode } from 'react';
import { FormFooter } from '../../components/FormFooter';
import type { ApiKeyGroup } from '../../../../shared/types';
import { groupNameProblem, MAX_TEXT_LENGTH } from '../../../../shared/rules';
import { crude, errorField, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';

interface Props {
  takenNames: Set<string>;
  editing?: ApiKeyGroup;
  onClose: () => void;
  onSaved: (g: ApiKeyGroup) => void;
}

export function GroupForm({ takenNames, editing, onClose, onSaved }: Props): ReactNode {
  const [name, setName] = useState(editing?.name ?? '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [touched, setTouched] = useState(false);
  const [server, setServer] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const dup = name !== editing?.name && takenNames.has(name) ? `A group named ${name} already exists.` : null;
  const nameProblem = groupNameProblem(name) ?? dup;
  const descProblem = description.length > MAX_TEXT_LENGTH ? `Description is longer than ${MAX_TEXT_LENGTH} characters.` : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (nameProblem || descProblem || busy) return;
    setBusy(true);
    setServer(null);
    try {
      const g = editing
        ? await crude().groups.update({ id: editing.id, name: name !== editing.name ? name : undefined, description: description || null })
        : await crude().groups.create({ name, description: description || null });
      onSaved(g);
      onClose();
    } catch (err) {
      setServer({ field: errorField(err), message: errorMessage(err) });
      setBusy(false);
    }
  };
  return (
    <Dialog title={editing ? `Edit group ${editing.name}` : 'New API key group'} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Group name"
          error={(touched || name ? nameProblem : null) ?? (server?.field === 'name' ? server.message : null)}
          hint="Lowercase letters, digits, _ and -. Functions require groups by name."
        >
          {(p) => <input {...p} autoFocus autoComplete="off" spellCheck={false} value={name} onChange={(e) => {
                setName(e.target.value);
                setTouched(true);
              }} onBlur={() => setTouched(true)} />}
        </Field>
        <Field label="Description (optional)" error={descProblem ?? (server?.field === 'description' ? server.message : null)}>
          {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <FormFooter
          error={server && server.field !== 'name' && server.field !== 'description' ? server.message : null}
          busy={busy}
          submitLabel={editing ? 'Save group' : 'Create group'}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
