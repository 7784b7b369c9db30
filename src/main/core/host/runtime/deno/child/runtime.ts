// Runs inside a handler process (Deno), before the handler module: the process's side of
// the channel to the host, the handler's `c` (Hono) and `ctx`, and the platform's
// isolation of a handler from its process (empty Deno.env, no Deno.exit, no chdir).
// It is bundled with Hono into one file (scripts/handler-runtime.mjs) that the process's
// entry module imports ahead of the handler, so it is evaluated first.
//
// This is not where the sandbox is: the process runs without file, env, subprocess, FFI
// or loopback permissions (../sandbox.ts), and the host treats every byte it sends as
// hostile. This file makes the handler's world look like the platform's.
import { AsyncLocalStorage } from 'node:async_hooks';
import process from 'node:process';
import { format, inspect } from 'node:util';
import { Hono } from 'hono';
import { MAX_NAME_LENGTH, SECRET_NAME_PATTERN } from '../../../../../../shared/rules';
import { readCapped } from '../../../read-capped';
import {
  FROM_HANDLER,
  FrameReader,
  MAX_CONSOLE_CHARS_SENT,
  MAX_ERROR_CHARS_SENT,
  SECRET_SCOPES,
  TO_HANDLER,
  concatFrames,
  encodeFrame,
  hostFrameLimits,
  invalidScopeMessage,
  type ConsoleLevel,
  type ErrorFacts,
  type HandlerCtxData,
  type RunMessage,
  type SecretAnswer,
} from '../../protocol';

// The few Deno APIs used here (the project is type-checked against Node's types).
interface DenoLike {
  stdin: { readable: ReadableStream<Uint8Array> };
  stdout: { writable: WritableStream<Uint8Array> };
  exit(code?: number): never;
}
declare const Deno: DenoLike & Record<string, unknown>;

export interface RuntimeConfig {
  route: string;
  maxRequestBytes: number;
  maxResponseBytes: number;
}

interface RequestState {
  seq: number;
  env: Map<string, string>;
  cancelled: boolean;
}

const exit = Deno.exit.bind(Deno);
const als = new AsyncLocalStorage<RequestState>();
const currentSeq = () => als.getStore()?.seq ?? 0;

// ---- the channel: the only writer of stdout and the only reader of stdin ----------------

const out = Deno.stdout.writable.getWriter();
let queued: Uint8Array[] = [];
let flushScheduled = false;

function flush() {
  flushScheduled = false;
  const chunk = concatFrames(queued);
  queued = [];
  out.write(chunk).catch(() => exit(0)); // the host is gone
}

function send(kind: number, id: number, json?: unknown, bytes?: Uint8Array | null) {
  queued.push(encodeFrame(kind, id, json, bytes));
  if (!flushScheduled) {
    flushScheduled = true;
    queueMicrotask(flush);
  }
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… [${text.length - max} more characters]` : text);

function facts(err: unknown): ErrorFacts {
  if (err instanceof Error) {
    return {
      name: cut(String(err.name), 200),
      message: cut(String(err.message), MAX_ERROR_CHARS_SENT),
      stack: typeof err.stack === 'string' ? cut(err.stack, MAX_ERROR_CHARS_SENT) : undefined,
    };
  }
  return { message: cut(inspect(err), MAX_ERROR_CHARS_SENT) };
}

// ---- what the handler sees instead of the process's own streams -------------------------

function emit(level: ConsoleLevel, args: unknown[]) {
  send(FROM_HANDLER.CONSOLE, currentSeq(), { level, message: cut(format(...args), MAX_CONSOLE_CHARS_SENT) });
}

const counts = new Map<string, number>();
const timers = new Map<string, number>();
let indent = '';
const at = (level: ConsoleLevel) => (...args: unknown[]) => emit(level, indent ? [indent + format(...args)] : args);
const handlerConsole = {
  log: at('log'),
  info: at('info'),
  debug: at('debug'),
  warn: at('warn'),
  error: at('error'),
  trace: (...args: unknown[]) => emit('error', [`Trace: ${format(...args)}\n${new Error().stack?.split('\n').slice(2).join('\n') ?? ''}`]),
  dir: (value: unknown) => emit('log', [inspect(value)]),
  dirxml: at('log'),
  table: (value: unknown) => emit('log', [inspect(value)]),
  assert: (condition: unknown, ...args: unknown[]) => {
    if (!condition) emit('error', ['Assertion failed', ...args]);
  },
  count: (label = 'default') => {
    const n = (counts.get(label) ?? 0) + 1;
    counts.set(label, n);
    emit('log', [`${label}: ${n}`]);
  },
  countReset: (label = 'default') => counts.delete(label),
  group: (...args: unknown[]) => {
    if (args.length) emit('log', args);
    indent += '  ';
  },
  groupCollapsed: (...args: unknown[]) => handlerConsole.group(...args),
  groupEnd: () => {
    indent = indent.slice(2);
  },
  time: (label = 'default') => timers.set(label, performance.now()),
  timeLog: (label = 'default', ...args: unknown[]) => emit('log', [`${label}: ${(performance.now() - (timers.get(label) ?? performance.now())).toFixed(3)}ms`, ...args]),
  timeEnd: (label = 'default') => {
    handlerConsole.timeLog(label);
    timers.delete(label);
  },
  clear: () => {},
};
Object.defineProperty(globalThis, 'console', { value: handlerConsole, writable: true, configurable: true });

// Writes to Deno.stdout/stderr or process.stdout/stderr become console entries, so that a
// library printing directly cannot break the channel on stdout.
const decoder = new TextDecoder();
function printer(level: ConsoleLevel) {
  const write = (data: unknown) => {
    const text = typeof data === 'string' ? data : data instanceof Uint8Array ? decoder.decode(data) : String(data);
    emit(level, [text.replace(/\n$/, '')]);
    return data instanceof Uint8Array ? data.byteLength : text.length;
  };
  return {
    write: (data: Uint8Array) => Promise.resolve(write(data)),
    writeSync: write,
    writable: new WritableStream<Uint8Array>({ write: (chunk) => void write(chunk) }),
    isTerminal: () => false,
    close: () => {},
    rid: -1,
  };
}
const noInput = {
  read: () => Promise.resolve(null),
  readSync: () => null,
  readable: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
  isTerminal: () => false,
  setRaw: () => {},
  close: () => {},
  rid: -1,
};
const stdinStream = Deno.stdin.readable;
const printers = { log: printer('log'), error: printer('error') };
for (const [name, value] of [['stdout', printers.log], ['stderr', printers.error], ['stdin', noInput]] as const) {
  Object.defineProperty(Deno, name, { value, writable: false, configurable: false });
}
for (const [stream, level] of [[process.stdout, 'log'], [process.stderr, 'error']] as const) {
  (stream as unknown as { write: (d: unknown, ...rest: unknown[]) => boolean }).write = (data: unknown, ...rest: unknown[]) => {
    printers[level].writeSync(data);
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (done) queueMicrotask(done);
    return true;
  };
}

// ---- the platform's isolation: an empty env per request, no exit, no chdir ---------------

const moduleEnv = new Map<string, string>();
const envOf = () => als.getStore()?.env ?? moduleEnv;
Object.defineProperty(Deno, 'env', {
  value: {
    get: (key: string) => envOf().get(key),
    set: (key: string, value: string) => void envOf().set(String(key), String(value)),
    delete: (key: string) => void envOf().delete(key),
    has: (key: string) => envOf().has(key),
    toObject: () => Object.fromEntries(envOf()),
  },
  writable: false,
  configurable: false,
});
const refuse = (what: string, instead: string) => () => {
  throw new Error(`Handlers cannot call ${what}: ${instead}`);
};
Object.defineProperty(Deno, 'exit', { value: refuse('Deno.exit()', 'return a Response instead.'), writable: false, configurable: false });
Object.defineProperty(Deno, 'chdir', { value: refuse('Deno.chdir()', 'use absolute paths instead.'), writable: false, configurable: false });
process.exit = refuse('process.exit()', 'return a Response instead.') as typeof process.exit;
process.chdir = refuse('process.chdir()', 'use absolute paths instead.');

// ---- errors outside any await of the handler ---------------------------------------------

let loaded = false;
addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  const reason = (event as PromiseRejectionEvent).reason;
  if (!loaded) send(FROM_HANDLER.LOAD_FAILED, 0, { kind: 'throw', ...facts(reason) });
  else send(FROM_HANDLER.UNHANDLED, currentSeq(), facts(reason));
});
addEventListener('error', (event) => {
  event.preventDefault();
  const err = (event as ErrorEvent).error ?? (event as ErrorEvent).message;
  if (!loaded) send(FROM_HANDLER.LOAD_FAILED, 0, { kind: 'throw', ...facts(err) });
  else send(FROM_HANDLER.UNHANDLED, currentSeq(), facts(err));
});

// ---- secrets: each call is a request to the host, answered for that request only ---------

let nextCall = 1;
const pendingCalls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
const SCOPES = new Set<unknown>(SECRET_SCOPES);

function askHost(seq: number, call: 'getSecret' | 'getCompleteSecret', name: unknown, scope?: unknown): Promise<unknown> {
  if (call === 'getSecret' && scope !== undefined && !SCOPES.has(scope)) return Promise.reject(new Error(invalidScopeMessage(scope)));
  // No secret can have such a name; the platform's lookup would find nothing either.
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !SECRET_NAME_PATTERN.test(name)) return Promise.resolve(undefined);
  const id = nextCall++;
  send(FROM_HANDLER.SECRET, id, scope === undefined ? { seq, call, name } : { seq, call, name, scope });
  return new Promise((resolve, reject) => pendingCalls.set(id, { resolve, reject }));
}

function answer(id: number, reply: SecretAnswer) {
  const pending = pendingCalls.get(id);
  if (!pending) return;
  pendingCalls.delete(id);
  if (reply.ok) pending.resolve(reply.value ?? undefined);
  else pending.reject(new Error(reply.message));
}

function makeCtx(seq: number, data: HandlerCtxData) {
  return {
    route: data.route,
    params: data.params,
    query: data.query,
    authenticatedKeyGroup: data.authenticatedKeyGroup,
    requestedAt: new Date(data.requestedAt),
    requestId: data.requestId,
    getSecret: (name: string, scope?: string) => askHost(seq, 'getSecret', name, scope) as Promise<string | undefined>,
    getCompleteSecret: (name: string) => askHost(seq, 'getCompleteSecret', name) as Promise<object | undefined>,
  };
}

// ---- requests -------------------------------------------------------------------------

class NotAResponse extends Error {
  constructor(readonly returned: string) {
    super(`The handler must return a Response (for example c.json(...)); it returned ${returned}.`);
  }
}

type Handler = (c: unknown, ctx: unknown) => unknown;

type HandlerApp = Hono<{ Bindings: { ctx: unknown } }>;

function runRequest(app: HandlerApp, config: RuntimeConfig, seq: number, message: RunMessage, body: Uint8Array) {
  const state: RequestState = { seq, env: new Map(), cancelled: false };
  requests.set(seq, state);
  void als.run(state, async () => {
    try {
      const hasBody = message.method !== 'GET' && message.method !== 'HEAD';
      const request = new Request(message.url, { method: message.method, headers: message.headers, body: hasBody ? (body as Uint8Array<ArrayBuffer>) : undefined });
      const res = await app.fetch(request, { ctx: makeCtx(seq, message.ctx) });
      const bytes = await readCapped(res.body, config.maxResponseBytes);
      if (state.cancelled) return;
      if (bytes === null) send(FROM_HANDLER.FAILED, seq, { kind: 'too-large', limit: config.maxResponseBytes });
      else send(FROM_HANDLER.RESPONSE, seq, { status: res.status, headers: [...res.headers] }, new Uint8Array(bytes));
    } catch (err) {
      if (state.cancelled) return;
      if (err instanceof NotAResponse) send(FROM_HANDLER.FAILED, seq, { kind: 'not-response', returned: err.returned });
      else send(FROM_HANDLER.FAILED, seq, { kind: 'throw', ...facts(err) });
    } finally {
      requests.delete(seq);
    }
  });
}

const requests = new Map<number, RequestState>();

/** Called by the entry module once the handler module has loaded. */
export function serve(mod: { default?: unknown }, config: RuntimeConfig): void {
  loaded = true;
  if (typeof mod.default !== 'function') {
    send(FROM_HANDLER.LOAD_FAILED, 0, { kind: 'no-default-export', exported: Object.keys(mod).join(', ') });
    return;
  }
  const handler = mod.default as Handler;
  // The platform hands the handler a Context of its router, with /run already removed.
  const app: HandlerApp = new Hono();
  app.all(config.route, async (c) => {
    const res = await handler(c, c.env.ctx);
    if (!(res instanceof Response)) throw new NotAResponse(res === null ? 'null' : typeof res);
    return res;
  });
  app.notFound((c) => c.json({ error: 'Function not found' }, 404));
  app.onError((err) => {
    throw err;
  });

  const reader = new FrameReader(hostFrameLimits(config.maxRequestBytes));
  void (async () => {
    try {
      for await (const chunk of stdinStream) {
        reader.push(chunk, (frame) => {
          switch (frame.kind) {
            case TO_HANDLER.RUN:
              runRequest(app, config, frame.id, frame.json as RunMessage, frame.bytes);
              break;
            case TO_HANDLER.ANSWER:
              answer(frame.id, frame.json as SecretAnswer);
              break;
            case TO_HANDLER.CANCEL: {
              const state = requests.get(frame.id);
              if (state) state.cancelled = true;
              break;
            }
            case TO_HANDLER.PING:
              send(FROM_HANDLER.PONG, frame.id);
              break;
          }
        });
      }
    } finally {
      exit(0); // the host closed the channel
    }
  })();
  send(FROM_HANDLER.READY, 0);
}
