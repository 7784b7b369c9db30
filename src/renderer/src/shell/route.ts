import { createContext, useContext } from 'react';

// Where the operator is. Kept in memory, never in the URL: a URL could carry a value
// into history, and names of secrets are nobody's business in a browser's history.
export type Route =
  | { screen: 'global' }
  | { screen: 'functions'; functionId?: number; tab?: FunctionTab }
  | { screen: 'keys' }
  | { screen: 'tree' }
  | { screen: 'inspector'; name?: string; functionId?: number; keyId?: number | null }
  | { screen: 'audit' }
  | { screen: 'servers'; serverId?: number }
  | { screen: 'settings' };

export type FunctionTab = 'handler' | 'secrets' | 'reads' | 'log' | 'try';

export const RouteContext = createContext<{ route: Route; go: (r: Route) => void }>({
  route: { screen: 'global' },
  go: () => {},
});

export function useRoute(): { route: Route; go: (r: Route) => void } {
  return useContext(RouteContext);
}

/** Screens with unsaved work register a guard; navigation asks it first. */
export const guards = new Set<() => boolean>();

export function confirmLeave(): boolean {
  for (const g of guards) if (!g()) return false;
  return true;
}
