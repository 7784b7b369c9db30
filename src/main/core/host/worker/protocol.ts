// Messages between the function host (main) and a handler worker. Secret values travel
// only in `secret-result`, and only for the name the handler asked for.
import type { ConsoleLevel, Scope } from '../../../../shared/types';

export interface WorkerData {
  /** ESM source of the bundled handler. */
  code: string;
  /** The function's route pattern, e.g. "/users/:id" (served below /run). */
  route: string;
  /** Where `require` inside the handler resolves from (code/). */
  codeDir: string;
  maxResponseBytes: number;
}

export interface SerializedRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: ArrayBuffer | null;
}

export interface HandlerCtxData {
  route: { name: string; description?: string; handler: string; route: string; methods: string[]; keys?: number[] };
  params: Record<string, string>;
  query: Record<string, string>;
  authenticatedKeyGroup: string | undefined;
  requestedAt: string;
  requestId: string;
}

export type MainToWorker =
  | { type: 'run'; request: SerializedRequest; ctx: HandlerCtxData }
  | { type: 'secret-result'; callId: number; ok: true; value: unknown }
  | { type: 'secret-result'; callId: number; ok: false; message: string };

export type WorkerToMain =
  | { type: 'ready' }
  | { type: 'load-error'; message: string; stack?: string }
  | { type: 'console'; level: ConsoleLevel; message: string }
  /** `requestId` is the request whose ctx made the call: main answers only that request's own calls. */
  | { type: 'secret'; callId: number; requestId: string; call: 'getSecret' | 'getCompleteSecret'; name: unknown; scope: unknown }
  | { type: 'response'; status: number; headers: [string, string][]; body: ArrayBuffer }
  | { type: 'handler-error'; status: number; message: string; stack?: string };

export type { Scope };
