import type { Scope } from '../../../shared/types';
import type { CodeService, FunctionService } from '../core-api';
import { apiKeyBinding } from '../crypto/bindings';
import type { KeyRing } from '../crypto/key-ring';
import { keyRecordLabel } from '../keys/keys';
import type { SecretStore } from '../secrets/secrets';
import type { Db } from '../store/database';
import { emptyWorld, keyOwner, ref, text, type World } from './world';

export interface LocalWorldDeps {
  db: Db;
  ring: KeyRing;
  functions: FunctionService;
  code: CodeService;
  store: SecretStore;
}

const MAX_FILE_BYTES = 1024 * 1024;

/**
 * The local store as a World. Values are decrypted here (in memory, for comparison), not
 * disclosed: nothing is audited until the operator reveals one. `folders`: the first path
 * segments whose files take part (the server's code sources); handler files always do.
 */
export function readLocalWorld(deps: LocalWorldDeps, folders: Set<string>): World {
  const { db, ring } = deps;
  const w = emptyWorld();
  const groupNames = new Map<number, string>();
  for (const g of db.prepare('SELECT id, name, description FROM api_groups').all() as { id: number; name: string; description: string | null }[]) {
    groupNames.set(g.id, g.name);
    const r = ref.group(g.name);
    w.groups.set(r, { name: g.name, description: text(g.description) });
    w.ids.set(r, g.id);
  }
  const keyOwners = new Map<number, string>();
  for (const k of db.prepare('SELECT k.id, k.name, k.description, k.group_id, k.value_encrypted FROM api_keys k').all() as {
    id: number;
    name: string;
    description: string | null;
    group_id: number;
    value_encrypted: string;
  }[]) {
    const group = groupNames.get(k.group_id)!;
    keyOwners.set(k.id, keyOwner(group, k.name));
    let value: string | null = null;
    let valueProblem: string | undefined;
    try {
      value = ring.cipher.decrypt(k.value_encrypted, keyRecordLabel(k.id, k.name), apiKeyBinding(k));
    } catch (e) {
      valueProblem = (e as Error).message;
    }
    const r = ref.key(group, k.name);
    w.keys.set(r, { group, name: k.name, description: text(k.description), value, ...(valueProblem ? { valueProblem } : {}) });
    w.ids.set(r, k.id);
  }
  const functionNames = new Map<number, string>();
  const handlers = new Set<string>();
  for (const f of deps.functions.list()) {
    functionNames.set(f.id, f.name);
    handlers.add(f.handler);
    const r = ref.function(f.name);
    w.functions.set(r, {
      name: f.name,
      description: text(f.description),
      handler: f.handler,
      route: f.route,
      methods: [...f.methods].sort(),
      groups: f.groupIds.map((id) => groupNames.get(id)!).sort(),
      cors: f.cors,
      enabled: f.enabled,
    });
    w.ids.set(r, f.id);
  }
  for (const s of db.prepare('SELECT id, name, scope, scope_id, value_encrypted, comment FROM secrets').all() as {
    id: number;
    name: string;
    scope: Scope;
    scope_id: number;
    value_encrypted: string;
    comment: string | null;
  }[]) {
    const owner = s.scope === 'global' ? null : s.scope === 'function' ? functionNames.get(s.scope_id) : s.scope === 'group' ? groupNames.get(s.scope_id) : keyOwners.get(s.scope_id);
    if (owner === undefined) continue;
    let value: string | null = null;
    let valueProblem: string | undefined;
    try {
      value = deps.store.decrypt(s);
    } catch (e) {
      valueProblem = (e as Error).message;
    }
    const r = ref.secret(s.scope, owner, s.name);
    w.secrets.set(r, { scope: s.scope, owner, name: s.name, value, comment: text(s.comment), ...(valueProblem ? { valueProblem } : {}) });
    w.ids.set(r, s.id);
  }
  for (const f of deps.code.list()) {
    const folder = f.path.includes('/') ? f.path.slice(0, f.path.indexOf('/')) : null;
    if (!handlers.has(f.path) && (folder === null || !folders.has(folder))) continue;
    const r = ref.file(f.path);
    if (f.size > MAX_FILE_BYTES) {
      w.files.set(r, { path: f.path, content: null, problem: `larger than ${MAX_FILE_BYTES} bytes` });
      continue;
    }
    try {
      w.files.set(r, { path: f.path, content: deps.code.read(f.path) });
    } catch (e) {
      w.files.set(r, { path: f.path, content: null, problem: (e as Error).message });
    }
  }
  return w;
}
