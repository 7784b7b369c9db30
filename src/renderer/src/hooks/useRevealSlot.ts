import { useSyncExternalStore } from 'react';

// Only one value is shown at a time across the whole app: revealing one hides the others.
let current: string | null = null;
const listeners = new Set<() => void>();

function set(id: string | null) {
  current = id;
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useRevealSlot(id: string): { shown: boolean; show: () => void; hide: () => void } {
  const active = useSyncExternalStore(subscribe, () => current);
  return {
    shown: active === id,
    show: () => set(id),
    hide: () => {
      if (current === id) set(null);
    },
  };
}
