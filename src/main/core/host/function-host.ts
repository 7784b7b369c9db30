import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { InvokeResult, OperationParsedInput } from '../../../shared/contract';
import type { ConsoleEntry, ExecutionLogEntry, FunctionDef, HostStatus, SecretAccess } from '../../../shared/types';
import type { AuthenticatedKey, Core } from '../core-api';
import { CoreError, validation } from '../errors';
import { extractApiKey, type PresentedKey } from './api-key';
import { FailedAuthLimiter } from './rate-limit';
import { readCapped } from './read-capped';
import { Redactor } from './redact';
import { failureAnswer, failureLogText, unauthorized, type HostAnswer } from './responses';
import { FunctionRoutes } from './routes';
import { createDenoRuntime } from './runtime/deno';
import type { HandlerRuntime, RuntimePhase } from './runtime/handler-runtime';
import { answerSecretCall } from './secret-calls';

export interface FunctionHostOptions {
  /** Port to listen on; default: the hostPort setting (8000). 0 = any free port. */
  port?: number;
  /** How many next ports to try when the port is taken. */
  portAttempts?: number;
  maxRequestBytes?: number;
  maxResponseBytes?: number;
  /** Failed API key checks per client per minute before 429. */
  maxFailedAuth?: number;
  failedAuthWindowMs?: number;
  /** The handler runtime; default: the Deno sandbox. */
  runtime?: HandlerRuntime;
  /** Deno's cache and lock file; default `<data-dir>/deno`. */
  denoDir?: string;
  /** The Deno binary (a packaged app passes the one in its resources). */
  denoPath?: string;
  /** The bundled handler runtime (a packaged app passes the one in its resources). */
  runtimeFile?: string;
}

export interface FunctionHost {
  start(): Promise<HostStatus>;
  stop(): Promise<void>;
  status(): HostStatus;
  invoke(input: OperationParsedInput<'functions.invoke'>): Promise<InvokeResult>;
  onExecution(listener: (entry: ExecutionLogEntry) => void): () => void;
  /** A function's handler process: fetching its dependencies, starting, ready… */
  onRuntimePhase(listener: (functionId: number, phase: RuntimePhase) => void): () => void;
}

const MAX_CONSOLE_CHARS = 8192;
/** Headers that describe the connection, not the response: the host's server sets its own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'proxy-connection', 'te', 'trailer']);

/** What one call to a function collects on its way through the steps. */
interface Call {
  fn: FunctionDef;
  method: string;
  requestId: string;
  requestedAt: Date;
  started: number;
  path: string;
  console: ConsoleEntry[];
  trace: SecretAccess[];
  redactor: Redactor;
  /** The key the request presents, as the platform's server reads it (any function). */
  presented: PresentedKey | undefined;
  auth: AuthenticatedKey | null;
}

type HostEnv = { Bindings: { incoming?: IncomingMessage }; Variables: { call: Call } };

const json = (c: Context, a: HostAnswer) => c.json(a.body, a.status as 400, a.body.requestId ? { 'x-request-id': a.body.requestId } : undefined);

/**
 * The local function host: serves `/run/<route>` on 127.0.0.1 as the platform's server
 * does (routes, API keys, answers), runs handlers in the sandboxed runtime with secrets
 * resolved for each request's own function and key, and writes the execution log.
 * A request meets the steps in order: route → API key → run → log.
 */
export function createFunctionHost(core: Core, options: FunctionHostOptions = {}): FunctionHost {
  const limiter = new FailedAuthLimiter(options.maxFailedAuth ?? 10, options.failedAuthWindowMs ?? 60_000);
  const maxRequestBytes = options.maxRequestBytes ?? 10 * 1024 * 1024;
  const maxResponseBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
  const listeners = new Set<(e: ExecutionLogEntry) => void>();
  // Every value a function's handler process has been given, for redacting what it prints later.
  const given = new Map<number, Redactor>();
  const redactorFor = (fnId: number) => {
    let r = given.get(fnId);
    if (!r) given.set(fnId, (r = new Redactor(undefined, 5000)));
    return new Redactor(r);
  };
  // Recent entries by request id, for Try it (the database write may be queued during a rotation).
  const recent = new Map<string, ExecutionLogEntry>();
  let server: Server | null = null;
  let state: HostStatus = { url: null, port: null, running: false, requestedPort: options.port ?? core.settings.get().hostPort };
  const runtime =
    options.runtime ??
    createDenoRuntime({
      codeDir: core.paths.codeDir,
      denoDir: options.denoDir ?? join(core.paths.dataDir, 'deno'),
      denoPath: options.denoPath,
      runtimeFile: options.runtimeFile,
      maxRequestBytes,
      allowedLocal: () => core.settings.get().handlerLocalHosts,
      ownPorts: () => (state.port ? [state.port] : []),
    });

  function record(call: Call, status: number, error: string | null): void {
    const saved = core.executions.record({
      functionId: call.fn.id,
      requestId: call.requestId,
      at: call.requestedAt.toISOString(),
      method: call.method,
      path: call.path, // never the query string: it may carry api_key
      status,
      durationMs: Math.round((performance.now() - call.started) * 100) / 100,
      keyId: call.auth?.key.id ?? null,
      keyName: call.auth?.key.name ?? null,
      groupName: call.auth?.group.name ?? null,
      console: call.console.map((e) => ({ ...e, message: shorten(call.redactor.apply(e.message)) })),
      error: error === null ? null : call.redactor.apply(error),
      trace: call.trace,
    });
    recent.set(saved.requestId, saved);
    if (recent.size > 200) recent.delete(recent.keys().next().value!);
    for (const l of listeners) l(saved);
  }

  // ---- the steps ------------------------------------------------------------------------

  const begin =
    (fn: FunctionDef): MiddlewareHandler<HostEnv> =>
    async (c, next) => {
      c.set('call', {
        fn,
        method: c.req.method.toUpperCase(),
        requestId: randomUUID(),
        requestedAt: new Date(),
        started: performance.now(),
        path: new URL(c.req.url).pathname,
        console: [],
        trace: [],
        redactor: redactorFor(fn.id),
        presented: extractApiKey({ header: (n) => c.req.header(n), query: new URL(c.req.url).searchParams }),
        auth: null,
      });
      await next();
    };

  /**
   * A function whose access rules fail their integrity check (edited outside the app) is
   * refused; one called from a browser page of another origin needs that origin in its
   * CORS rules. Both before the key check, so neither runs anything.
   */
  const checkAccess =
    (fn: FunctionDef): MiddlewareHandler<HostEnv> =>
    async (c, next) => {
      const call = c.get('call');
      // Whatever key the caller sent is the caller's secret, even to a public function that ignores it.
      if (call.presented) call.redactor.add(call.presented.key, 'API key');
      const authorization = c.req.header('authorization');
      if (authorization) call.redactor.add(authorization, 'Authorization header');
      if (fn.tampered) {
        const message = `Function ${fn.name} was changed outside the app: its access rules (groups, enabled, CORS) fail their integrity check. It is refused until it is saved again in the app.`;
        record(call, 403, message);
        return json(c, { status: 403, body: { error: 'Forbidden', message, requestId: call.requestId } });
      }
      const refusal = crossOriginRefusal(fn, c.req.header('origin'), c.req.header('sec-fetch-site'), c.req.header('host') ?? '');
      if (refusal) {
        record(call, 403, refusal);
        return json(c, { status: 403, body: { error: 'Forbidden', message: refusal, requestId: call.requestId } });
      }
      return next();
    };

  /** Functions that require groups take a key of one of them, read as the platform reads it. */
  const checkKey =
    (fn: FunctionDef): MiddlewareHandler<HostEnv> =>
    async (c, next) => {
      if (fn.groupIds.length === 0) return next();
      const call = c.get('call');
      const presented = call.presented;
      if (!presented) {
        const answer = unauthorized('Missing API key', call.requestId, 'Send the key in Authorization (Bearer), X-API-Key, X-Auth-Token, Api-Key, X-Access-Token, or ?api_key=.');
        record(call, 401, `${answer.body.message}.`);
        return json(c, answer);
      }
      const auth = core.keys.authenticate(presented.key);
      if (!auth || !fn.groupIds.includes(auth.group.id)) {
        // Guessing is slowed per client; a valid key is never refused for anyone's failures.
        const client = c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
        limiter.recordFailure(client);
        const wait = limiter.blockedFor(client);
        if (wait > 0) {
          console.warn(`[host] ${client}: too many failed API key checks; answering 429 on ${call.path} (the tried values are not logged)`);
          record(call, 429, 'Too many failed API key attempts from this client; try again later.');
          c.header('Retry-After', String(wait));
          return json(c, { status: 429, body: { error: 'Too many requests', message: 'Too many failed API key attempts; try again later.', requestId: call.requestId } });
        }
        const why = !auth
          ? `The key from ${presented.source} is not a key of this app.`
          : `The key from ${presented.source} belongs to group ${auth.group.name}, which this function does not accept.`;
        const answer = unauthorized('Invalid API key', call.requestId, why);
        record(call, 401, `Invalid API key: ${why}`);
        return json(c, answer);
      }
      call.auth = auth;
      return next();
    };

  const runHandler =
    (fn: FunctionDef): MiddlewareHandler<HostEnv> =>
    async (c) => {
      const call = c.get('call');
      const method = c.req.method.toUpperCase();
      const hasBody = method !== 'GET' && method !== 'HEAD';
      const body = hasBody ? await readCapped(c.req.raw.body, maxRequestBytes) : null;
      if (hasBody && body === null) {
        const limit = `${Math.round(maxRequestBytes / 1024 / 1024)} MB`;
        record(call, 413, `The request body is larger than ${limit}.`);
        return json(c, { status: 413, body: { error: 'Payload too large', message: `The request body is larger than ${limit}.`, requestId: call.requestId } });
      }
      const url = new URL(c.req.url);
      // The platform hands the handler the URL below /run.
      url.pathname = url.pathname.replace(/^\/run/, '') || '/';
      const ctxFor = { functionId: fn.id, keyId: call.auth?.key.id ?? null };
      const settings = core.settings.get();
      const outcome = await runtime.run(
        { id: fn.id, handler: fn.handler, route: fn.route },
        { method, url: url.href, headers: [...c.req.raw.headers.entries()], body: body ? new Uint8Array(body) : null },
        {
          route: routeInfo(fn),
          params: c.req.param() as Record<string, string>,
          query: Object.fromEntries(url.searchParams.entries()),
          authenticatedKeyGroup: call.auth?.group.name,
          requestedAt: call.requestedAt.toISOString(),
          requestId: call.requestId,
        },
        {
          onConsole(level, message) {
            call.console.push({ level, message, at: new Date().toISOString() });
          },
          onSecret: (kind, name, scope) => answerSecretCall(core, { kind, name, scope }, ctxFor, call.trace, call.redactor),
        },
        { timeoutMs: settings.requestTimeoutMs, memoryMb: settings.handlerMemoryMb, maxResponseBytes },
      );
      if (outcome.kind === 'failure') {
        const answer = failureAnswer(outcome.failure, call.requestId);
        record(call, answer.status, failureLogText(outcome.failure, answer));
        const redacted = { ...answer.body, ...(answer.body.message ? { message: call.redactor.apply(answer.body.message) } : {}) };
        if (redacted.hint) redacted.hint = call.redactor.apply(redacted.hint);
        return json(c, { status: answer.status, body: redacted });
      }
      record(call, outcome.status, null);
      const headers = new Headers();
      for (const [name, value] of outcome.headers) {
        if (HOP_BY_HOP.has(name.toLowerCase())) continue;
        try {
          headers.append(name, value);
        } catch {
          // a header no HTTP server may send: left out
        }
      }
      headers.set('x-request-id', call.requestId);
      // A Uint8Array body takes @hono/node-server's direct write path.
      return new Response(method === 'HEAD' ? null : (outcome.body as Uint8Array<ArrayBuffer>), { status: outcome.status, headers });
    };

  const routes = new FunctionRoutes<HostEnv>((fn) => [begin(fn), checkAccess(fn), checkKey(fn), runHandler(fn)]);

  // Requests still running when the host stops are let finish (the timeout bounds them),
  // so none writes to a core that the shell is about to close.
  const inFlight = new Set<Promise<Response>>();
  const serveRun = (c: Context<HostEnv>) => {
    routes.update(core.functions.revision(), () => core.functions.list());
    const p = Promise.resolve(routes.fetch(c.req.raw, c.env));
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };
  const app = new Hono<HostEnv>();
  // A page in the operator's browser can reach 127.0.0.1 through a name it controls (DNS
  // rebinding): only requests addressed to this host by a loopback name are answered.
  app.use('*', async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    const port = state.port;
    if (![`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host)) {
      return c.json({ error: 'Forbidden', message: `The function host answers requests addressed to 127.0.0.1:${port} or localhost:${port} only (the Host header says otherwise).` }, 403);
    }
    return next();
  });
  app.all('/run', serveRun);
  app.all('/run/*', serveRun);
  app.onError((err, c) => {
    console.error(`[host] unexpected error: ${err.message}`);
    return c.json({ error: 'Internal server error' }, 500);
  });

  async function listen(port: number, attempts: number): Promise<number> {
    for (let i = 0; i < attempts; i++) {
      const candidate = port === 0 ? 0 : port + i;
      const srv = createServer(getRequestListener(app.fetch));
      try {
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen(candidate, '127.0.0.1', () => resolve());
        });
        server = srv;
        return (srv.address() as AddressInfo).port;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw e;
      }
    }
    throw new Error(`ports ${port}–${port + attempts - 1} are all taken`);
  }

  return {
    async start() {
      if (state.running) return state;
      const requestedPort = options.port ?? core.settings.get().hostPort;
      try {
        const port = await listen(requestedPort, options.portAttempts ?? 20);
        state = { url: `http://127.0.0.1:${port}/run`, port, running: true, requestedPort };
      } catch (e) {
        state = { url: null, port: null, running: false, requestedPort, error: `The function host could not start: ${(e as Error).message}` };
      }
      return state;
    },
    async stop() {
      const srv = server;
      server = null;
      state = { ...state, running: false, url: null, port: null };
      if (srv) {
        const closed = new Promise<void>((resolve) => srv.close(() => resolve()));
        srv.closeIdleConnections?.();
        await Promise.allSettled([...inFlight]);
        srv.closeAllConnections?.();
        await closed;
      }
      await runtime.dispose();
    },
    status: () => state,
    onExecution(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onRuntimePhase(listener) {
      return runtime.onPhase(listener);
    },
    async invoke(input) {
      if (!state.running || !state.url) throw new CoreError('HOST_UNAVAILABLE', 'The function host is not running.');
      const fn = core.functions.get(input.functionId);
      const method = input.method ?? fn.methods[0] ?? 'GET';
      let path = input.path ?? fn.route;
      if (!path.startsWith('/')) path = `/${path}`;
      if (/\/:/.test(path)) throw validation('path', `Route ${fn.route} has parameters: give the path to call, for example ${fn.route.replace(/:[^/]+/g, '42')}.`);
      const url = new URL(`${state.url}${path === '/' ? '' : path}`);
      for (const [k, v] of Object.entries(input.query ?? {})) url.searchParams.set(k, v);
      const headers = new Headers(input.headers ?? {});
      if (input.keyId) headers.set('x-api-key', core.keys.reveal(input.keyId));
      const started = performance.now();
      const res = await fetch(url, { method, headers, body: ['GET', 'HEAD'].includes(method) ? undefined : (input.body ?? '') });
      const raw = Buffer.from(await res.arrayBuffer());
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      const requestId = res.headers.get('x-request-id') ?? '';
      const entry = recent.get(requestId);
      const limit = 1024 * 1024;
      return {
        requestId,
        status: res.status,
        headers: Object.fromEntries(res.headers.entries()),
        body: raw.subarray(0, limit).toString('utf8'),
        bodyTruncated: raw.length > limit,
        durationMs,
        console: entry?.console ?? [],
        trace: entry?.trace ?? [],
        error: entry?.error ?? null,
      };
    },
  };
}

/**
 * Why a call from a browser page must not run, or null. A page of another origin needs
 * that origin in the function's CORS rules; a cross-site request without an Origin header
 * (a form or an image) needs "*". Calls from other programs send neither and pass.
 */
export function crossOriginRefusal(fn: Pick<FunctionDef, 'name' | 'cors'>, origin: string | undefined, fetchSite: string | undefined, host: string): string | null {
  const allowed = fn.cors?.origins ?? [];
  if (origin !== undefined && origin !== 'null' && origin === `http://${host}`) return null;
  if (origin !== undefined) {
    if (allowed.includes('*') || allowed.includes(origin)) return null;
    return `Function ${fn.name} does not allow calls from pages of ${origin.slice(0, 200)}: add the origin to its CORS settings.`;
  }
  if ((fetchSite === 'cross-site' || fetchSite === 'same-site') && !allowed.includes('*')) {
    return `Function ${fn.name} does not allow calls from pages of other sites: allow them in its CORS settings.`;
  }
  return null;
}

function shorten(message: string): string {
  return message.length > MAX_CONSOLE_CHARS ? `${message.slice(0, MAX_CONSOLE_CHARS)}… [${message.length - MAX_CONSOLE_CHARS} more characters]` : message;
}

function routeInfo(fn: FunctionDef) {
  return {
    name: fn.name,
    ...(fn.description ? { description: fn.description } : {}),
    handler: fn.handler,
    route: fn.route,
    methods: fn.methods,
    ...(fn.groupIds.length ? { keys: fn.groupIds } : {}),
  };
}
