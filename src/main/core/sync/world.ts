// Both sides of a sync in one shape, keyed by name: groups by name, keys by group and
// name, functions by name, files by path, secrets by scope, scope record and name. The
// local store and a server's answers are each read into a World; comparing, pulling,
// pushing and the per-winner diff all work on Worlds.
import { canonicalCors } from '../functions/functions';
import type { CorsConfig, Scope } from '../../../shared/types';
import type { SyncRecordKind } from '../../../shared/sync';

export interface GroupRec {
  name: string;
  description: string | null;
}
export interface KeyRec {
  group: string;
  name: string;
  description: string | null;
  /** null: unreadable on this side (`valueProblem` says why). */
  value: string | null;
  valueProblem?: string;
}
export interface FunctionRec {
  name: string;
  description: string | null;
  handler: string;
  route: string;
  /** Sorted. */
  methods: string[];
  /** Names of the required groups, sorted; empty: public. */
  groups: string[];
  cors: CorsConfig | null;
  enabled: boolean;
  /** A required group the side does not have (the server listed an id it does not know). */
  groupProblem?: string;
}
export interface FileRec {
  path: string;
  /** null: not read (binary, too large); `problem` says why. */
  content: string | null;
  problem?: string;
}
export interface SecretRec {
  scope: Scope;
  /** Function name, group name, "group/key", or null for global. */
  owner: string | null;
  name: string;
  value: string | null;
  valueProblem?: string;
  comment: string | null;
}

export interface World {
  groups: Map<string, GroupRec>;
  keys: Map<string, KeyRec>;
  functions: Map<string, FunctionRec>;
  files: Map<string, FileRec>;
  secrets: Map<string, SecretRec>;
  /** Each record's id on its side (local ids are numbers, server ids strings), by ref. */
  ids: Map<string, number | string>;
}

export function emptyWorld(): World {
  return { groups: new Map(), keys: new Map(), functions: new Map(), files: new Map(), secrets: new Map(), ids: new Map() };
}

const enc = encodeURIComponent;

/** Refs: the names that identify a record on both sides, one string each. */
export const ref = {
  group: (name: string) => `group:${enc(name)}`,
  key: (group: string, name: string) => `key:${enc(group)}/${enc(name)}`,
  function: (name: string) => `function:${enc(name)}`,
  file: (path: string) => `file:${enc(path)}`,
  secret: (scope: Scope, owner: string | null, name: string) => `secret:${scope}:${enc(owner ?? '')}:${enc(name)}`,
  /** The record a secret's scope points at, or null for global. */
  owner(scope: Scope, owner: string | null): string | null {
    if (scope === 'global' || owner === null) return null;
    if (scope === 'function') return ref.function(owner);
    if (scope === 'group') return ref.group(owner);
    const [g, k] = splitKeyOwner(owner);
    return ref.key(g, k);
  },
};

export function kindOf(r: string): SyncRecordKind {
  return r.slice(0, r.indexOf(':')) as SyncRecordKind;
}

/** A key's owner string "group/key" (group names have no "/"). */
export const keyOwner = (group: string, key: string) => `${group}/${key}`;
export function splitKeyOwner(owner: string): [string, string] {
  const i = owner.indexOf('/');
  return [owner.slice(0, i), owner.slice(i + 1)];
}

/** How a person names a record. */
export function labelOf(kind: SyncRecordKind, rec: GroupRec | KeyRec | FunctionRec | FileRec | SecretRec): string {
  switch (kind) {
    case 'group':
      return `group ${(rec as GroupRec).name}`;
    case 'key':
      return `key ${(rec as KeyRec).group}/${(rec as KeyRec).name}`;
    case 'function':
      return `function ${(rec as FunctionRec).name}`;
    case 'file':
      return `file ${(rec as FileRec).path}`;
    case 'secret': {
      const s = rec as SecretRec;
      return `secret ${s.name} (${s.scope === 'global' ? 'global' : `${s.scope} ${s.owner}`})`;
    }
  }
}

/** The record of `r` in `w`, whatever its kind. */
export function recordOf(w: World, r: string): GroupRec | KeyRec | FunctionRec | FileRec | SecretRec | undefined {
  switch (kindOf(r)) {
    case 'group':
      return w.groups.get(r);
    case 'key':
      return w.keys.get(r);
    case 'function':
      return w.functions.get(r);
    case 'file':
      return w.files.get(r);
    case 'secret':
      return w.secrets.get(r);
  }
}

/** No text and empty text are the same description or comment (the server stores "" for a cleared one). */
export const text = (v: string | null | undefined): string | null => (v === undefined || v === null || v === '' ? null : v);

/** CORS rules in one form (the store's canonical JSON), so the server's and ours compare equal when they mean the same. */
export const corsKey = canonicalCors;

/** Which fields of two records of one kind differ. */
export function changedFields(kind: SyncRecordKind, a: unknown, b: unknown): string[] {
  const out: string[] = [];
  const diff = (field: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push(field);
  };
  switch (kind) {
    case 'group': {
      const [x, y] = [a as GroupRec, b as GroupRec];
      diff('description', x.description, y.description);
      break;
    }
    case 'key': {
      const [x, y] = [a as KeyRec, b as KeyRec];
      diff('description', x.description, y.description);
      if (x.value === null || y.value === null || x.value !== y.value) out.push('value');
      break;
    }
    case 'function': {
      const [x, y] = [a as FunctionRec, b as FunctionRec];
      diff('description', x.description, y.description);
      diff('handler', x.handler, y.handler);
      diff('route', x.route, y.route);
      diff('methods', x.methods, y.methods);
      diff('groups', x.groups, y.groups);
      diff('cors', corsKey(x.cors), corsKey(y.cors));
      diff('enabled', x.enabled, y.enabled);
      break;
    }
    case 'file': {
      const [x, y] = [a as FileRec, b as FileRec];
      if (x.content === null || y.content === null || x.content !== y.content) out.push('content');
      break;
    }
    case 'secret': {
      const [x, y] = [a as SecretRec, b as SecretRec];
      if (x.value === null || y.value === null || x.value !== y.value) out.push('value');
      diff('comment', x.comment, y.comment);
      break;
    }
  }
  return out;
}

/** A copy whose maps can be changed without touching `w` (records are replaced, never edited). */
export function cloneWorld(w: World): World {
  return {
    groups: new Map(w.groups),
    keys: new Map(w.keys),
    functions: new Map(w.functions),
    files: new Map(w.files),
    secrets: new Map(w.secrets),
    ids: new Map(w.ids),
  };
}

/** Sets or (rec undefined) removes the record of `r`. */
export function setRecord(w: World, r: string, rec: GroupRec | KeyRec | FunctionRec | FileRec | SecretRec | undefined): void {
  const map = { group: w.groups, key: w.keys, function: w.functions, file: w.files, secret: w.secrets }[kindOf(r)] as Map<string, unknown>;
  if (rec === undefined) map.delete(r);
  else map.set(r, rec);
}
