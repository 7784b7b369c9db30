// Before a change is saved: which callers of which functions would read a different value
// (or be refused), from changes.preview — the same resolution as ctx.getSecret.
import { useEffect, useState, type ReactNode } from 'react';
import type { ProposedChange, WhatIfPair, WhatIfPreview } from '../../../shared/types';
import { crude, errorMessage } from '../api/client';

const scopeWord = (s: WhatIfPair['before']) => (s ? `${s} value` : 'nothing');

function pairText(p: WhatIfPair): string {
  const who = `${p.functionName} ← ${p.keyName ? `${p.groupName}/${p.keyName}` : 'no key'}`;
  if (p.refused) return `${who}: refused (401)`;
  if (p.valueChanges) return `${who}: new ${p.after} value`;
  return `${who}: ${scopeWord(p.before)} → ${scopeWord(p.after)}`;
}

/** The preview of `change` (null: nothing to preview yet), refreshed as it changes. */
export function WhatIfPanel({ change, onPreview }: { change: ProposedChange | null; onPreview?: (p: WhatIfPreview | null) => void }): ReactNode {
  const [preview, setPreview] = useState<WhatIfPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = change ? JSON.stringify(change) : '';
  useEffect(() => {
    if (!change) {
      setPreview(null);
      onPreview?.(null);
      return;
    }
    let live = true;
    setBusy(true);
    // Typing a value should not ask the app on every key press.
    const timer = setTimeout(() => {
      crude()
        .changes.preview({ change })
        .then(
          (p) => {
            if (!live) return;
            setPreview(p);
            setError(null);
            onPreview?.(p);
          },
          (e: unknown) => live && setError(errorMessage(e)),
        )
        .finally(() => live && setBusy(false));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the change
  }, [key]);

  if (!change) return null;
  return (
    <section className="what-if" aria-label="What this change does" aria-busy={busy || undefined} data-testid="what-if">
      <h4>What this change does</h4>
      {error ? <p className="field-error">{error}</p> : null}
      {!preview && !error ? <p className="muted small">Working out which callers are affected…</p> : null}
      {preview ? (
        <>
          <p className={preview.affected ? 'warn-text' : 'muted'} role="status">
            {preview.summary}
          </p>
          {preview.pairs.length > 0 ? (
            <details>
              <summary>
                {preview.affected > preview.pairs.length ? `The first ${preview.pairs.length} of ${preview.affected}` : `All ${preview.affected}`} (function ← caller)
              </summary>
              <ul className="preview-list">
                {preview.pairs.map((p) => (
                  <li key={`${p.functionId}/${p.keyId}/${p.name}`} className="mono small">
                    {pairText(p)}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <p className="muted small">Nothing is written until you confirm.</p>
        </>
      ) : null}
    </section>
  );
}
