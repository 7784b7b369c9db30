// A secret or key value: masked by default, revealed on request (one at a time),
// copied to the clipboard (cleared again after 30 s). The value lives only in this
// component's state while shown.
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { useClipboard } from '../hooks/useClipboard';
import { useRevealSlot } from '../hooks/useRevealSlot';

interface Props {
  slot: string;
  /** Used in button labels, e.g. `secret GREETING`. */
  label: string;
  length?: number;
  /** The value; `purpose` tells the app (and its audit log) whether it is shown or copied. */
  reveal: (purpose: 'reveal' | 'copy') => Promise<string>;
  brokenReason?: string;
}

export function MaskedValue({ slot, label, length, reveal, brokenReason }: Props): ReactNode {
  const { shown, show, hide } = useRevealSlot(slot);
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { copy, copied, failed } = useClipboard();
  // Shown only while this slot holds the app's one reveal.
  const visible = shown ? value : null;
  const isShown = visible !== null;

  if (brokenReason) {
    return (
      <span className="masked broken" title={brokenReason}>
        ⚠ cannot decrypt
      </span>
    );
  }

  const toggle = async () => {
    if (isShown) {
      setValue(null);
      return hide();
    }
    setError(null);
    try {
      setValue(await reveal('reveal'));
      show();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const doCopy = async () => {
    setError(null);
    try {
      await copy(visible ?? (await reveal('copy')));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const mask = '•'.repeat(Math.max(4, Math.min(length ?? 8, 16)));
  return (
    <span className="masked">
      <code className={isShown ? 'value shown' : 'value'} aria-label={isShown ? `value of ${label}` : `masked value of ${label}`}>
        {visible !== null ? visible || '(empty)' : mask}
      </code>
      <button type="button" className="icon" onClick={() => void toggle()} aria-label={`${isShown ? 'Hide' : 'Reveal'} ${label}`} title={isShown ? 'Hide' : 'Reveal'}>
        {isShown ? '🙈' : '👁'}
      </button>
      <button type="button" className="icon" onClick={() => void doCopy()} aria-label={`Copy ${label}`} title="Copy (clipboard clears after 30 s)">
        {copied ? '✅' : '📋'}
      </button>
      {failed ? <span className="field-error">Clipboard not available here.</span> : null}
      {error ? <span className="field-error">{error}</span> : null}
    </span>
  );
}
