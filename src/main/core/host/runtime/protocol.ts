// The channel between the function host and a handler process: length-prefixed binary
// frames over the child's stdin (host → handler) and stdout (handler → host). Plain
// TypeScript with no Node or Deno API, because both sides import it: the host from core,
// the handler process from the bundled runtime (runtime/deno/child/runtime.ts).
//
// Frame: u32 LE length of what follows | u8 kind | u32 LE id | u32 LE JSON length | JSON | bytes
// The id is a request sequence number (RUN, RESPONSE, …) or a secret call id (SECRET, ANSWER).

/** Host → handler process. */
export const TO_HANDLER = {
  /** id = request seq; JSON = RunMessage; bytes = request body. */
  RUN: 1,
  /** id = secret call id; JSON = SecretAnswer. */
  ANSWER: 2,
  /** id = request seq: the host stopped waiting (timeout); drop its response. */
  CANCEL: 3,
  /** id = ping number; answered by PONG while the process's event loop turns. */
  PING: 4,
} as const;

/** Handler process → host. Everything of this direction is hostile input to the host. */
export const FROM_HANDLER = {
  /** The handler module loaded and has a default export function. */
  READY: 10,
  /** JSON = LoadFailedMessage: the module threw at import or has no default export. */
  LOAD_FAILED: 11,
  /** id = request seq (0: outside any request); JSON = ConsoleMessage. */
  CONSOLE: 12,
  /** id = secret call id; JSON = SecretCall. */
  SECRET: 13,
  /** id = request seq; JSON = ResponseHead; bytes = response body. */
  RESPONSE: 14,
  /** id = request seq; JSON = RunFailedMessage. */
  FAILED: 15,
  /** id = the ping's number. */
  PONG: 16,
  /** id = request seq the rejection happened in (0 when unknown); JSON = ErrorFacts. */
  UNHANDLED: 17,
} as const;

/** Console text a handler process sends per entry, before the host redacts and shortens it. */
export const MAX_CONSOLE_CHARS_SENT = 16 * 1024;
/** Error messages and stacks a handler process sends, per field. */
export const MAX_ERROR_CHARS_SENT = 16 * 1024;

export const SECRET_SCOPES = ['global', 'function', 'group', 'key'] as const;

/** The platform's words for a scope that is none of the four (handler-context.md). */
export function invalidScopeMessage(scope: unknown): string {
  return `Invalid secret scope: ${String(scope)}. Must be one of: ${SECRET_SCOPES.join(', ')}`;
}

export type ConsoleLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface HandlerCtxData {
  route: { name: string; description?: string; handler: string; route: string; methods: string[]; keys?: number[] };
  params: Record<string, string>;
  query: Record<string, string>;
  authenticatedKeyGroup: string | undefined;
  requestedAt: string;
  requestId: string;
}

export interface RunMessage {
  method: string;
  /** The URL as the handler sees it: below /run, as the platform passes it ("/users/42?x=1"). */
  url: string;
  headers: [string, string][];
  ctx: HandlerCtxData;
}

export interface SecretCall {
  /** The request whose ctx made the call: the host answers only calls of requests still running. */
  seq: number;
  call: 'getSecret' | 'getCompleteSecret';
  name: unknown;
  scope?: unknown;
}

export type SecretAnswer = { ok: true; value?: unknown } | { ok: false; message: string };

export interface ConsoleMessage {
  level: ConsoleLevel;
  message: string;
}

export interface ResponseHead {
  status: number;
  headers: [string, string][];
}

export interface ErrorFacts {
  name?: string;
  message: string;
  stack?: string;
}

export type LoadFailedMessage = ({ kind: 'throw' } & ErrorFacts) | { kind: 'no-default-export'; exported: string };

export type RunFailedMessage =
  | ({ kind: 'throw' } & ErrorFacts)
  | { kind: 'not-response'; returned: string }
  | { kind: 'too-large'; limit: number };

// Name, message and stack of an error, each escaped at worst to six bytes a character.
const ERROR_FRAME_JSON = 3 * 6 * MAX_ERROR_CHARS_SENT + 4096;

/** What the host accepts per kind from a handler process: JSON and binary bytes. */
export function handlerFrameLimits(maxResponseBytes: number): FrameLimits {
  const small = (json: number) => ({ json, bytes: 0 });
  return {
    [FROM_HANDLER.READY]: small(1024),
    [FROM_HANDLER.LOAD_FAILED]: small(ERROR_FRAME_JSON),
    // JSON escapes a control character as six bytes.
    [FROM_HANDLER.CONSOLE]: small(6 * MAX_CONSOLE_CHARS_SENT + 1024),
    [FROM_HANDLER.SECRET]: small(2 * 1024),
    // Response headers are JSON; 1 MB of them is far more than any server accepts.
    [FROM_HANDLER.RESPONSE]: { json: 1024 * 1024, bytes: maxResponseBytes },
    [FROM_HANDLER.FAILED]: small(ERROR_FRAME_JSON),
    [FROM_HANDLER.PONG]: small(64),
    [FROM_HANDLER.UNHANDLED]: small(ERROR_FRAME_JSON),
  };
}

/** What a handler process accepts from the host. */
export function hostFrameLimits(maxRequestBytes: number): FrameLimits {
  return {
    [TO_HANDLER.RUN]: { json: 4 * 1024 * 1024, bytes: maxRequestBytes },
    [TO_HANDLER.ANSWER]: { json: 1024 * 1024, bytes: 0 },
    [TO_HANDLER.CANCEL]: { json: 64, bytes: 0 },
    [TO_HANDLER.PING]: { json: 64, bytes: 0 },
  };
}


const HEADER_BYTES = 13;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One frame, ready to write. */
export function encodeFrame(kind: number, id: number, json?: unknown, bytes?: Uint8Array | null): Uint8Array {
  const head = json === undefined ? new Uint8Array(0) : encoder.encode(JSON.stringify(json));
  const bodyLength = bytes?.byteLength ?? 0;
  const frame = new Uint8Array(HEADER_BYTES + head.byteLength + bodyLength);
  const view = new DataView(frame.buffer);
  view.setUint32(0, frame.byteLength - 4, true);
  view.setUint8(4, kind);
  view.setUint32(5, id >>> 0, true);
  view.setUint32(9, head.byteLength, true);
  frame.set(head, HEADER_BYTES);
  if (bytes && bodyLength) frame.set(bytes, HEADER_BYTES + head.byteLength);
  return frame;
}

export interface Frame {
  kind: number;
  id: number;
  /** Parsed JSON part, or undefined when there was none. */
  json: unknown;
  bytes: Uint8Array;
}

export class FrameError extends Error {
  override name = 'FrameError';
}

/** Largest JSON and binary part per kind; a kind missing here is refused. */
export type FrameLimits = Record<number, { json: number; bytes: number }>;

/**
 * Cuts a byte stream into frames. The sizes in a frame's header are checked against the
 * limits before anything of the frame is buffered, so a peer announcing 50 MB of console
 * text is refused at its first 13 bytes.
 */
export class FrameReader {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private need = HEADER_BYTES;
  private header: { length: number; kind: number; id: number; jsonLength: number } | null = null;

  constructor(private readonly limits: FrameLimits) {}

  /** Feeds bytes; calls `onFrame` for each complete frame. Throws FrameError on a bad header or JSON. */
  push(chunk: Uint8Array, onFrame: (f: Frame) => void): void {
    if (chunk.byteLength === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    while (this.buffered >= this.need) {
      if (!this.header) {
        const head = this.take(HEADER_BYTES);
        const view = new DataView(head.buffer, head.byteOffset, HEADER_BYTES);
        const length = view.getUint32(0, true);
        const kind = view.getUint8(4);
        const id = view.getUint32(5, true);
        const jsonLength = view.getUint32(9, true);
        const limit = this.limits[kind];
        if (limit === undefined) throw new FrameError(`unknown frame kind ${kind}`);
        if (length < HEADER_BYTES - 4 + jsonLength) throw new FrameError(`frame of kind ${kind} is shorter than its JSON part`);
        if (jsonLength > limit.json) throw new FrameError(`frame of kind ${kind} carries ${jsonLength} bytes of JSON; the limit is ${limit.json}`);
        const bytesLength = length - (HEADER_BYTES - 4) - jsonLength;
        if (bytesLength > limit.bytes) throw new FrameError(`frame of kind ${kind} carries ${bytesLength} bytes; the limit is ${limit.bytes}`);
        this.header = { length, kind, id, jsonLength };
        this.need = length - (HEADER_BYTES - 4);
        continue;
      }
      const { kind, id, jsonLength } = this.header;
      const rest = this.take(this.need);
      this.header = null;
      this.need = HEADER_BYTES;
      let json: unknown;
      if (jsonLength > 0) {
        try {
          json = JSON.parse(decoder.decode(rest.subarray(0, jsonLength)));
        } catch {
          throw new FrameError(`frame of kind ${kind} carries JSON that does not parse`);
        }
      }
      onFrame({ kind, id, json, bytes: rest.subarray(jsonLength) });
    }
  }

  /** Removes and returns the first `n` buffered bytes (n ≤ buffered). */
  private take(n: number): Uint8Array {
    if (n === 0) return new Uint8Array(0);
    const first = this.chunks[0]!;
    if (first.byteLength >= n) {
      this.buffered -= n;
      if (first.byteLength === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0]!;
      const part = Math.min(c.byteLength, n - filled);
      out.set(c.subarray(0, part), filled);
      filled += part;
      if (part === c.byteLength) this.chunks.shift();
      else this.chunks[0] = c.subarray(part);
    }
    this.buffered -= n;
    return out;
  }
}

/** Joins frames queued in one turn into one write. */
export function concatFrames(frames: Uint8Array[]): Uint8Array {
  if (frames.length === 1) return frames[0]!;
  let total = 0;
  for (const f of frames) total += f.byteLength;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const f of frames) {
    out.set(f, offset);
    offset += f.byteLength;
  }
  return out;
}
