// The one registry: every contract operation mapped to a core or host call. Both
// transports (Electron IPC and HTTP /rpc) answer through `createDispatcher`, which
// validates input with the contract's schema and turns failures into the error shape.
import {
  contract,
  isOperationName,
  type OperationName,
  type OperationParsedInput,
  type OperationResult,
  type RpcResponse,
} from '../../shared/contract';
import { runAs, type Actor } from '../core/audit/actor';
import type { Core } from '../core/core-api';
import { CoreError } from '../core/errors';
import { errorShapeOf, validationError } from './errors';
import type { EventBus } from './events';
import type { FunctionHostApi } from './host-api';
import pkg from '../../../package.json';

export type Handlers = {
  [K in OperationName]: (input: OperationParsedInput<K>) => OperationResult<K> | Promise<OperationResult<K>>;
};

export interface RegistryDeps {
  core: Core;
  host: FunctionHostApi;
  mode: 'electron' | 'browser';
  /** Replaces the open installation with a backup's (services.ts owns the swap). */
  restore?: (content: string, passphrase: string) => Promise<{ restoredFrom: string; previousDataKeptIn: string }>;
}

/** Maps every operation (a missing one is a compile error) to core or the host. */
export function createHandlers({ core, host, mode, restore }: RegistryDeps): Handlers {
  const ctx = (i: { functionId: number; keyId?: number | null }) => ({ functionId: i.functionId, keyId: i.keyId ?? null });
  // resolve/complete answer what the handler would get: a public function ignores the key,
  // and a caller the function refuses (401) is a validation error on keyId.
  const callerCtx = (i: { functionId: number; keyId?: number | null }) => core.secrets.callerContext(i.functionId, i.keyId);
  return {
    'app.info': () => ({ mode, version: pkg.version, ...core.paths }),

    'groups.list': () => core.groups.list(),
    'groups.create': (i) => core.groups.create(i),
    'groups.update': (i) => core.groups.update(i),
    'groups.delete': (i) => core.groups.delete(i.id),

    'keys.list': (i) => core.keys.list(i.groupId),
    'keys.create': (i) => core.keys.create(i),
    'keys.update': (i) => core.keys.update(i),
    'keys.delete': (i) => core.keys.delete(i.id),
    'keys.reveal': (i) => ({ id: i.id, value: core.keys.reveal(i.id, i.purpose) }),

    'functions.list': () => core.functions.list(),
    'functions.get': (i) => core.functions.get(i.id),
    'functions.create': (i) => core.functions.create(i),
    'functions.update': (i) => core.functions.update(i),
    'functions.delete': (i) => core.functions.delete(i.id),
    'functions.setEnabled': (i) => core.functions.setEnabled(i.id, i.enabled),
    'functions.logs': (i) => core.executions.list(i.functionId, i.limit),
    'functions.invoke': (i) => host.invoke(i),
    'functions.secretUses': (i) => core.secrets.usesOf(i.functionId),
    'functions.computedSecretCalls': (i) => core.secrets.computedCallsOf(i.functionId),

    'code.list': () => core.code.list(),
    'code.check': (i) => core.code.check(i.path),
    'code.read': (i) => ({ path: i.path, content: core.code.read(i.path) }),
    'code.write': (i) => core.code.write(i.path, i.content),
    'code.delete': (i) => {
      core.code.delete(i.path);
      return { path: i.path };
    },

    'secrets.list': (i) => core.secrets.list(i.scope, i.scopeId, i.limit),
    'secrets.create': (i) => core.secrets.create(i),
    'secrets.update': (i) => core.secrets.update(i),
    'secrets.delete': (i) => {
      core.secrets.delete(i.id);
      return { id: i.id };
    },
    'secrets.reveal': (i) => ({ id: i.id, value: core.secrets.reveal(i.id, i.purpose) }),
    'secrets.history': (i) => ('id' in i ? core.secrets.history(i.id) : core.secrets.historyAt(i.scope, i.scopeId, i.name)),
    'secrets.revealVersion': (i) => ({ versionId: i.versionId, value: core.secrets.revealVersion(i.versionId, i.purpose) }),
    'secrets.deleted': (i) => core.secrets.deleted(i.scope, i.scopeId),
    'secrets.restore': (i) => core.secrets.restore(i.versionId),
    'changes.preview': (i) => core.changes.preview(i.change),
    'secrets.importPreview': (i) => core.secrets.importPreview(i.scope, i.scopeId, i.format, i.text),
    'secrets.import': (i) => core.secrets.importEntries(i.scope, i.scopeId, i.entries),
    'secrets.export': (i) => core.secrets.exportScope(i.scope, i.scopeId, i.format),
    'backup.create': (i) => core.backups.create(i.passphrase),
    'backup.status': () => core.backups.status(),
    'backup.restore': async (i) => {
      if (!restore) throw new CoreError('CONFLICT', 'This app instance cannot replace its installation; restore with --restore FILE into a fresh data folder.');
      return await restore(i.content, i.passphrase);
    },
    'audit.list': ({ limit, beforeId, ...filter }) => ({ ...core.audit.list(filter, limit, beforeId), chain: core.audit.verify() }),
    'audit.export': (filter) => {
      const jsonl = core.audit.exportLines(filter);
      core.audit.append({ action: 'audit.exported', detail: { entries: jsonl ? jsonl.split('\n').length : 0 } });
      return { fileName: `crude-functions-audit-${new Date().toISOString().slice(0, 10)}.jsonl`, jsonl, entries: jsonl ? jsonl.split('\n').length : 0 };
    },
    'secrets.names': (i) => core.secrets.names(i.query),
    'secrets.inspect': (i) => core.secrets.inspect(i.name),
    'secrets.explain': (i) => core.secrets.explain(i.name, ctx(i)),
    'secrets.resolve': (i) => {
      const r = core.secrets.getSecret(i.name, callerCtx(i), i.scope);
      return r ? { name: i.name, scope: r.scope, value: r.value } : { name: i.name, scope: null };
    },
    'secrets.complete': (i) => core.secrets.getCompleteSecret(i.name, callerCtx(i)) ?? null,
    'secrets.matrix': ({ name, ...window }) => core.secrets.matrix(name, window),
    'secrets.overrides': (i) => core.secrets.overridesIn(i.scope, i.scopeId),
    'secrets.inherited': (i) => core.secrets.inheritedIn(i.scope, i.scopeId),
    'secrets.callerOverview': (i) => core.secrets.callerOverview(i.functionId, i.keyId),
    'secrets.similarNames': (i) => core.secrets.similarNames(i.name),
    'secrets.deletePreview': (i) => core.secrets.deletePreview(i.kind, i.id),

    'rotation.status': () => core.rotation.status(),
    'rotation.rotateNow': async () => await core.rotation.rotateNow(),
    'rotation.setInterval': (i) => core.rotation.setInterval(i.days),

    'keyProtection.status': async () => await core.keyProtection.status(),
    'keyProtection.set': async (i) => await core.keyProtection.set(i.protection),
    'recoveryKit.create': (i) => core.keyProtection.createRecoveryKit(i.passphrase),

    'host.status': () => host.status(),

    'servers.list': () => core.servers.list(),
    'servers.create': (i) => core.servers.create(i),
    'servers.update': (i) => core.servers.update(i),
    'servers.delete': (i) => {
      core.servers.delete(i.id);
      return { id: i.id };
    },
    'servers.test': (i) => core.sync.test(i.id),
    'sync.compare': (i) => core.sync.compare(i.serverId, { name: i.name }),
    'sync.reveal': (i) => ({ value: core.sync.reveal(i.snapshotId, i.ref, i.purpose) }),
    'sync.pull': (i) => core.sync.pull(i.serverId, i.snapshotId, i.refs),
    'sync.pushPreview': (i) => core.sync.pushPreview(i.serverId, i.refs),
    'sync.push': (i) => core.sync.push(i.serverId, i.planId, i.serverName),
    'health.report': () => core.health(),

    'settings.get': () => core.settings.get(),
    'settings.set': (i) => core.settings.set(i),
  };
}

/** `actor`: who calls (the transport knows): the history and the audit log record it. */
export type Dispatch = (operation: string, rawInput: unknown, actor?: Actor) => Promise<RpcResponse<unknown>>;

export interface DispatcherOptions {
  /** How long a write waits for a running key rotation to finish (default 30 s). */
  rotationWaitMs?: number;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The path of the first string (or key) in `value` with a lone surrogate, "" for the top
 * level, or null when all text is well formed. Such text has no UTF-8 form: stored, it
 * would silently become U+FFFD, so it is refused instead.
 */
export function brokenText(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.isWellFormed() ? null : path;
  if (!value || typeof value !== 'object' || depth > 20) return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const here = path ? `${path}.${k}` : k;
    if (!k.isWellFormed()) return here;
    const found = brokenText(v, here, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * `dispatch(operation, rawInput)`: unknown operation → NOT_FOUND; schema failure →
 * VALIDATION naming the field; CoreError → its shape; anything else → INTERNAL.
 * Writes wait for a running rotation instead of failing, and announce 'data.changed'.
 */
export function createDispatcher(deps: RegistryDeps & { bus?: EventBus }, options: DispatcherOptions = {}): Dispatch {
  const handlers = createHandlers(deps);
  const waitMs = options.rotationWaitMs ?? 30_000;
  const pollMs = options.pollMs ?? 50;

  async function rotationIdle(): Promise<void> {
    const deadline = Date.now() + waitMs;
    while (deps.core.rotation.status().inProgress && Date.now() < deadline) await sleep(pollMs);
  }

  return async (operation, rawInput, actor = { via: 'app' }) => runAs(actor, async () => {
    if (typeof operation !== 'string' || !isOperationName(operation)) {
      return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown operation "${String(operation)}".` } };
    }
    const spec = contract[operation];
    const broken = brokenText(rawInput);
    if (broken !== null) {
      const field = broken || undefined;
      return { ok: false, error: { code: 'VALIDATION', message: `${field ? `Field "${field}"` : 'The input'} contains a broken character (a lone UTF-16 surrogate) that cannot be stored as text.`, ...(field ? { field } : {}) } };
    }
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
    try {
      // The rotation run itself must not wait for itself.
      if (spec.mutates && operation !== 'rotation.rotateNow') await rotationIdle();
      const handler = handlers[operation] as (input: unknown) => unknown;
      const data = await handler(parsed.data);
      if (spec.mutates) deps.bus?.emit('data.changed', { operation });
      return { ok: true, data: data === undefined ? null : data };
    } catch (err) {
      return { ok: false, error: errorShapeOf(err, operation) };
    }
  });
}
