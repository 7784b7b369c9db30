// Call the function through the local host with a chosen method, path parameters,
// query, headers, body and API key, and see what the handler answered and read.
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { InvokeResult } from '../../../../shared/contract';
import type { FunctionDef, HandlerPhase, HttpMethod } from '../../../../shared/types';
import { crude, errorMessage } from '../../api/client';
import { Field } from '../../components/Field';
import { KeyPicker } from '../../components/KeyPicker';
import { useEvent } from '../../hooks/useEvent';
import { useQuery } from '../../hooks/useQuery';
import { StatusPill } from './FunctionsList';
import { ConsoleList, TraceList } from './TraceList';

type Pair = { k: string; v: string };

export function TryIt({ fn }: { fn: FunctionDef }): ReactNode {
  const keys = useQuery(() => crude().keys.list({}), [], ['keys.']);
  const params = useMemo(() => fn.route.split('/').filter((s) => s.startsWith(':')).map((s) => s.slice(1)), [fn.route]);
  const [method, setMethod] = useState<HttpMethod>(fn.methods[0] ?? 'GET');
  const [paramValues, setParamValues] = useState<Record<string, string>>({});
  const [query, setQuery] = useState<Pair[]>([]);
  const [headers, setHeaders] = useState<Pair[]>([]);
  const [body, setBody] = useState('');
  const [keyChoice, setKeyChoice] = useState<number | null | undefined>(undefined);
  const [result, setResult] = useState<InvokeResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The first call after a change starts a handler process, and may download its npm:/jsr: imports.
  const [phase, setPhase] = useState<HandlerPhase | null>(null);
  useEvent('functions.runtime', (p) => {
    if (p.functionId === fn.id) setPhase(p.phase);
  });
  const waitingFor = !busy ? null : phase === 'fetching-dependencies' ? 'Fetching dependencies…' : phase === 'starting' ? 'Starting the handler…' : 'Calling…';

  // Default key: none for a public function, else the first key of a required group.
  const keyId = keyChoice !== undefined ? keyChoice : fn.groupIds.length ? (keys.data?.find((k) => fn.groupIds.includes(k.groupId))?.id ?? null) : null;
  const path = fn.route
    .split('/')
    .map((s) => (s.startsWith(':') ? encodeURIComponent(paramValues[s.slice(1)] ?? '') : s))
    .join('/');
  const missingParam = params.find((p) => !paramValues[p]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (missingParam || busy) return;
    setBusy(true);
    setError(null);
    try {
      setResult(
        await crude().functions.invoke({
          functionId: fn.id,
          method,
          path,
          query: toRecord(query),
          headers: toRecord(headers),
          body: method === 'GET' || method === 'HEAD' ? undefined : body,
          keyId,
        }),
      );
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tryit">
      <form className="tryit-form" onSubmit={(e) => void send(e)} noValidate aria-label={`Try function ${fn.name}`}>
        <div className="row">
          <Field label="Method">
            {(p) => (
              <select {...p} value={method} onChange={(e) => setMethod(e.target.value as HttpMethod)}>
                {fn.methods.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="API key" hint={fn.groupIds.length ? 'This function requires a key of one of its groups.' : 'Public function: no key needed.'}>
            {(p) => <KeyPicker id={p.id} keys={keys.data ?? []} value={keyId} onChange={setKeyChoice} accepted={fn.groupIds} />}
          </Field>
        </div>
        {params.map((p) => (
          <Field key={p} label={`Path parameter :${p}`} error={paramValues[p] === '' ? `Fill in :${p}.` : null}>
            {(fp) => <input {...fp} value={paramValues[p] ?? ''} onChange={(e) => setParamValues({ ...paramValues, [p]: e.target.value })} />}
          </Field>
        ))}
        <p className="muted small">
          Request: <code>{method} /run{path === '/' ? '' : path}{query.some((q) => q.k) ? `?${query.filter((q) => q.k).map((q) => `${q.k}=…`).join('&')}` : ''}</code>
        </p>
        <PairsEditor label="Query parameters" pairs={query} onChange={setQuery} />
        <PairsEditor label="Headers" pairs={headers} onChange={setHeaders} />
        {method !== 'GET' && method !== 'HEAD' ? (
          <Field label="Body">
            {(p) => <textarea {...p} rows={5} className="mono" value={body} onChange={(e) => setBody(e.target.value)} />}
          </Field>
        ) : null}
        <div className="actions left">
          <button type="submit" className="primary" disabled={busy || Boolean(missingParam)}>
            {waitingFor ?? '▶ Send request'}
          </button>
          <span className="muted small" role="status" data-testid="try-phase">
            {busy && phase === 'fetching-dependencies' ? 'Downloading the npm:, jsr: and URL imports of this handler into the data folder; later calls use them offline.' : ''}
          </span>
          {missingParam ? <span className="field-error">Fill in the path parameter :{missingParam}.</span> : null}
        </div>
        {error ? <div className="state error" role="alert">{error}</div> : null}
      </form>
      {result ? <InvokeView result={result} /> : <p className="muted tryit-empty">The response, console output and the secrets this call read appear here.</p>}
    </div>
  );
}

function InvokeView({ result }: { result: InvokeResult }): ReactNode {
  const pretty = useMemo(() => {
    try {
      return JSON.stringify(JSON.parse(result.body), null, 2);
    } catch {
      return result.body;
    }
  }, [result.body]);
  return (
    <section className="invoke-result" aria-label="Response">
      <div className="toolbar">
        <strong>Status</strong> <span data-testid="try-status"><StatusPill status={result.status} /></span>
        <strong>Time</strong> <span data-testid="try-time">{result.durationMs.toFixed(0)} ms</span>
        <span className="muted small">request {result.requestId}</span>
      </div>
      {result.error ? <div className="state error" role="alert">{result.error}</div> : null}
      <h4>Body{result.bodyTruncated ? ' (truncated)' : ''}</h4>
      <pre className="body" data-testid="try-body">{pretty}</pre>
      <details>
        <summary>Headers ({Object.keys(result.headers).length})</summary>
        <table className="simple">
          <tbody>
            {Object.entries(result.headers).map(([k, v]) => (
              <tr key={k}>
                <td className="mono">{k}</td>
                <td className="mono">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <h4>Console</h4>
      <ConsoleList entries={result.console} />
      <h4>Secrets read</h4>
      <TraceList trace={result.trace} />
    </section>
  );
}

function PairsEditor({ label, pairs, onChange }: { label: string; pairs: Pair[]; onChange: (p: Pair[]) => void }): ReactNode {
  const set = (i: number, patch: Partial<Pair>) => onChange(pairs.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <fieldset className="pairs">
      <legend>{label}</legend>
      {pairs.map((p, i) => (
        <div className="pair" key={i}>
          <input aria-label={`${label} name ${i + 1}`} placeholder="name" value={p.k} onChange={(e) => set(i, { k: e.target.value })} />
          <input aria-label={`${label} value ${i + 1}`} placeholder="value" value={p.v} onChange={(e) => set(i, { v: e.target.value })} />
          <button type="button" className="icon" aria-label={`Remove ${label} row ${i + 1}`} onClick={() => onChange(pairs.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" className="link" onClick={() => onChange([...pairs, { k: '', v: '' }])}>
        + Add {label.toLowerCase().replace(/s$/, '')}
      </button>
    </fieldset>
  );
}

function toRecord(pairs: Pair[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const p of pairs) if (p.k.trim()) out[p.k.trim()] = p.v;
  return Object.keys(out).length ? out : undefined;
}
