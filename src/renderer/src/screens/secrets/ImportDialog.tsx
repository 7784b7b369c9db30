// Import a .env or JSON file into one scope: paste or open it, see what each line would do
// (new, changed, unchanged, invalid with the rule it breaks) and which callers would read
// another value, pick the rows, apply them in one transaction.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ImportRow } from '../../../../shared/types';
import { parseSecretsFile } from '../../../../shared/dotenv';
import { crude, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { readPickedFile } from '../../components/files';
import { plural } from '../../components/format';
import { MaskedValue } from '../../components/MaskedValue';
import { ErrorBanner } from '../../components/States';
import { WhatIfPanel } from '../../components/WhatIfPanel';
import { useDebounced } from '../../hooks/useDebounced';
import { scopeTitle, type ScopeRef } from './scopeText';

const MAX_FILE_BYTES = 2 * 1024 * 1024;
type Format = 'env' | 'json';

const STATUS_TEXT: Record<ImportRow['status'], string> = { new: 'new', changed: 'changed', unchanged: 'unchanged', invalid: 'invalid' };

/** JSON when the text starts with "{", .env otherwise; a picked file's extension decides first. */
const guessFormat = (text: string, fileName?: string): Format =>
  fileName?.toLowerCase().endsWith('.json') ? 'json' : fileName ? 'env' : text.trimStart().startsWith('{') ? 'json' : 'env';

export function ImportDialog({ scope, onClose, onImported }: { scope: ScopeRef; onClose: () => void; onImported: () => void }): ReactNode {
  const [text, setText] = useState('');
  const [format, setFormat] = useState<Format>('env');
  const [fileName, setFileName] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [applying, setApplying] = useState(false);
  const [applyError, setApplyError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const settled = useDebounced(text, 250);

  // The values come from this side's own parse (the same parser as main's): they are never
  // sent back in a preview.
  const values = useMemo(() => new Map(parseSecretsFile(format, settled).entries.map((e) => [e.line, e])), [format, settled]);
  // The preview of the text it answers: an older answer for other text is never shown.
  const [preview, setPreview] = useState<{ text: string; format: Format; rows: ImportRow[] } | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  useEffect(() => {
    if (!settled.trim()) return;
    let live = true;
    crude()
      .secrets.importPreview({ scope: scope.scope, scopeId: scope.scopeId, format, text: settled })
      .then(
        (p) => {
          if (!live) return;
          setPreview({ text: settled, format, rows: p.rows });
          setPreviewError(null);
          // New and changed rows are picked to begin with.
          setPicked(new Set(p.rows.filter((r) => r.status === 'new' || r.status === 'changed').map((r) => r.line)));
        },
        (e: unknown) => live && setPreviewError(e),
      );
    return () => {
      live = false;
    };
  }, [settled, format, scope.scope, scope.scopeId]);
  const rows = settled.trim() && preview?.text === settled && preview.format === format ? preview.rows : null;

  const entries = (rows ?? []).filter((r) => picked.has(r.line) && values.has(r.line)).map((r) => ({ name: values.get(r.line)!.name, value: values.get(r.line)!.value }));
  const counts = (rows ?? []).reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
  const title = scopeTitle(scope);

  const open = async (file: File | undefined) => {
    if (!file) return;
    setFileError(null);
    try {
      const content = await readPickedFile(file, MAX_FILE_BYTES);
      setFileName(file.name);
      setFormat(guessFormat(content, file.name));
      setText(content);
    } catch (e) {
      setFileError(errorMessage(e));
    }
  };

  const apply = async () => {
    setApplying(true);
    setApplyError(null);
    try {
      const r = await crude().secrets.import({ scope: scope.scope, scopeId: scope.scopeId, entries });
      setDone(`Imported: ${r.created} new, ${r.updated} changed${r.unchanged ? `, ${r.unchanged} already equal` : ''}.`);
      onImported();
    } catch (e) {
      setApplyError(e);
    } finally {
      setApplying(false);
    }
  };

  const toggle = (line: number) =>
    setPicked((p) => {
      const next = new Set(p);
      if (next.has(line)) next.delete(line);
      else next.add(line);
      return next;
    });

  if (done) {
    return (
      <Dialog title={`Import into ${title.toLowerCase()}`} onClose={onClose}>
        <p role="status" className="good">
          {done}
        </p>
        <p className="muted small">Each imported value is a new version in its secret's history (changed by “… (import)”).</p>
        <div className="actions">
          <button type="button" className="primary" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={`Import into ${title.toLowerCase()}`} onClose={onClose} wide>
      <div className="import-source">
        <label className="file-button">
          <input type="file" accept=".env,.json,.txt,text/plain,application/json" onChange={(e) => void open(e.target.files?.[0])} />
          <span>Open a file…</span>
        </label>
        <span className="muted small">{fileName ? `From ${fileName}` : 'or paste below'}</span>
        <span className="grow" />
        <fieldset className="segmented" aria-label="Format">
          {(['env', 'json'] as const).map((f) => (
            <label key={f}>
              <input type="radio" name="import-format" value={f} checked={format === f} onChange={() => setFormat(f)} />
              {f === 'env' ? '.env' : 'JSON'}
            </label>
          ))}
        </fieldset>
      </div>
      {fileError ? <p className="field-error" role="alert">{fileError}</p> : null}
      <textarea
        className="mono import-text"
        aria-label="File contents"
        placeholder={format === 'env' ? '# comments, export, quotes and multi-line values work\nAPI_URL=https://example.com\nexport TOKEN="…"' : '{ "API_URL": "https://example.com" }'}
        value={text}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          if (!fileName) setFormat(guessFormat(e.target.value));
        }}
        rows={6}
      />
      {previewError ? <ErrorBanner error={previewError} /> : null}
      {rows ? (
        <>
          <p className="muted small" role="status">
            {rows.length === 0 ? 'No secrets in this text.' : ['new', 'changed', 'unchanged', 'invalid'].filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`).join(' · ')}
          </p>
          {rows.length > 0 ? (
            <div className="import-rows" role="table" aria-label="What the import does">
              <div role="row" className="import-row head">
                <span role="columnheader" aria-label="Import" />
                <span role="columnheader">Line</span>
                <span role="columnheader">Name</span>
                <span role="columnheader">What happens</span>
                <span role="columnheader">Value</span>
              </div>
              {rows.map((r) => (
                <ImportRowView key={`${r.line}-${r.name}`} row={r} value={values.get(r.line)?.value} picked={picked.has(r.line)} onToggle={() => toggle(r.line)} />
              ))}
            </div>
          ) : null}
          <WhatIfPanel change={entries.length ? { kind: 'secrets.import', scope: scope.scope, scopeId: scope.scopeId, entries } : null} />
        </>
      ) : null}
      {applyError ? <ErrorBanner error={applyError} /> : null}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={applying || entries.length === 0} onClick={() => void apply()}>
          {applying ? 'Importing…' : entries.length ? `Import ${plural(entries.length, 'secret')}` : 'Import'}
        </button>
      </div>
    </Dialog>
  );
}

function ImportRowView({ row, value, picked, onToggle }: { row: ImportRow; value: string | undefined; picked: boolean; onToggle: () => void }): ReactNode {
  const pickable = row.status === 'new' || row.status === 'changed';
  const name = row.name ?? '—';
  return (
    <div role="row" className={`import-row ${row.status}`}>
      <span role="cell">
        <input type="checkbox" checked={pickable && picked} disabled={!pickable} onChange={onToggle} aria-label={`Import ${name} (line ${row.line})`} />
      </span>
      <span role="cell" className="mono muted">
        {row.line}
      </span>
      <span role="cell" className="mono strong ellipsis" title={name}>
        {name}
      </span>
      <span role="cell">
        <span className={`badge status-${row.status}`}>{STATUS_TEXT[row.status]}</span>
        {row.problem ? <span className="field-error small"> {row.problem}</span> : null}
      </span>
      <span role="cell" className="import-values">
        {value !== undefined && row.status !== 'invalid' ? (
          <MaskedValue slot={`import-${row.line}`} label={`imported ${name}`} reveal={async () => value} />
        ) : null}
        {row.status === 'changed' && row.secretId !== undefined ? (
          <span className="small muted import-current">
            now:{' '}
            <MaskedValue slot={`import-current-${row.line}`} label={`current ${name}`} reveal={async (purpose) => (await crude().secrets.reveal({ id: row.secretId!, purpose })).value} />
          </span>
        ) : null}
      </span>
    </div>
  );
}
