import { randomUUID } from 'node:crypto';
import type { PullResult, PushPlan, PushResult, ServerCheck, SyncComparison, WinnerAnswer } from '../../../shared/sync';
import type { AuditLog } from '../audit/audit-log';
import type { CodeService, FunctionService, GroupService, KeyService } from '../core-api';
import type { KeyRing } from '../crypto/key-ring';
import { CoreError, validation } from '../errors';
import type { SecretStore } from '../secrets/secrets';
import type { Db } from '../store/database';
import type { WriteGate } from '../store/write-gate';
import { compareWorlds } from './compare';
import { createHttpServerClient } from './http-client';
import { readLocalWorld } from './local-world';
import { applyPull } from './pull';
import { executePush, planPush, serverAfter, serverWhatIf, type PlannedStep } from './push';
import type { ServerClient } from './server-api';
import { readServerWorld, type ServerWorld } from './server-world';
import type { ServerStore, ServerTarget } from './servers';
import { differingAnswers, type Answer } from './winners';
import { kindOf, recordOf, type KeyRec, type SecretRec, type World } from './world';

export interface SyncDeps {
  db: Db;
  ring: KeyRing;
  gate: WriteGate;
  audit: AuditLog;
  servers: ServerStore;
  groups: GroupService;
  keys: KeyService;
  functions: FunctionService;
  code: CodeService;
  store: SecretStore;
  /** How to reach a server (default: the HTTP client); tests point it elsewhere or make it fail. */
  clientFor?: (target: ServerTarget) => ServerClient;
}

/** A server's answers kept for a while: a pull applies exactly what was previewed. */
interface Snapshot {
  id: string;
  serverId: number;
  at: number;
  server: ServerWorld;
}
interface Plan {
  id: string;
  serverId: number;
  at: number;
  steps: PlannedStep[];
}

const KEEP_MS = 15 * 60 * 1000;
const MAX_KEPT = 8;
const MAX_WINNER_ROWS = 500;

/**
 * Sync with Crude Functions servers: compare (the pull preview and the diff), pull,
 * reveal a server's value, push with a preview. The server's answers, values included,
 * are kept only in memory, for 15 minutes at most.
 */
export function createSyncService(deps: SyncDeps) {
  const clientFor = deps.clientFor ?? ((t: ServerTarget) => createHttpServerClient(t));
  const snapshots = new Map<string, Snapshot>();
  const plans = new Map<string, Plan>();
  const pushing = new Set<number>();

  const prune = <T extends { at: number }>(m: Map<string, T>) => {
    const now = Date.now();
    for (const [k, v] of m) if (now - v.at > KEEP_MS) m.delete(k);
    while (m.size > MAX_KEPT) m.delete(m.keys().next().value!);
  };
  const localWorld = (server: ServerWorld): World => readLocalWorld(deps, new Set(server.sources.keys()));
  const serverInfo = (id: number) => {
    const s = deps.servers.get(id);
    return { id: s.id, name: s.name, url: s.url };
  };

  async function read(serverId: number): Promise<Snapshot> {
    const client = clientFor(deps.servers.target(serverId));
    const server = await readServerWorld(client);
    prune(snapshots);
    const snap = { id: randomUUID(), serverId, at: Date.now(), server };
    snapshots.set(snap.id, snap);
    return snap;
  }

  function snapshot(id: string, serverId?: number): Snapshot {
    prune(snapshots);
    const s = snapshots.get(id);
    if (!s || (serverId !== undefined && s.serverId !== serverId)) {
      throw new CoreError('NOT_FOUND', 'That preview is no longer kept (previews last 15 minutes): compare again.', 'snapshotId');
    }
    return s;
  }

  const answerOf = (a: Answer, side: World, isLocal: boolean): WinnerAnswer => {
    if (a.refused) return { refused: true };
    const out: WinnerAnswer = { scope: a.scope, valueLength: a.value === null ? null : Buffer.byteLength(a.value, 'utf8') };
    if (a.ref && isLocal) out.secretId = Number(side.ids.get(a.ref));
    if (a.ref && !isLocal) out.ref = a.ref;
    return out;
  };

  return {
    /** Reads the server's rotation status and counts its records: the URL and key work. */
    async test(serverId: number): Promise<ServerCheck> {
      const client = clientFor(deps.servers.target(serverId));
      const rotation = await client.rotationStatus();
      const [functions, groups, keys, secrets, sources] = await Promise.all([client.listFunctions(), client.listGroups(), client.listKeys(), client.listSecrets(), client.listSources()]);
      return {
        server: serverInfo(serverId),
        functions: functions.length,
        groups: groups.length,
        keys: keys.length,
        secrets: secrets.length,
        sources: sources.length,
        rotation: { currentVersion: rotation.currentVersion, lastRotationAt: rotation.lastRotationAt, isInProgress: rotation.isInProgress },
      };
    },

    /** Every record here against the server, and every caller's answer; with `name`, that secret's only. */
    async compare(serverId: number, opts: { name?: string } = {}): Promise<SyncComparison> {
      const snap = await read(serverId);
      const local = localWorld(snap.server);
      const { rows, unchanged } = compareWorlds(local, snap.server);
      const w = differingAnswers(local, snap.server.world, { name: opts.name, limit: MAX_WINNER_ROWS });
      return {
        snapshotId: snap.id,
        server: serverInfo(serverId),
        fetchedAt: new Date(snap.at).toISOString(),
        rows: opts.name === undefined ? rows : rows.filter((r) => r.secret?.name === opts.name),
        unchanged,
        winners: {
          compared: w.compared,
          differing: w.differing,
          rows: w.pairs.map((p) => ({ functionName: p.functionName, caller: p.caller, name: p.name, local: answerOf(p.a, local, true), server: answerOf(p.b, snap.server.world, false) })),
        },
        notes: snap.server.notes,
      };
    },

    /** A secret's or key's value as the server sent it for a preview (an audited disclosure). */
    reveal(snapshotId: string, r: string, purpose: 'reveal' | 'copy' = 'reveal'): string {
      const snap = snapshot(snapshotId);
      const rec = recordOf(snap.server.world, r);
      const server = deps.servers.get(snap.serverId).name;
      if (!rec || (kindOf(r) !== 'secret' && kindOf(r) !== 'key')) throw new CoreError('NOT_FOUND', `Server "${server}" has no secret or key "${r}" in that preview.`, 'ref');
      const value = (rec as SecretRec | KeyRec).value;
      if (value === null) throw new CoreError('DECRYPTION_FAILED', `Server "${server}" sent no value for it: ${(rec as SecretRec).valueProblem ?? 'unreadable'}.`, 'ref');
      if (kindOf(r) === 'secret') {
        const s = rec as SecretRec;
        deps.audit.append({ action: purpose === 'copy' ? 'secret.copied' : 'secret.revealed', recordKind: 'secret', recordName: s.name, scope: s.scope, detail: { server, owner: s.owner } });
      } else {
        const k = rec as KeyRec;
        deps.audit.append({ action: purpose === 'copy' ? 'key.copied' : 'key.revealed', recordKind: 'key', recordName: k.name, detail: { server, group: k.group } });
      }
      return value;
    },

    /** Applies the chosen records of a preview, whole or not at all (pull.ts). */
    pull(serverId: number, snapshotId: string, refs: string[]): PullResult {
      const snap = snapshot(snapshotId, serverId);
      const local = localWorld(snap.server);
      const { rows } = compareWorlds(local, snap.server);
      const result = applyPull(deps, { id: serverId, name: deps.servers.get(serverId).name }, rows, local, snap.server.world, refs);
      snapshots.delete(snapshotId);
      return result;
    },

    /** Reads the server now and plans the push of the chosen records, with what it does to the server's callers. */
    async pushPreview(serverId: number, refs: string[]): Promise<PushPlan> {
      if (refs.length === 0) throw validation('refs', 'Choose at least one record to push.');
      const snap = await read(serverId);
      const local = localWorld(snap.server);
      const { rows } = compareWorlds(local, snap.server);
      const { steps, problems } = planPush(local, snap.server, rows, refs);
      const server = serverInfo(serverId);
      prune(plans);
      const plan: Plan = { id: randomUUID(), serverId, at: Date.now(), steps };
      plans.set(plan.id, plan);
      return {
        planId: plan.id,
        server,
        steps: steps.map(({ ref, kind, label, action, call, changed }) => ({ ref, kind, label, action, call, changed })),
        whatIf: serverWhatIf(server.name, snap.server.world, serverAfter(snap.server.world, steps)),
        problems,
      };
    },

    /**
     * Runs a previewed push. `serverName` must name the server (the confirmation the
     * operator gave); each record's outcome is reported, and nothing local changes.
     */
    async push(serverId: number, planId: string, serverName: string): Promise<PushResult> {
      prune(plans);
      const plan = plans.get(planId);
      const server = serverInfo(serverId);
      if (!plan || plan.serverId !== serverId) throw new CoreError('NOT_FOUND', 'That push preview is no longer kept (previews last 15 minutes): preview the push again.', 'planId');
      if (serverName !== server.name) throw validation('serverName', `The confirmation names "${serverName.slice(0, 80)}", but this push goes to server "${server.name}".`);
      if (pushing.has(serverId)) throw new CoreError('CONFLICT', `A push to server "${server.name}" is already running.`);
      pushing.add(serverId);
      plans.delete(planId);
      try {
        const client = clientFor(deps.servers.target(serverId));
        const fresh = await readServerWorld(client);
        const outcomes = await executePush(client, plan.steps, fresh);
        const done = outcomes.filter((o) => o.status === 'done').length;
        const failed = outcomes.filter((o) => o.status === 'failed').length;
        const skipped = outcomes.filter((o) => o.status === 'skipped').length;
        // A rotation holds its own transaction: record the push after it.
        await deps.gate.whenOpen();
        deps.db.transaction(() => {
          deps.audit.append({
            action: 'sync.pushed',
            recordKind: 'server',
            recordId: serverId,
            recordName: server.name,
            detail: { done, failed, skipped, ...(failed ? { failedRecords: outcomes.filter((o) => o.status === 'failed').slice(0, 20).map((o) => o.label) } : {}) },
          });
          if (done) deps.servers.markPushed(serverId);
        })();
        const summary =
          failed + skipped === 0
            ? `Pushed ${done} change${done === 1 ? '' : 's'} to server "${server.name}".`
            : `Pushed ${done} of ${outcomes.length} changes to server "${server.name}"; ${failed} failed${skipped ? `, ${skipped} not attempted` : ''}. Nothing here was changed.`;
        return { server, outcomes, done, failed, skipped, summary };
      } finally {
        pushing.delete(serverId);
      }
    },

    /** Drops what is kept of a server (it was deleted). */
    forget(serverId: number): void {
      for (const [k, v] of snapshots) if (v.serverId === serverId) snapshots.delete(k);
      for (const [k, v] of plans) if (v.serverId === serverId) plans.delete(k);
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
