import { useCallback, useEffect, useRef, useState } from 'react';

const CLEAR_AFTER_MS = 30_000;

/**
 * Copies text and, 30 s later, clears the clipboard if it still holds what we put there
 * (reading it back needs permission; when denied we clear anyway, as the safer choice).
 */
export function useClipboard(): { copy: (text: string) => Promise<void>; copied: boolean; failed: boolean } {
  const [copied, setCopied] = useState(false);
  const [failed, setFailed] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const flash = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (flash.current) clearTimeout(flash.current);
    },
    [],
  );

  const copy = useCallback(async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setFailed(false);
    } catch {
      setFailed(true);
      return;
    }
    if (flash.current) clearTimeout(flash.current);
    flash.current = setTimeout(() => setCopied(false), 2000);
    if (timer.current) clearTimeout(timer.current);
    // Not cancelled on unmount: the clipboard must be cleared even if the dialog closed.
    timer.current = setTimeout(() => {
      void clearIfStill(text);
    }, CLEAR_AFTER_MS);
  }, []);

  return { copy, copied, failed };
}

async function clearIfStill(text: string): Promise<void> {
  try {
    const now = await navigator.clipboard.readText();
    if (now !== text) return;
  } catch {
    // Cannot read it back: clear regardless.
  }
  try {
    await navigator.clipboard.writeText('');
  } catch {
    // Window not focused or no permission: nothing more we can do.
  }
}
