// The client half of the contract at run time: `window.crude` built from one call
// function (HTTP in browser mode, the preload's bridge in Electron). It imports only
// types from contract.ts, so the renderer and the preload never evaluate zod and the
// contract's schemas: a sandboxed preload cannot load packages, and in the renderer that
// evaluation delayed the first request (docs/benchmarks.md, ui).
import type { CrudeClient, EventName, OperationName } from './contract';
import type { ErrorCode } from './types';

type Invoke = (operation: OperationName, input: unknown) => Promise<unknown>;
type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

/** What preload exposes in Electron (`window.crudeBridge`): one call per operation, and events. */
export interface CrudeBridge {
  call(operation: OperationName, input: unknown): Promise<unknown>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

// Keys a caller may probe on any object (await, JSON, inspection) that must not look like operations.
const NOT_OPERATIONS = new Set(['then', 'toJSON', 'constructor', 'prototype', '$$typeof']);

/**
 * The typed client `window.crude` on one call function: `crude.secrets.list(input)` calls
 * "secrets.list". Its type is derived from the contract; at run time it needs no list of
 * names, and main refuses a name the contract does not declare.
 */
export function buildClient(invoke: Invoke, subscribe: Subscribe): CrudeClient {
  const namespaces = new Map<string, object>();
  const namespace = (ns: string) => {
    let methods = namespaces.get(ns);
    if (!methods) {
      const fns = new Map<string, (input: unknown) => Promise<unknown>>();
      methods = new Proxy(
        {},
        {
          get(_t, m) {
            if (typeof m !== 'string' || NOT_OPERATIONS.has(m)) return undefined;
            let fn = fns.get(m);
            if (!fn) fns.set(m, (fn = (input: unknown) => invoke(`${ns}.${m}` as OperationName, input ?? {})));
            return fn;
          },
        },
      );
      namespaces.set(ns, methods);
    }
    return methods;
  };
  return new Proxy({} as CrudeClient, {
    get(_t, ns) {
      if (ns === 'on') return subscribe;
      if (typeof ns !== 'string' || NOT_OPERATIONS.has(ns)) return undefined;
      return namespace(ns);
    },
  });
}

/** Thrown by clients when the transport answers `{ ok: false }`. */
export class RpcError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}
