import { useEffect, useSyncExternalStore } from 'react';

// Only one value is shown at a time across the whole app: revealing one hides the others.
// A shown value hides again by itself after a while, and when the screen changes.
let current: string | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

/** How long a revealed value stays on screen. */
export const REVEAL_MS = 30_000;

function set(id: string | null) {
  current = id;
  clearTimeout(timer);
  if (id !== null) timer = setTimeout(() => set(null), REVEAL_MS);
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Hides whatever value is shown (leaving a screen). */
export function hideRevealed(): void {
  if (current !== null) set(null);
}

export function useRevealSlot(id: string): { shown: boolean; show: () => void; hide: () => void } {
  const active = useSyncExternalStore(subscribe, () => current);
  // A component that goes away (a closed dialog, a scrolled-out row) takes its value along.
  useEffect(
    () => () => {
      if (current === id) set(null);
    },
    [id],
  );
  return {
    shown: active === id,
    show: () => set(id),
    hide: () => {
      if (current === id) set(null);
    },
  };
}
