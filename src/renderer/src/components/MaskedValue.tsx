// A secret or key value: masked by default, revealed on request (one at a time, hidden
// again after 30 s or on leaving the screen), copied to the clipboard (cleared again
// after 30 s). The value lives only in this component's state while shown.
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { useClipboard } from '../hooks/useClipboard';
import { useRevealSlot } from '../hooks/useRevealSlot';
import { announce } from './Announcer';
import { Icon } from './Icon';

/** One mask for every value: its width must not tell how long the value is. */
export const MASK = '••••••••';

interface Props {
  slot: string;
  /** Used in button labels, e.g. `secret GREETING`. */
  label: string;
  /** The value; `purpose` tells the app (and its audit log) whether it is shown or copied. */
  reveal: (purpose: 'reveal' | 'copy') => Promise<string>;
  brokenReason?: string;
}

export function MaskedValue({ slot, label, reveal, brokenReason }: Props): ReactNode {
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
        <Icon name="warn" /> cannot decrypt
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
      announce(`Copied ${label}. The clipboard clears in 30 seconds.`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <span className="masked">
      <code className={isShown ? 'value shown' : 'value'} aria-label={isShown ? `value of ${label}` : `masked value of ${label}`}>
        {visible !== null ? visible || '(empty)' : MASK}
      </code>
      <button type="button" className="icon" onClick={() => void toggle()} aria-label={`${isShown ? 'Hide' : 'Reveal'} ${label}`} title={isShown ? 'Hide' : 'Reveal (hides again after 30 s)'}>
        <Icon name={isShown ? 'hide' : 'reveal'} />
      </button>
      <button type="button" className="icon" onClick={() => void doCopy()} aria-label={`Copy ${label}`} title="Copy (clipboard clears after 30 s)">
        <Icon name={copied ? 'copied' : 'copy'} />
      </button>
      {failed ? <span className="field-error">Clipboard not available here.</span> : null}
      {error ? <span className="field-error">{error}</span> : null}
    </span>
  );
}
