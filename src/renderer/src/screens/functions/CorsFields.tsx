// A function's CORS rules in the function form: which browser origins may call it, as the
// platform has them. Empty origins = no CORS: pages of other origins are refused.
import type { ReactNode } from 'react';
import { corsProblem } from '../../../../shared/rules';
import type { CorsConfig } from '../../../../shared/types';
import { Field } from '../../components/Field';

export interface CorsDraft {
  origins: string;
  credentials: boolean;
  maxAge: string;
  allowHeaders: string;
  exposeHeaders: string;
}

const lines = (text: string) => text.split(/[\n,]/).map((l) => l.trim()).filter(Boolean);

export function corsDraftOf(c: CorsConfig | null | undefined): CorsDraft {
  return {
    origins: (c?.origins ?? []).join('\n'),
    credentials: c?.credentials ?? false,
    maxAge: String(c?.maxAge ?? 86_400),
    allowHeaders: (c?.allowHeaders ?? []).join(', '),
    exposeHeaders: (c?.exposeHeaders ?? []).join(', '),
  };
}

/** The settings to save (null: no CORS), or the first problem with the field it concerns. */
export function corsFromDraft(d: CorsDraft): { cors: CorsConfig | null; problem: { field: string; message: string } | null } {
  const origins = lines(d.origins);
  if (origins.length === 0) return { cors: null, problem: null };
  const maxAge = /^\d+$/.test(d.maxAge.trim()) ? Number(d.maxAge.trim()) : Number.NaN;
  const cors: CorsConfig = { origins, credentials: d.credentials, maxAge, allowHeaders: lines(d.allowHeaders), exposeHeaders: lines(d.exposeHeaders) };
  return { cors, problem: corsProblem(cors) };
}

export function CorsFields({ draft, onChange, error }: { draft: CorsDraft; onChange: (d: CorsDraft) => void; error: (field: string) => string | null }): ReactNode {
  const set = (patch: Partial<CorsDraft>) => onChange({ ...draft, ...patch });
  const on = lines(draft.origins).length > 0;
  return (
    <fieldset className="field cors-fields">
      <legend>Browser callers (CORS)</legend>
      <Field
        label="Allowed origins"
        error={error('cors.origins')}
        hint="One per line, like https://app.example.com, or * for any. Empty: pages of other origins cannot call this function."
      >
        {(p) => <textarea {...p} rows={2} className="mono" spellCheck={false} value={draft.origins} onChange={(e) => set({ origins: e.target.value })} placeholder="https://app.example.com" />}
      </Field>
      {on ? (
        <>
          <label className="check">
            <input type="checkbox" checked={draft.credentials} onChange={(e) => set({ credentials: e.target.checked })} /> Allow credentials (cookies, Authorization)
          </label>
          {error('cors.credentials') ? <div className="field-error" role="alert">{error('cors.credentials')}</div> : null}
          <div className="row">
            <Field label="Preflight max age (s)" error={error('cors.maxAge')}>
              {(p) => <input {...p} inputMode="numeric" value={draft.maxAge} onChange={(e) => set({ maxAge: e.target.value })} />}
            </Field>
            <Field label="Allowed request headers" error={error('cors.allowHeaders')} hint="Comma-separated.">
              {(p) => <input {...p} spellCheck={false} value={draft.allowHeaders} onChange={(e) => set({ allowHeaders: e.target.value })} placeholder="Content-Type, X-Trace" />}
            </Field>
            <Field label="Exposed response headers" error={error('cors.exposeHeaders')}>
              {(p) => <input {...p} spellCheck={false} value={draft.exposeHeaders} onChange={(e) => set({ exposeHeaders: e.target.value })} />}
            </Field>
          </div>
        </>
      ) : null}
    </fieldset>
  );
}
