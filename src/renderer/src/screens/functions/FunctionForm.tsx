// Create or edit a function definition. A new function whose handler file does not
// exist yet gets a starter handler from core, so "Try it" works straight away.
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { FormFooter } from '../../components/FormFooter';
import { HTTP_METHODS, type FunctionDef, type HttpMethod } from '../../../../shared/types';
import { handlerPathProblem, recordNameProblem, routeProblem, MAX_TEXT_LENGTH } from '../../../../shared/rules';
import { crude, errorField, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { useQuery } from '../../hooks/useQuery';
import { CorsFields, corsDraftOf, corsFromDraft } from './CorsFields';

interface Props {
  editing?: FunctionDef;
  onClose: () => void;
  onSaved: (f: FunctionDef) => void;
}


export function FunctionForm({ editing, onClose, onSaved }: Props): ReactNode {
  const groups = useQuery(() => crude().groups.list({}), []);
  const fns = useQuery(() => crude().functions.list({}), []);
  const [name, setName] = useState(editing?.name ?? '');
  const [route, setRoute] = useState(editing?.route ?? '/');
  const [methods, setMethods] = useState<HttpMethod[]>(editing?.methods ?? ['GET']);
  const [handler, setHandler] = useState(editing?.handler ?? '');
  const [handlerTouched, setHandlerTouched] = useState(Boolean(editing));
  const [groupIds, setGroupIds] = useState<number[]>(editing?.groupIds ?? []);
  const [description, setDescription] = useState(editing?.description ?? '');
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  const [corsDraft, setCorsDraft] = useState(() => corsDraftOf(editing?.cors));
  const corsParsed = corsFromDraft(corsDraft);
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const handlerPath = handlerTouched ? handler : name ? `${name}.ts` : '';
  const taken = useMemo(() => new Set((fns.data ?? []).filter((f) => f.id !== editing?.id).map((f) => f.name)), [fns.data, editing?.id]);
  const problems = {
    name: recordNameProblem('Function', name) ?? (taken.has(name) ? `A function named ${name} already exists.` : null),
    route: routeProblem(route),
    methods: methods.length === 0 ? 'Choose at least one HTTP method.' : null,
    handler: handlerPathProblem(handlerPath),
    description: description.length > MAX_TEXT_LENGTH ? `Description is longer than ${MAX_TEXT_LENGTH} characters.` : null,
    cors: corsParsed.problem?.message ?? null,
  };
  const corsError = (field: string) =>
    (corsParsed.problem?.field === field ? corsParsed.problem.message : null) ?? (server?.field === field ? server.message : null);
  const show = (f: keyof typeof problems, typed: boolean) =>
    (submitted || typed ? problems[f] : null) ?? (server?.field === f ? server.message : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.values(problems).some(Boolean) || busy) return;
    setBusy(true);
    setServer(null);
    try {
      const input = { name, route, methods, handler: handlerPath, groupIds, description: description || null, enabled, cors: corsParsed.cors };
      const saved = editing ? await crude().functions.update({ id: editing.id, ...input }) : await crude().functions.create(input);
      onSaved(saved);
      onClose();
    } catch (err) {
      setServer({ field: errorField(err), message: errorMessage(err) });
      setBusy(false);
    }
  };

  const known = ['name', 'route', 'methods', 'handler', 'description', 'cors.origins', 'cors.credentials', 'cors.maxAge', 'cors.allowHeaders', 'cors.exposeHeaders'];
  return (
    <Dialog title={editing ? `Edit function ${editing.name}` : 'New function'} onClose={onClose} wide>
      <form onSubmit={(e) => void submit(e)} noValidate className="grid-form">
        <Field label="Function name" error={show('name', name.length > 0)}>
          {(p) => <input {...p} autoFocus autoComplete="off" spellCheck={false} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Route" error={show('route', route !== '/' && route !== (editing?.route ?? ''))} hint={<>Under <code>/run</code>; parameters like <code>/users/:id</code>.</>}>
          {(p) => <input {...p} autoComplete="off" spellCheck={false} value={route} onChange={(e) => setRoute(e.target.value)} />}
        </Field>
        <fieldset className="field">
          <legend>Methods</legend>
          <div className="checks methods">
            {HTTP_METHODS.map((m) => (
              <label key={m} className="check">
                <input
                  type="checkbox"
                  checked={methods.includes(m)}
                  onChange={(e) => setMethods(e.target.checked ? [...methods, m] : methods.filter((x) => x !== m))}
                />
                {m}
              </label>
            ))}
          </div>
          {show('methods', true) ? <div className="field-error" role="alert">{show('methods', true)}</div> : null}
        </fieldset>
        <Field label="Handler file" error={show('handler', handlerTouched)} hint={<>Relative to <code>code/</code>, e.g. <code>{name || 'my-function'}.ts</code>.</>}>
          {(p) => (
            <input
              {...p}
              autoComplete="off"
              spellCheck={false}
              value={handlerPath}
              onChange={(e) => {
                setHandlerTouched(true);
                setHandler(e.target.value);
              }}
            />
          )}
        </Field>
        <fieldset className="field">
          <legend>Required API key groups</legend>
          {groups.data && groups.data.length === 0 ? <p className="muted small">No groups yet: the function is public.</p> : null}
          <div className="checks">
            {(groups.data ?? []).map((g) => (
              <label key={g.id} className="check">
                <input
                  type="checkbox"
                  checked={groupIds.includes(g.id)}
                  onChange={(e) => setGroupIds(e.target.checked ? [...groupIds, g.id] : groupIds.filter((x) => x !== g.id))}
                />
                {g.name}
              </label>
            ))}
          </div>
          <div className="hint">{groupIds.length ? 'Callers need a key of one of these groups.' : 'None checked: anyone can call it (public).'}</div>
        </fieldset>
        <Field label="Description (optional)" error={show('description', true)}>
          {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <CorsFields draft={corsDraft} onChange={setCorsDraft} error={corsError} />
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
        </label>
        <FormFooter
          error={server && !known.includes(server.field ?? '') ? server.message : null}
          busy={busy}
          submitLabel={editing ? 'Save function' : 'Create function'}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
