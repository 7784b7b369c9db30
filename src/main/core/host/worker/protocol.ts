// Messages between the function host (main) and a handler worker. Secret values travel
// only through the secret channel (secret-channel.ts), and only for the name the handler asked for.
import type { ConsoleLevel, Scope } from '../../../../shared/types';

export interface WorkerData {
  /** ESM source of the bundled handler. */
  code: string;
  /** The function's route pattern, e.g. "/users/:id" (served below /run). */
  route: string;
  /** Where `require` inside the handler resolves from (code/). */
  codeDir: string;
  maxResponseBytes: number;
  /** Where main writes each answer to ctx.getSecret (see secret-channel.ts); one per worker. */
  secretChannel?: SharedArrayBuffer;
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

export type MainToWorker = { type: 'run'; request: SerializedRequest; ctx: HandlerCtxData };

export type WorkerToMain =
  | { type: 'ready' }
  | { type: 'load-error'; message: string; stack?: string }
  | { type: 'console'; level: ConsoleLevel; message: string }
  /** `requestId` is the request whose ctx made the call: main answers only that request's own calls. */
  | { type: 'secret'; callId: number; requestId: string; call: 'getSecret' | 'getCompleteSecret'; name: unknown; scope: unknown }
  | { type: 'response'; status: number; headers: [string, string][]; body: ArrayBuffer }
  | { type: 'handler-error'; status: number; message: string; stack?: string };

export type { Scope };
