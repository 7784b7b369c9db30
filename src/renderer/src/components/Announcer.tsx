// One polite live region for short confirmations ("Copied", "Saved"): a screen reader
// announces them without moving focus. announce() can be called from anywhere.
import { useEffect, useState, type ReactNode } from 'react';

let push: ((text: string) => void) | null = null;

export function announce(text: string): void {
  push?.(text);
}

export function Announcer(): ReactNode {
  const [text, setText] = useState('');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    push = (t) => {
      // Cleared first, so the same words said twice are announced twice.
      setText('');
      clearTimeout(timer);
      timer = setTimeout(() => setText(t), 50);
    };
    return () => {
      push = null;
      clearTimeout(timer);
    };
  }, []);
  return (
    <div className="sr-only" role="status" aria-live="polite" data-testid="announcer">
      {text}
    </div>
  );
}
