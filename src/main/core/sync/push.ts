import type { PushOutcome, PushStep, ServerWhatIf, SyncRecordKind, SyncRow } from '../../../shared/sync';
import type { Scope } from '../../../shared/types';
import { isCoreError } from '../errors';
import { ServerCallError } from './http-client';
import type { NewServerFunction, ServerClient } from './server-api';
import type { ServerWorld } from './server-world';
import { differingAnswers } from './winners';
import {
  cloneWorld,
  corsKey,
  kindOf,
  labelOf,
  recordOf,
  ref,
  setRecord,
  splitKeyOwner,
  type FileRec,
  type FunctionRec,
  type GroupRec,
  type KeyRec,
  type SecretRec,
  type World,
} from './world';

type Rec = GroupRec | KeyRec | FunctionRec | FileRec | SecretRec;

/** One call (or two, for a disabled function) of a push, with what it needs. */
export interface PlannedStep extends PushStep {
  /** The local record to send (create, update). */
  rec?: Rec;
  /** The server's record as the preview saw it ("" when absent): a push refuses to overwrite a change made since. */
  basis: string;
  /** Steps of this plan that must succeed first. */
  after: string[];
}

const CREATE_ORDER: (SyncRecordKind | 'source')[] = ['source', 'group', 'key', 'file', 'function', 'secret'];
const DELETE_ORDER: SyncRecordKind[] = ['secret', 'function', 'file', 'key', 'group'];

const fingerprint = (rec: Rec | undefined) => (rec === undefined ? '' : JSON.stringify(rec));
const sourceRef = (name: string) => `source:${encodeURIComponent(name)}`;
const sourceOf = (path: string) => path.slice(0, path.indexOf('/'));

function callOf(kind: SyncRecordKind, action: PushStep['action']): string {
  const base = { group: '/api/key-groups', key: '/api/keys', function: '/api/functions', file: '/api/sources/:id/files/:path', secret: '/api/secrets' }[kind];
  const method = action === 'create' ? (kind === 'file' ? 'PUT' : 'POST') : action === 'update' ? 'PUT' : 'DELETE';
  return `${method} ${base}${action === 'create' || kind === 'file' ? '' : '/:id'}`;
}

/**
 * The steps that make the chosen records on the server what they are here, in an order
 * the server accepts (a group before its keys, deletions of secrets before their
 * records), and what each chosen record that cannot go needs. Pure.
 */
export function planPush(local: World, server: ServerWorld, rows: SyncRow[], refs: string[]): { steps: PlannedStep[]; problems: { ref: string; label: string; message: string }[] } {
  const byRef = new Map(rows.map((r) => [r.ref, r]));
  const problems: { ref: string; label: string; message: string }[] = [];
  const steps: PlannedStep[] = [];
  const chosen = new Map<string, SyncRow>();
  for (const r of new Set(refs)) {
    const row = byRef.get(r);
    if (!row) {
      problems.push({ ref: r, label: r, message: 'it is the same on both sides (or unknown): nothing to push' });
      continue;
    }
    if (row.pushProblem) {
      problems.push({ ref: r, label: row.label, message: row.pushProblem });
      continue;
    }
    chosen.set(r, row);
  }
  // A record needs its owner on the server, already or created by this push.
  let dropped = true;
  while (dropped) {
    dropped = false;
    for (const [r, row] of chosen) {
      if (row.presence === 'server') continue;
      const missing = row.requires.find((need) => !server.world.ids.has(need) && chosen.get(need)?.presence !== 'local');
      if (missing) {
        const rec = recordOf(local, missing);
        problems.push({ ref: r, label: row.label, message: `it needs ${rec ? labelOf(kindOf(missing), rec) : missing} on the server: choose it too` });
        chosen.delete(r);
        dropped = true;
      }
    }
    for (const [r, row] of chosen) {
      if (row.presence !== 'server' || row.kind !== 'group') continue;
      const g = (recordOf(server.world, r) as GroupRec).name;
      const kept = [...server.world.keys.entries()].find(([kr, k]) => k.group === g && chosen.get(kr)?.presence !== 'server');
      if (kept) {
        problems.push({ ref: r, label: row.label, message: `the server deletes only empty groups: choose the deletion of key ${kept[1].group}/${kept[1].name} too` });
        chosen.delete(r);
        dropped = true;
      }
    }
  }
  const sources = new Set<string>();
  for (const [r, row] of chosen) {
    const action: PushStep['action'] = row.presence === 'local' ? 'create' : row.presence === 'both' ? 'update' : 'delete';
    const rec = action === 'delete' ? undefined : recordOf(local, r);
    const after = action === 'delete' ? [] : row.requires.filter((need) => chosen.get(need)?.presence === 'local');
    if (row.kind === 'file' && action !== 'delete') {
      const src = sourceOf((rec as FileRec).path);
      if (!server.sources.has(src)) {
        if (!sources.has(src)) {
          sources.add(src);
          steps.push({ ref: sourceRef(src), kind: 'source', label: `code source ${src} (a new manual source)`, action: 'create', call: 'POST /api/sources', changed: [], basis: '', after: [] });
        }
        after.push(sourceRef(src));
      }
    }
    steps.push({
      ref: r,
      kind: row.kind,
      label: row.label,
      action,
      call: callOf(row.kind, action),
      changed: row.changed,
      ...(rec ? { rec } : {}),
      basis: fingerprint(recordOf(server.world, r)),
      after,
    });
  }
  const rank = (s: PlannedStep) => (s.action === 'delete' ? 100 + DELETE_ORDER.indexOf(s.kind as SyncRecordKind) : CREATE_ORDER.indexOf(s.kind));
  steps.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
  return { steps, problems };
}

/** The server's records as they will be after `steps` (the server's own cascades included). */
export function serverAfter(server: World, steps: PlannedStep[]): World {
  const w = cloneWorld(server);
  for (const s of steps) {
    if (s.kind === 'source') continue;
    if (s.action !== 'delete') {
      setRecord(w, s.ref, s.rec);
      continue;
    }
    const gone = recordOf(w, s.ref);
    setRecord(w, s.ref, undefined);
    // The platform deletes a function's and a key's secrets with them.
    const owner = s.kind === 'function' ? ['function', (gone as FunctionRec).name] : s.kind === 'key' ? ['key', `${(gone as KeyRec).group}/${(gone as KeyRec).name}`] : s.kind === 'group' ? ['group', (gone as GroupRec).name] : null;
    if (owner) for (const [r, sec] of w.secrets) if (sec.scope === owner[0] && sec.owner === owner[1]) w.secrets.delete(r);
  }
  return w;
}

/** Which callers of the server's functions read another value after the push, in one sentence and a list. */
export function serverWhatIf(serverName: string, before: World, after: World): ServerWhatIf {
  const d = differingAnswers(before, after, { limit: 100 });
  const pairs = d.pairs.map((p) => ({
    functionName: p.functionName,
    caller: p.caller,
    name: p.name,
    before: p.a.scope,
    after: p.b.scope,
    valueChanges: p.name !== null && p.a.scope !== null && p.a.scope === p.b.scope,
    ...(p.name === null && p.b.refused ? { refused: true as const } : {}),
  }));
  const refused = d.pairs.filter((p) => p.name === null && p.b.refused).length;
  const fns = new Set(d.pairs.map((p) => p.functionName)).size;
  let summary: string;
  if (d.differing === 0) summary = `No caller of any function on "${serverName}" will read a different value.`;
  else {
    const p = pairs[0]!;
    const who = `${p.functionName} called ${p.caller ? `with ${p.caller.group}/${p.caller.key}` : 'without a key'}`;
    const scopeWord = (s: Scope | null) => (s ? `the ${s} value` : 'nothing (undefined)');
    const what = p.name === null ? (p.refused ? 'will be refused (401)' : 'will be let through') : p.valueChanges ? `will read the changed ${p.after} value of ${p.name}` : `will read ${scopeWord(p.after)} of ${p.name} instead of ${scopeWord(p.before)}`;
    summary = `${d.differing} getSecret answer${d.differing === 1 ? '' : 's'} on "${serverName}" change${d.differing === 1 ? 's' : ''} (${fns} function${fns === 1 ? '' : 's'}); ${who} ${what}.`;
  }
  return { affected: d.differing, refused, pairs, summary };
}

function functionBody(f: FunctionRec, groupId: (name: string) => string | undefined): NewServerFunction {
  const cors = f.cors ? (JSON.parse(corsKey(f.cors)!) as NewServerFunction['cors']) : undefined;
  return {
    name: f.name,
    handler: f.handler,
    route: f.route,
    methods: f.methods,
    ...(f.description ? { description: f.description } : {}),
    keys: f.groups.map((g) => groupId(g)!),
    ...(cors ? { cors } : {}),
  };
}

/**
 * Runs the steps one by one against the server, checking first that each record is
 * still as the preview saw it (`fresh` is read just before). A failed step does not stop
 * the others, except those that need it; a server that stops answering (or refuses the
 * key) stops the push there. Local data is never touched. Each outcome names its record.
 */
export async function executePush(client: ServerClient, steps: PlannedStep[], fresh: ServerWorld): Promise<PushOutcome[]> {
  const ids = new Map<string, string>();
  for (const [r, id] of fresh.world.ids) ids.set(r, String(id));
  for (const [name, s] of fresh.sources) ids.set(sourceRef(name), s.id);
  const outcomes = new Map<string, PushOutcome>();
  let stop: string | null = null;
  const need = (r: string) => {
    const id = ids.get(r);
    if (!id) throw new Error(`${r} has no id on the server`);
    return id;
  };
  for (const s of steps) {
    const out = (status: PushOutcome['status'], message?: string) => outcomes.set(s.ref, { ref: s.ref, label: s.label, action: s.action, status, ...(message ? { message } : {}) });
    if (stop) {
      out('skipped', `not attempted: ${stop}`);
      continue;
    }
    const blocked = s.after.map((r) => outcomes.get(r)).find((o) => o && o.status !== 'done');
    if (blocked) {
      out('skipped', `not attempted: ${blocked.label} was not pushed`);
      continue;
    }
    if (s.kind !== 'source' && fingerprint(recordOf(fresh.world, s.ref)) !== s.basis) {
      out('failed', 'it changed on the server since the preview; compare again to see the change');
      continue;
    }
    try {
      await perform(client, s, ids, need, fresh);
      out('done');
    } catch (e) {
      const message = isCoreError(e) ? e.message : `could not be pushed (${(e as Error).message})`;
      out('failed', message);
      if (e instanceof ServerCallError && (e.code === 'SERVER_UNREACHABLE' || e.code === 'SERVER_UNAUTHORIZED' || e.code === 'SERVER_INCOMPATIBLE')) {
        stop = `the push stopped at ${s.label} (${e.code === 'SERVER_UNREACHABLE' ? 'the server stopped answering' : e.code === 'SERVER_UNAUTHORIZED' ? 'the server refused the key' : 'the server answered in an unknown shape'})`;
      }
    }
  }
  return steps.map((s) => outcomes.get(s.ref)!);
}

async function perform(client: ServerClient, s: PlannedStep, ids: Map<string, string>, need: (r: string) => string, fresh: ServerWorld): Promise<void> {
  const groupId = (name: string) => need(ref.group(name));
  switch (s.kind) {
    case 'source': {
      const name = decodeURIComponent(s.ref.slice('source:'.length));
      ids.set(s.ref, (await client.createSource({ name })).id);
      return;
    }
    case 'group': {
      const g = s.rec as GroupRec | undefined;
      if (s.action === 'create') ids.set(s.ref, (await client.createGroup({ name: g!.name, ...(g!.description ? { description: g!.description } : {}) })).id);
      else if (s.action === 'update') await client.updateGroup(need(s.ref), { description: g!.description ?? '' });
      else await client.deleteGroup(need(s.ref));
      return;
    }
    case 'key': {
      const k = s.rec as KeyRec | undefined;
      if (s.action === 'create') ids.set(s.ref, (await client.createKey({ groupId: groupId(k!.group), name: k!.name, value: k!.value!, ...(k!.description ? { description: k!.description } : {}) })).id);
      else if (s.action === 'update') await client.updateKey(need(s.ref), { value: k!.value!, description: k!.description ?? '' });
      else await client.deleteKey(need(s.ref));
      return;
    }
    case 'file': {
      const path = decodeURIComponent(s.ref.slice('file:'.length));
      const src = sourceOf(path);
      const sourceId = ids.get(sourceRef(src)) ?? fresh.sources.get(src)?.id;
      if (!sourceId) throw new Error(`code source ${src} does not exist on the server`);
      if (s.action === 'delete') await client.deleteFile(sourceId, path.slice(src.length + 1));
      else await client.writeFile(sourceId, path.slice(src.length + 1), (s.rec as FileRec).content!);
      return;
    }
    case 'function': {
      const f = s.rec as FunctionRec | undefined;
      if (s.action === 'delete') return client.deleteFunction(need(s.ref));
      const body = functionBody(f!, groupId);
      let id: string;
      if (s.action === 'create') {
        id = (await client.createFunction(body)).id;
        ids.set(s.ref, id);
      } else {
        id = need(s.ref);
        await client.updateFunction(id, body);
      }
      const was = recordOf(fresh.world, s.ref) as FunctionRec | undefined;
      // The server creates functions enabled, and its PUT leaves the flag alone.
      if ((was?.enabled ?? true) !== f!.enabled) {
        try {
          await client.setFunctionEnabled(id, f!.enabled);
        } catch (e) {
          throw Object.assign(e as Error, { message: `${s.action === 'create' ? 'created' : 'updated'}, but ${f!.enabled ? 'enabling' : 'disabling'} it failed: ${(e as Error).message}` });
        }
      }
      return;
    }
    case 'secret': {
      const sec = s.rec as SecretRec | undefined;
      if (s.action === 'delete') return client.deleteSecret(need(s.ref));
      // The server leaves a comment that is not sent as it was: "" clears it.
      if (s.action === 'update') return client.updateSecret(need(s.ref), { value: sec!.value!, comment: sec!.comment ?? '' });
      const scopeRef =
        sec!.scope === 'function' ? { functionId: need(ref.function(sec!.owner!)) } : sec!.scope === 'group' ? { groupId: groupId(sec!.owner!) } : sec!.scope === 'key' ? { keyId: need(ref.key(...splitKeyOwner(sec!.owner!))) } : {};
      ids.set(s.ref, (await client.createSecret({ name: sec!.name, value: sec!.value!, scopeType: sec!.scope, ...(sec!.comment ? { comment: sec!.comment } : {}), ...scopeRef })).id);
      return;
    }
  }
}
