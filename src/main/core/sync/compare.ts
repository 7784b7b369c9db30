import type { SyncRecordKind, SyncRow } from '../../../shared/sync';
import { HTTP_METHODS } from '../../../shared/types';
import {
  MANAGEMENT_GROUP,
  corsProblem,
  groupNameProblem,
  handlerPathProblem,
  keyNameProblem,
  keyValueProblem,
  normaliseRoute,
  recordNameProblem,
  routeProblem,
  secretNameProblem,
  secretValueProblem,
} from '../../../shared/rules';
import type { ServerWorld } from './server-world';
import { changedFields, labelOf, ref, type FileRec, type FunctionRec, type KeyRec, type SecretRec, type World } from './world';

const KIND_ORDER: SyncRecordKind[] = ['group', 'key', 'function', 'file', 'secret'];
const bytes = (v: string | null) => (v === null ? undefined : Buffer.byteLength(v, 'utf8'));

/** The local rules a code path follows (as the contract's code.write). */
export function codePathProblem(path: string): string | null {
  if (path.length === 0 || path.length > 512) return 'a code path is 1 to 512 characters';
  if (path.includes('\u0000')) return 'the path contains a NUL character';
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.split(/[\\/]/).some((p) => p === '..' || p === '')) return 'the path leaves the code/ folder';
  return null;
}

/** What the platform's routes refuse (src/validation/*.ts there), for what is about to be pushed. */
function serverRefuses(kind: SyncRecordKind, rec: unknown, server: ServerWorld): string | null {
  switch (kind) {
    case 'key': {
      const k = rec as KeyRec;
      if (keyNameProblem(k.name)) return 'the server takes lowercase key names only ([a-z0-9_-]); rename the key here first';
      if (k.value === null) return `its value cannot be read here (${k.valueProblem ?? 'unreadable'})`;
      return null;
    }
    case 'file': {
      const f = rec as FileRec;
      if (f.content === null) return `it cannot be read here (${f.problem ?? 'unreadable'})`;
      const i = f.path.indexOf('/');
      if (i <= 0) return 'the server keeps handler files in code sources (code/<source>/…); move the file into a folder named after its source';
      const source = server.sources.get(f.path.slice(0, i));
      if (source && source.type !== 'manual') return `code source "${f.path.slice(0, i)}" is a ${source.type} source: its files are read-only on the server (change them in its repository)`;
      return null;
    }
    case 'secret': {
      const s = rec as SecretRec;
      if (s.value === null) return `its value cannot be read here (${s.valueProblem ?? 'unreadable'})`;
      if (s.value.trim() === '') return 'the server refuses empty or blank secret values';
      return null;
    }
    default:
      return null;
  }
}

/** What this app refuses of a record about to be pulled, with the rule broken. */
function weRefuse(kind: SyncRecordKind, r: string, rec: unknown, local: World, server: World): string | null {
  switch (kind) {
    case 'group':
      return groupNameProblem((rec as { name: string }).name);
    case 'key': {
      const k = rec as KeyRec;
      const p = keyNameProblem(k.name) ?? (k.value === null ? (k.valueProblem ?? 'the server sent no value') : keyValueProblem(k.value));
      if (p) return p;
      for (const [other, lk] of local.keys) {
        if (other !== r && lk.value === k.value) return `key ${lk.group}/${lk.name} here has the same value, and keys are told apart by value`;
      }
      return null;
    }
    case 'function': {
      const f = rec as FunctionRec;
      const bad = f.methods.find((m) => !(HTTP_METHODS as readonly string[]).includes(m));
      const p = [
        recordNameProblem('Function', f.name),
        routeProblem(f.route),
        handlerPathProblem(f.handler),
        f.methods.length === 0 ? 'it answers no HTTP method' : bad ? `unknown HTTP method ${bad}` : null,
        f.cors ? (corsProblem(f.cors)?.message ?? null) : null,
        f.groupProblem ?? null,
      ].find((x) => x !== null);
      if (p) return p;
      // Another local function (one the server does not have) answering the same method on the same route.
      const key = normaliseRoute(f.route);
      for (const [other, lf] of local.functions) {
        if (other === r || server.functions.has(other) || normaliseRoute(lf.route) !== key) continue;
        const both = lf.methods.filter((m) => f.methods.includes(m));
        if (both.length) return `function ${lf.name} here already answers ${both.join(', ')} on route ${lf.route}`;
      }
      return null;
    }
    case 'file': {
      const f = rec as FileRec;
      return codePathProblem(f.path) ?? (f.content === null ? (f.problem ?? 'it could not be read') : null);
    }
    case 'secret': {
      const s = rec as SecretRec;
      return secretNameProblem(s.name) ?? (s.value === null ? (s.valueProblem ?? 'the server sent no value') : secretValueProblem(s.value));
    }
  }
}

function requiresOf(kind: SyncRecordKind, rec: unknown): string[] {
  switch (kind) {
    case 'key':
      return [ref.group((rec as KeyRec).group)];
    case 'function':
      return (rec as FunctionRec).groups.map(ref.group);
    case 'secret': {
      const s = rec as SecretRec;
      const o = ref.owner(s.scope, s.owner);
      return o ? [o] : [];
    }
    default:
      return [];
  }
}

/**
 * Every record of either side, compared by name: rows for those that differ or exist on
 * one side only, with what stops each from being pulled or pushed. `unchanged` counts the
 * rest. Pure: nothing is read or written.
 */
export function compareWorlds(local: World, server: ServerWorld): { rows: SyncRow[]; unchanged: number } {
  const rows: SyncRow[] = [];
  let unchanged = 0;
  const maps: Record<SyncRecordKind, [Map<string, unknown>, Map<string, unknown>]> = {
    group: [local.groups, server.world.groups],
    key: [local.keys, server.world.keys],
    function: [local.functions, server.world.functions],
    file: [local.files, server.world.files],
    secret: [local.secrets, server.world.secrets],
  };
  for (const kind of KIND_ORDER) {
    const [mine, theirs] = maps[kind];
    for (const r of new Set([...mine.keys(), ...theirs.keys()])) {
      const here = mine.get(r);
      const there = theirs.get(r);
      const changed = here && there ? changedFields(kind, here, there) : [];
      if (here && there && changed.length === 0) {
        unchanged++;
        continue;
      }
      const rec = (there ?? here)!;
      const row: SyncRow = {
        ref: r,
        kind,
        label: labelOf(kind, rec as never),
        presence: here && there ? 'both' : there ? 'server' : 'local',
        changed,
        requires: requiresOf(kind, rec),
      };
      if (kind === 'secret') {
        const s = rec as SecretRec;
        row.secret = { name: s.name, scope: s.scope, owner: s.owner };
      }
      if (here) row.local = { id: Number(local.ids.get(r)), ...(kind === 'secret' || kind === 'key' ? { valueLength: bytes((here as SecretRec).value) } : {}) };
      if (there) row.server = kind === 'secret' || kind === 'key' ? { valueLength: bytes((there as SecretRec).value) } : {};
      if (there) {
        const p = weRefuse(kind, r, there, local, server.world);
        if (p) row.pullProblem = p;
      }
      if (here) {
        const p = serverRefuses(kind, here, server);
        if (p) row.pushProblem = p;
      } else if (kind === 'group' && (there as { name: string }).name === MANAGEMENT_GROUP) {
        row.pushProblem = 'the server\'s management group cannot be deleted';
      } else if (kind === 'file') {
        const p = serverRefuses('file', { path: (there as FileRec).path, content: '' }, server);
        if (p && p.includes('read-only')) row.pushProblem = p;
      }
      if (kind === 'key' && (rec as KeyRec).group === MANAGEMENT_GROUP) {
        row.warning = 'A key of the management group: pulled, it may call this app\'s admin API; pushed, the server\'s management API.';
      }
      rows.push(row);
    }
  }
  rows.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.label.localeCompare(b.label));
  return { rows, unchanged };
}

