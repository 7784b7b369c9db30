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
import type { Core } from '../core/core-api';
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
}

/** Maps every operation (a missing one is a compile error) to core or the host. */
export function createHandlers({ core, host, mode }: RegistryDeps): Handlers {
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
    'keys.reveal': (i) => ({ id: i.id, value: core.keys.reveal(i.id) }),

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
    'secrets.reveal': (i) => ({ id: i.id, value: core.secrets.reveal(i.id) }),
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

    'host.status': () => host.status(),

    'health.report': () => core.health(),

    'settings.get': () => core.settings.get(),
    'settings.set': (i) => core.settings.set(i),
  };
}

export type Dispatch = (operation: string, rawInput: unknown) => Promise<RpcResponse<unknown>>;

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

  return async (operation, rawInput) => {
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
  };
}
