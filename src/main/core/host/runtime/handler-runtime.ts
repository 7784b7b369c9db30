// The handler runtime as the function host sees it: run one request on one function's
// handler, report what the handler printed and which secrets it asked for, and never throw.
// The Deno sandbox (./deno) implements it; the host depends on this interface only.
import type { HandlerPhase } from '../../../../shared/types';
import type { ConsoleLevel, HandlerCtxData } from './protocol';

export type { ConsoleLevel, HandlerCtxData } from './protocol';

/** What a run needs to know about the function. */
export interface RuntimeFunction {
  id: number;
  /** Handler path relative to code/, as stored ("examples/hello.ts"). */
  handler: string;
  route: string;
}

export interface RuntimeRequest {
  method: string;
  /** The URL the handler sees: below /run ("http://127.0.0.1:8000/users/42?x=1"). */
  url: string;
  headers: [string, string][];
  body: Uint8Array | null;
}

export interface RuntimeLimits {
  timeoutMs: number;
  memoryMb: number;
  maxResponseBytes: number;
}

export interface RunHooks {
  onConsole(level: ConsoleLevel, message: string): void;
  /**
   * Answers a handler's getSecret / getCompleteSecret for this request's context only.
   * Throws (with a message the handler may see) to reject the call.
   */
  onSecret(call: 'getSecret' | 'getCompleteSecret', name: unknown, scope: unknown): unknown;
}

/** Why a run produced no response from the handler, in the platform's categories. */
export type HandlerFailure =
  /** The handler file does not exist. */
  | { kind: 'handler-missing'; message: string }
  /** The module has no default export function. */
  | { kind: 'no-default-export'; message: string }
  | { kind: 'syntax'; message: string; location?: string }
  /** Anything else that stopped the module from loading: a missing import, a fetch that failed, an import leaving code/, a throw at import. */
  | { kind: 'load'; message: string; location?: string; stack?: string }
  /** The handler threw, rejected, or returned something that is not a Response. */
  | { kind: 'threw'; message: string; stack?: string }
  | { kind: 'response-too-large'; message: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'memory'; message: string }
  /** The handler process ended or broke its channel while the request ran. */
  | { kind: 'crashed'; message: string };

export type RunOutcome =
  | { kind: 'response'; status: number; headers: [string, string][]; body: Uint8Array }
  | { kind: 'failure'; failure: HandlerFailure };

/** A function's runtime state, for the UI ("fetching dependencies…"). */
export type RuntimePhase = HandlerPhase;

export interface HandlerRuntime {
  /** Runs one request; every failure is an outcome, never a throw. */
  run(fn: RuntimeFunction, request: RuntimeRequest, ctx: HandlerCtxData, hooks: RunHooks, limits: RuntimeLimits): Promise<RunOutcome>;
  /** Phase changes of each function's handler process. */
  onPhase(listener: (functionId: number, phase: RuntimePhase) => void): () => void;
  /** Stops every handler process. */
  dispose(): Promise<void>;
}
