import type { ApiKey, ApiKeyGroup, FunctionDef, SecretDefinition } from '../../../../shared/types';
import type { ScopeRef } from '../secrets/scopeText';
import type { IconName } from '../../components/Icon';
import { plural } from '../../components/format';

export interface TreeNode {
  id: string;
  label: string;
  icon: IconName;
  depth: number;
  /** Secrets at this node; for folders, the secrets of everything below. */
  count: number | null;
  /** For folders and groups: number of children. */
  childCount?: number;
  scope: ScopeRef | null;
  expandable: boolean;
  /** True when the picked secret name is defined at this node (or, for folders, below it). */
  marked: boolean;
}

interface Input {
  globalCount: number | null;
  functions: FunctionDef[];
  groups: ApiKeyGroup[];
  keys: ApiKey[];
  expanded: Set<string>;
  definitions: SecretDefinition[] | null;
}

/** Flattens Global → Functions → each function; Groups → each group → its keys, honouring expansion. */
export function buildTree({ globalCount, functions, groups, keys, expanded, definitions }: Input): TreeNode[] {
  const defined = new Set((definitions ?? []).map((d) => `${d.scope}:${d.scopeId ?? ''}`));
  const is = (scope: string, id: number | null) => defined.has(`${scope}:${id ?? ''}`);
  const out: TreeNode[] = [];
  out.push({ id: 'global', label: 'Global', icon: 'global', depth: 0, count: globalCount, scope: { scope: 'global', scopeId: null, recordName: null }, expandable: false, marked: is('global', null) });

  const fnMarked = functions.some((f) => is('function', f.id));
  out.push({ id: 'functions', label: `Functions (${functions.length})`, icon: 'function', depth: 0, count: functions.reduce((n, f) => n + f.secretCount, 0), childCount: functions.length, scope: null, expandable: true, marked: fnMarked });
  if (expanded.has('functions')) {
    for (const f of functions) {
      out.push({ id: `f${f.id}`, label: f.name, icon: 'function', depth: 1, count: f.secretCount, scope: { scope: 'function', scopeId: f.id, recordName: f.name }, expandable: false, marked: is('function', f.id) });
    }
  }

  const keysByGroup = new Map<number, ApiKey[]>();
  for (const k of keys) {
    const list = keysByGroup.get(k.groupId) ?? [];
    list.push(k);
    keysByGroup.set(k.groupId, list);
  }
  const groupMarked = (g: ApiKeyGroup) => is('group', g.id) || (keysByGroup.get(g.id) ?? []).some((k) => is('key', k.id));
  out.push({ id: 'groups', label: `Groups (${groups.length})`, icon: 'group', depth: 0, count: groups.reduce((n, g) => n + g.secretCount, 0) + keys.reduce((n, k) => n + k.secretCount, 0), childCount: groups.length, scope: null, expandable: true, marked: groups.some(groupMarked) });
  if (expanded.has('groups')) {
    for (const g of groups) {
      const gKeys = keysByGroup.get(g.id) ?? [];
      out.push({ id: `g${g.id}`, label: gKeys.length ? `${g.name} (${plural(gKeys.length, 'key')})` : g.name, icon: 'group', depth: 1, count: g.secretCount, childCount: gKeys.length, scope: { scope: 'group', scopeId: g.id, recordName: g.name }, expandable: gKeys.length > 0, marked: is('group', g.id) });
      if (expanded.has(`g${g.id}`)) {
        for (const k of gKeys) {
          out.push({ id: `k${k.id}`, label: k.name, icon: 'key', depth: 2, count: k.secretCount, scope: { scope: 'key', scopeId: k.id, recordName: k.name }, expandable: false, marked: is('key', k.id) });
        }
      }
    }
  }
  return out;
}
