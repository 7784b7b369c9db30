import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { PullResult, SyncRecordKind, SyncRow } from '../../../shared/sync';
import type { HttpMethod } from '../../../shared/types';
import { CoreError, isCoreError, validation } from '../errors';
import type { SyncDeps } from './sync';
import { kindOf, labelOf, recordOf, splitKeyOwner, type FileRec, type FunctionRec, type GroupRec, type KeyRec, type SecretRec, type World } from './world';

/** What a pull writes through: the sync service's dependencies but the cipher and the network. */
export type PullDeps = Omit<SyncDeps, 'ring' | 'clientFor'>;

const ORDER: SyncRecordKind[] = ['group', 'key', 'file', 'function', 'secret'];

function sayCounts(applied: Record<SyncRecordKind, number>): string {
  const words: [SyncRecordKind, string][] = [['function', 'function'], ['file', 'file'], ['group', 'group'], ['key', 'key'], ['secret', 'secret']];
  const parts = words.filter(([k]) => applied[k] > 0).map(([k, w]) => `${applied[k]} ${w}${applied[k] === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : 'nothing';
}

/**
 * Makes the chosen records here what they are on the server (as read for the preview):
 * validated first, then written in ONE SQLite transaction through the services (so each
 * write keeps its history and audit entry). Handler files are written before it and put
 * back as they were if the transaction fails: a pull is applied whole or not at all.
 * Nothing local is deleted.
 */
export function applyPull(deps: PullDeps, server: { id: number; name: string }, rows: SyncRow[], local: World, remote: World, refs: string[]): PullResult {
  const byRef = new Map(rows.map((r) => [r.ref, r]));
  const chosen: SyncRow[] = [];
  let unchanged = 0;
  for (const r of new Set(refs)) {
    const row = byRef.get(r);
    if (!row) {
      if (recordOf(remote, r) && recordOf(local, r)) {
        unchanged++;
        continue;
      }
      throw validation('refs', `"${r}" is not a record of server "${server.name}"'s preview.`);
    }
    if (row.presence === 'local') throw validation('refs', `${row.label} exists only here: there is nothing to pull.`);
    if (row.pullProblem) throw validation('refs', `${row.label} cannot be pulled: ${row.pullProblem}.`);
    chosen.push(row);
  }
  const chosenRefs = new Set(chosen.map((r) => r.ref));
  for (const row of chosen) {
    for (const need of row.requires) {
      if (!chosenRefs.has(need) && !recordOf(local, need)) {
        const rec = recordOf(remote, need);
        throw validation('refs', `${row.label} needs ${rec ? labelOf(kindOf(need), rec) : need} here: choose it too.`);
      }
    }
  }
  chosen.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  deps.gate.assertOpen();

  // Files first, remembering what each path held, so a failed transaction can put them back.
  const before = new Map<string, string | null>();
  const remember = (path: string) => {
    if (before.has(path)) return;
    const full = deps.code.resolve(path);
    before.set(path, existsSync(full) ? readFileSync(full, 'utf8') : null);
  };
  const restoreFiles = () => {
    for (const [path, content] of before) {
      try {
        if (content === null) rmSync(deps.code.resolve(path), { force: true });
        else deps.code.write(path, content);
      } catch {
        // best effort: the database is what must not be half-written
      }
    }
  };
  const applied: Record<SyncRecordKind, number> = { group: 0, key: 0, function: 0, file: 0, secret: 0 };
  let current = '';
  try {
    for (const row of chosen) {
      if (row.kind === 'function') remember((recordOf(remote, row.ref) as FunctionRec).handler);
      if (row.kind === 'file') remember((recordOf(remote, row.ref) as FileRec).path);
    }
    for (const row of chosen) {
      if (row.kind !== 'file') continue;
      current = row.label;
      const f = recordOf(remote, row.ref) as FileRec;
      deps.code.write(f.path, f.content!);
      applied.file++;
    }
    const { db } = deps;
    const idOf = (table: 'functions' | 'api_groups', name: string) => db.prepare(`SELECT id FROM ${table} WHERE name = ?`).pluck().get(name) as number | undefined;
    const keyIdOf = (owner: string) => {
      const [g, k] = splitKeyOwner(owner);
      return db.prepare('SELECT k.id FROM api_keys k JOIN api_groups g ON g.id = k.group_id WHERE g.name = ? AND k.name = ?').pluck().get(g, k) as number | undefined;
    };
    db.transaction(() => {
      for (const row of chosen) {
        current = row.label;
        const localId = local.ids.get(row.ref) as number | undefined;
        const there = recordOf(remote, row.ref)!;
        switch (row.kind) {
          case 'group': {
            const g = there as GroupRec;
            if (localId !== undefined) deps.groups.update({ id: localId, description: g.description });
            else deps.groups.create({ name: g.name, description: g.description });
            break;
          }
          case 'key': {
            const k = there as KeyRec;
            if (localId !== undefined) deps.keys.update({ id: localId, description: k.description, value: k.value! });
            else deps.keys.create({ groupId: idOf('api_groups', k.group)!, name: k.name, description: k.description, value: k.value! });
            break;
          }
          case 'function': {
            const f = there as FunctionRec;
            const input = {
              name: f.name,
              description: f.description,
              handler: f.handler,
              route: f.route,
              methods: f.methods as HttpMethod[],
              groupIds: f.groups.map((g) => idOf('api_groups', g)!),
              enabled: f.enabled,
              cors: f.cors,
            };
            if (localId !== undefined) deps.functions.update({ id: localId, ...input });
            else deps.functions.create(input);
            break;
          }
          case 'secret': {
            const s = there as SecretRec;
            if (localId !== undefined) {
              deps.store.update({ id: localId, value: s.value!, comment: s.comment });
            } else {
              const scopeId = s.scope === 'global' ? null : s.scope === 'function' ? idOf('functions', s.owner!) : s.scope === 'group' ? idOf('api_groups', s.owner!) : keyIdOf(s.owner!);
              deps.store.create({ name: s.name, value: s.value!, scope: s.scope, scopeId, comment: s.comment });
            }
            break;
          }
          case 'file':
            continue;
        }
        applied[row.kind]++;
      }
      current = '';
      deps.audit.append({ action: 'sync.pulled', recordKind: 'server', recordId: server.id, recordName: server.name, detail: { ...applied, unchanged } });
      deps.servers.markPulled(server.id);
    })();
  } catch (e) {
    restoreFiles();
    const what = current ? `${current}: ` : '';
    if (isCoreError(e)) throw new CoreError(e.code, `Nothing was pulled from server "${server.name}". ${what}${e.message}`, 'refs');
    throw e;
  }
  return { server, applied, unchanged, summary: `Pulled ${sayCounts(applied)} from server "${server.name}"${unchanged ? ` (${unchanged} already equal)` : ''}.` };
}
