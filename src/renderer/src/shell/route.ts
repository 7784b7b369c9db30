import { createContext, useContext } from 'react';
import type { Scope } from '../../../shared/types';

// Where the operator is, as a hash route: reload and back/forward keep the place, and a
// link (from the Electron shell, a note, another screen) can open any screen. Routes name
// records by name, never carry a value, and stay in the fragment (never sent anywhere).
// The route table is in README.md ("Screens and their URLs").
export type FunctionTab = 'handler' | 'secrets' | 'reads' | 'log' | 'try';
export const FUNCTION_TABS: FunctionTab[] = ['handler', 'secrets', 'reads', 'log', 'try'];

/** A place in code/ to open the handler editor at (a stack frame, a diagnostic). */
export interface SourceSpot {
  file?: string;
  line?: number;
  column?: number;
}

export type Route =
  | { screen: 'global' }
  | ({ screen: 'functions'; name?: string; tab?: FunctionTab } & SourceSpot)
  | { screen: 'keys'; group?: string }
  | { screen: 'tree'; scope?: Exclude<Scope, 'global'>; record?: string; group?: string }
  | { screen: 'inspector'; name?: string; function?: string; key?: string; group?: string }
  | { screen: 'caller'; function?: string; key?: string; group?: string }
  | { screen: 'health' }
  | { screen: 'audit' }
  | { screen: 'servers'; server?: string }
  | { screen: 'settings' };

export type ScreenName = Route['screen'];

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${enc(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The hash for a route: "#/functions/notify/try", "#/inspect?name=LOG_LEVEL&function=notify". */
export function routeToHash(r: Route): string {
  switch (r.screen) {
    case 'global':
      return '#/secrets';
    case 'functions':
      if (!r.name) return '#/functions';
      return `#/functions/${enc(r.name)}${r.tab && r.tab !== 'handler' ? `/${r.tab}` : r.file || r.line ? '/handler' : ''}${query({ file: r.file, line: r.line, col: r.column })}`;
    case 'keys':
      return r.group ? `#/keys/${enc(r.group)}` : '#/keys';
    case 'tree':
      if (!r.scope || !r.record) return '#/tree';
      return r.scope === 'key' && r.group ? `#/secrets/key/${enc(r.group)}/${enc(r.record)}` : `#/secrets/${r.scope}/${enc(r.record)}`;
    case 'inspector':
      return `#/inspect${query({ name: r.name, function: r.function, key: r.key, group: r.group })}`;
    case 'caller':
      return `#/inspect/caller${query({ function: r.function, key: r.key, group: r.group })}`;
    case 'health':
      return '#/health';
    case 'audit':
      return '#/audit';
    case 'servers':
      return r.server ? `#/servers/${enc(r.server)}` : '#/servers';
    case 'settings':
      return '#/settings';
  }
}

/** The route a hash names; an unknown hash is the first screen (global secrets). */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', search = ''] = raw.split('?');
  const q = new URLSearchParams(search);
  const get = (k: string) => q.get(k) ?? undefined;
  const num = (k: string) => {
    const v = Number(q.get(k));
    return Number.isInteger(v) && v > 0 ? v : undefined;
  };
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  const [head, a, b, c] = parts;
  switch (head) {
    case 'secrets':
      if (!a || a === 'global') return { screen: 'global' };
      if (a === 'function' || a === 'group') return b ? { screen: 'tree', scope: a, record: b } : { screen: 'tree' };
      if (a === 'key') return c ? { screen: 'tree', scope: 'key', group: b, record: c } : b ? { screen: 'tree', scope: 'key', record: b } : { screen: 'tree' };
      return { screen: 'global' };
    case 'functions': {
      if (!a) return { screen: 'functions' };
      const tab = FUNCTION_TABS.includes(b as FunctionTab) ? (b as FunctionTab) : undefined;
      return { screen: 'functions', name: a, ...(tab ? { tab } : {}), ...(get('file') ? { file: get('file') } : {}), ...(num('line') ? { line: num('line') } : {}), ...(num('col') ? { column: num('col') } : {}) };
    }
    case 'keys':
      return a ? { screen: 'keys', group: a } : { screen: 'keys' };
    case 'tree':
      return { screen: 'tree' };
    case 'inspect':
      if (a === 'caller') return { screen: 'caller', function: get('function'), key: get('key'), group: get('group') };
      return { screen: 'inspector', name: get('name'), function: get('function'), key: get('key'), group: get('group') };
    case 'health':
      return { screen: 'health' };
    case 'audit':
      return { screen: 'audit' };
    case 'servers':
      return a ? { screen: 'servers', server: a } : { screen: 'servers' };
    case 'settings':
      return { screen: 'settings' };
    default:
      return { screen: 'global' };
  }
}

export interface RouteApi {
  route: Route;
  /** Goes to a route (a new history entry), after asking screens with unsaved work. */
  go: (r: Route) => void;
  /** Changes the current route without a new history entry (a picker's choice, a tab). */
  replace: (r: Route) => void;
}

export const RouteContext = createContext<RouteApi>({ route: { screen: 'global' }, go: () => {}, replace: () => {} });

export function useRoute(): RouteApi {
  return useContext(RouteContext);
}

/** Screens with unsaved work register a guard; navigation asks it first. */
export const guards = new Set<() => boolean>();

export function confirmLeave(): boolean {
  for (const g of guards) if (!g()) return false;
  return true;
}
