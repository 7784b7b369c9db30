// Call the function through the local host with a chosen method, path parameters,
// query, headers, body and API key, and see what the handler answered and read. The
// request is kept per function (tabs and screens come and go), with the last requests
// sent, the full URL, and "Copy as cURL".
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { InvokeResult } from '../../../../shared/contract';
import type { FunctionDef, HandlerPhase, HttpMethod } from '../../../../shared/types';
import { crude, errorMessage } from '../../api/client';
import { announce } from '../../components/Announcer';
import { Field } from '../../components/Field';
import { formatAgo } from '../../components/format';
import { HandlerError } from '../../components/HandlerError';
import { Icon } from '../../components/Icon';
import { KeyPicker } from '../../components/KeyPicker';
import { useClipboard } from '../../hooks/useClipboard';
import { useEvent } from '../../hooks/useEvent';
import { useQuery } from '../../hooks/useQuery';
import { StatusPill } from './FunctionsList';
import { ConsoleList, TraceList } from './TraceList';
import { asCurl, draftOf, historyOf, lastResult, remember, saveDraft, saveResult, type Pair, type RequestDraft, type SentRequest } from './tryDrafts';

export function TryIt({ fn }: { fn: FunctionDef }): ReactNode {
  const keys = useQuery(() => crude().keys.list({}), [], ['keys.']);
  const host = useQuery(() => crude().host.status({}), [], ['settings.']);
  const params = useMemo(() => fn.route.split('/').filter((s) => s.startsWith(':')).map((s) => s.slice(1)), [fn.route]);
  const [draft, setDraftState] = useState<RequestDraft>(() =>
    draftOf(fn.id, () => ({ method: fn.methods[0] ?? 'GET', params: {}, query: [], headers: [], body: '', keyId: undefined })),
  );
  const setDraft = (patch: Partial<RequestDraft>) =>
    setDraftState((d) => {
      const next = { ...d, ...patch };
      saveDraft(fn.id, next);
      return next;
    });
  const [result, setResult] = useState<InvokeResult | null>(() => lastResult(fn.id));
  const [history, setHistory] = useState<SentRequest[]>(() => historyOf(fn.id));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The first call after a change starts a handler process, and may download its npm:/jsr: imports.
  const [phase, setPhase] = useState<HandlerPhase | null>(null);
  useEvent('functions.runtime', (p) => {
    if (p.functionId === fn.id) setPhase(p.phase);
  });
  useEvent('host.status', () => host.reload());
  const waitingFor = !busy ? null : phase === 'fetching-dependencies' ? 'Fetching dependencies…' : phase === 'starting' ? 'Starting the handler…' : 'Calling…';
  const { copy, copied } = useClipboard();

  // A method the function no longer answers (edited since) falls back to its first one.
  const method: HttpMethod = fn.methods.includes(draft.method) ? draft.method : (fn.methods[0] ?? 'GET');
  // Default key: none for a public function, else the first key of a required group.
  const keyId = draft.keyId !== undefined ? draft.keyId : fn.groupIds.length ? (keys.data?.find((k) => fn.groupIds.includes(k.groupId))?.id ?? null) : null;
  const path = fn.route
    .split('/')
    .map((s) => (s.startsWith(':') ? encodeURIComponent(draft.params[s.slice(1)] ?? '') : s))
    .join('/');
  const missingParam = params.find((p) => !draft.params[p]);
  // A function that requires a key is not called before the keys are known: the default
  // key would otherwise be "none", and the call refused.
  const keysPending = fn.groupIds.length > 0 && draft.keyId === undefined && !keys.data;
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const queryString = new URLSearchParams(draft.query.filter((q) => q.k.trim()).map((q) => [q.k.trim(), q.v])).toString();
  const base = host.data?.url ?? 'http://127.0.0.1:8000/run';
  const fullUrl = `${base}${path === '/' ? '' : path}${queryString ? `?${queryString}` : ''}`;

  useEffect(() => {
    if (copied) announce('Copied the request as a curl command. The clipboard clears in 30 seconds.');
  }, [copied]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (missingParam || busy || keysPending) return;
    setBusy(true);
    setError(null);
    // The previous response goes: nothing on screen may be mistaken for this call's answer.
    setResult(null);
    try {
      const r = await crude().functions.invoke({
        functionId: fn.id,
        method,
        path,
        query: toRecord(draft.query),
        headers: toRecord(draft.headers),
        body: hasBody ? draft.body : undefined,
        keyId,
      });
      saveResult(fn.id, r);
      setResult(r);
      setHistory(remember(fn.id, { ...draft, method, keyId, at: new Date().toISOString(), path, status: r.status }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const copyCurl = async () => {
    const keyValue = keyId !== null ? (await crude().keys.reveal({ id: keyId })).value : null;
    await copy(asCurl({ method, url: fullUrl, headers: draft.headers, body: hasBody ? draft.body : undefined, keyValue }));
  };

  return (
    <div className="tryit">
      <form className="tryit-form" onSubmit={(e) => void send(e)} noValidate aria-label={`Try function ${fn.name}`}>
        <div className="row">
          <Field label="Method">
            {(p) => (
              <select {...p} value={method} onChange={(e) => setDraft({ method: e.target.value as HttpMethod })}>
                {fn.methods.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="API key" hint={fn.groupIds.length ? 'This function requires a key of one of its groups.' : 'Public function: no key needed.'}>
            {(p) => <KeyPicker id={p.id} keys={keys.data ?? []} value={keyId} onChange={(k) => setDraft({ keyId: k })} accepted={fn.groupIds} />}
          </Field>
        </div>
        {params.map((p) => (
          <Field key={p} label={`Path parameter :${p}`} error={draft.params[p] === '' ? `Fill in :${p}.` : null}>
            {(fp) => <input {...fp} value={draft.params[p] ?? ''} onChange={(e) => setDraft({ params: { ...draft.params, [p]: e.target.value } })} />}
          </Field>
        ))}
        <div className="request-url">
          <span className="muted small">Request</span>
          <code data-testid="try-url">
            {method} {fullUrl}
          </code>
        </div>
        <PairsEditor label="Query parameters" pairs={draft.query} onChange={(query) => setDraft({ query })} />
        <PairsEditor label="Headers" pairs={draft.headers} onChange={(headers) => setDraft({ headers })} />
        {hasBody ? (
          <Field label="Body">
            {(p) => <textarea {...p} rows={5} className="mono" value={draft.body} onChange={(e) => setDraft({ body: e.target.value })} />}
          </Field>
        ) : null}
        <div className="actions left">
          <button type="submit" className="primary" disabled={busy || Boolean(missingParam) || keysPending}>
            {waitingFor ?? (
              <>
                <Icon name="play" /> Send request
              </>
            )}
          </button>
          <button type="button" onClick={() => void copyCurl()} disabled={Boolean(missingParam)}>
            <Icon name={copied ? 'copied' : 'copy'} /> {copied ? 'Copied' : 'Copy as cURL'}
          </button>
        </div>
        <p className="muted small" role="status" data-testid="try-phase">
          {busy && phase === 'fetching-dependencies' ? 'Downloading the npm:, jsr: and URL imports of this handler into the data folder; later calls use them offline.' : ''}
        </p>
        {missingParam ? <p className="field-error">Fill in the path parameter :{missingParam}.</p> : null}
        {error ? <div className="state error" role="alert">{error}</div> : null}
        {history.length > 0 ? <History items={history} keys={keys.data ?? []} onPick={(h) => setDraft({ method: h.method, params: h.params, query: h.query, headers: h.headers, body: h.body, keyId: h.keyId })} /> : null}
      </form>
      {result ? (
        <InvokeView result={result} functionName={fn.name} />
      ) : (
        <p className="muted tryit-empty">{busy ? 'Waiting for the answer…' : 'The response, console output and the secrets this call read appear here.'}</p>
      )}
    </div>
  );
}

function History({ items, keys, onPick }: { items: SentRequest[]; keys: { id: number; name: string }[]; onPick: (h: SentRequest) => void }): ReactNode {
  return (
    <section className="try-history" aria-labelledby="try-history-h">
      <h2 id="try-history-h" className="h4">
        <Icon name="history" /> Last requests
      </h2>
      <ul>
        {items.map((h, i) => (
          <li key={`${h.at}-${i}`}>
            <button type="button" className="link" onClick={() => onPick(h)} title="Put this request back in the form">
              <span className="mono">
                {h.method} {h.path}
              </span>{' '}
              <span className="muted small">
                {h.keyId ? (keys.find((k) => k.id === h.keyId)?.name ?? 'key') : 'no key'} · {formatAgo(h.at)}
              </span>
            </button>{' '}
            <StatusPill status={h.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function InvokeView({ result, functionName }: { result: InvokeResult; functionName: string }): ReactNode {
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
        <strong>Status</strong>{' '}
        <span data-testid="try-status">
          <StatusPill status={result.status} />
        </span>
        <strong>Time</strong> <span data-testid="try-time">{result.durationMs.toFixed(0)} ms</span>
        <span className="muted small">request {result.requestId}</span>
      </div>
      {result.error ? <HandlerError text={result.error} functionName={functionName} /> : null}
      <h2 className="h4">Body{result.bodyTruncated ? ' (truncated)' : ''}</h2>
      {/* Focusable: a body that scrolls must be reachable with the keyboard. */}
      <pre className="body" data-testid="try-body" tabIndex={0} aria-label="Response body">
        {pretty}
      </pre>
      <details>
        <summary>Headers ({Object.keys(result.headers).length})</summary>
        <table className="simple" aria-label="Response headers">
          <tbody>
            {Object.entries(result.headers).map(([k, v]) => (
              <tr key={k}>
                <th scope="row" className="mono">
                  {k}
                </th>
                <td className="mono">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <h2 className="h4">Console</h2>
      <ConsoleList entries={result.console} />
      <h2 className="h4">Secrets read</h2>
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
            <Icon name="close" />
          </button>
        </div>
      ))}
      <button type="button" className="link" onClick={() => onChange([...pairs, { k: '', v: '' }])}>
        <Icon name="add" /> Add {label.toLowerCase().replace(/s$/, '').replace(/ parameter$/, ' parameter')}
      </button>
    </fieldset>
  );
}

function toRecord(pairs: Pair[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const p of pairs) if (p.k.trim()) out[p.k.trim()] = p.v;
  return Object.keys(out).length ? out : undefined;
}
