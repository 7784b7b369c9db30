import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { InvokeResult } from '../../../shared/contract';
import type { OperationParsedInput } from '../../../shared/contract';
import type { ConsoleEntry, ExecutionLogEntry, FunctionDef, HostStatus, Scope, SecretAccess } from '../../../shared/types';
import { SCOPES_BY_PRECEDENCE } from '../../../shared/types';
import type { AuthenticatedKey, Core } from '../core-api';
import { CoreError, validation } from '../errors';
import { extractApiKey } from './api-key';
import { HandlerBundler, HandlerLoadError } from './bundler';
import { FailedAuthLimiter } from './rate-limit';
import { readCapped } from './read-capped';
import { Redactor } from './redact';
import { FunctionRouter } from './router';
import { WorkerPool, type RunOutcome } from './worker-pool';

export interface FunctionHostOptions {
  /** Port to listen on; default: the hostPort setting (8000). 0 = any free port. */
  port?: number;
  /** How many next ports to try when the port is taken. */
  portAttempts?: number;
  maxRequestBytes?: number;
  maxResponseBytes?: number;
  workersPerFunction?: number;
  /** Failed API key checks per client per minute before 429. */
  maxFailedAuth?: number;
  failedAuthWindowMs?: number;
}

export interface FunctionHost {
  start(): Promise<HostStatus>;
  stop(): Promise<void>;
  status(): HostStatus;
  invoke(input: OperationParsedInput<'functions.invoke'>): Promise<InvokeResult>;
  onExecution(listener: (entry: ExecutionLogEntry) => void): () => void;
}

const MAX_CONSOLE_ENTRIES = 500;
const SCOPES = new Set<string>(SCOPES_BY_PRECEDENCE);
const json = (c: Context, status: number, body: Record<string, unknown>) =>
  c.json(body, status as 400, { 'x-request-id': String(body.requestId ?? '') });

/**
 * The local function host: serves `/run/<route>` on 127.0.0.1, checks API keys like the
 * platform, runs handlers in isolated workers with secrets resolved for each request's
 * context, and writes the execution log.
 */
export function createFunctionHost(core: Core, options: FunctionHostOptions = {}): FunctionHost {
  const router = new FunctionRouter();
  const bundler = new HandlerBundler(core.paths.codeDir);
  const pool = new WorkerPool(options.workersPerFunction ?? 4);
  const limiter = new FailedAuthLimiter(options.maxFailedAuth ?? 10, options.failedAuthWindowMs ?? 60_000);
  const maxRequestBytes = options.maxRequestBytes ?? 10 * 1024 * 1024;
  const maxResponseBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
  const listeners = new Set<(e: ExecutionLogEntry) => void>();
  // Recent entries by request id, for Try it (the database write may be queued during a rotation).
  const recent = new Map<string, ExecutionLogEntry>();
  let server: Server | null = null;
  let state: HostStatus = { url: null, port: null, running: false, requestedPort: options.port ?? core.settings.get().hostPort };

  function record(entry: Parameters<Core['executions']['record']>[0]): void {
    const saved = core.executions.record(entry);
    recent.set(saved.requestId, saved);
    if (recent.size > 200) recent.delete(recent.keys().next().value!);
    for (const l of listeners) l(saved);
  }

  async function handleRun(c: Context): Promise<Response> {
    const started = performance.now();
    const requestedAt = new Date();
    const requestId = randomUUID();
    const url = new URL(c.req.url);
    const path = url.pathname.slice('/run'.length) || '/';
    const method = c.req.method.toUpperCase();
    router.update(core.functions.revision(), () => core.functions.list());
    const match = router.match(method, path);
    if (match.kind === 'not-found') return json(c, 404, { error: `No enabled function answers ${path}.`, requestId });
    if (match.kind === 'method-not-allowed') {
      c.header('Allow', match.allow.join(', '));
      return json(c, 405, { error: `${method} is not allowed on ${path}; use ${match.allow.join(', ')}.`, requestId });
    }
    const fn = match.fn;
    const consoleEntries: ConsoleEntry[] = [];
    const trace: SecretAccess[] = [];
    const redactor = new Redactor();
    let auth: AuthenticatedKey | null = null;
    const finish = (status: number, error: string | null) =>
      record({
        functionId: fn.id,
        requestId,
        at: requestedAt.toISOString(),
        method,
        path: url.pathname, // never the query string: it may carry api_key
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        keyId: auth?.key.id ?? null,
        keyName: auth?.key.name ?? null,
        groupName: auth?.group.name ?? null,
        console: consoleEntries.map((e) => ({ ...e, message: redactor.apply(e.message) })),
        error: error === null ? null : redactor.apply(error),
        trace,
      });

    if (fn.groupIds.length > 0) {
      const client = (c.env as { incoming?: { socket?: { remoteAddress?: string } } })?.incoming?.socket?.remoteAddress ?? 'unknown';
      const wait = limiter.blockedFor(client);
      if (wait > 0) {
        console.warn(`[host] ${client}: too many failed API key checks; answering 429 on ${url.pathname} (the tried values are not logged)`);
        finish(429, 'Too many failed API key attempts from this client; try again later.');
        c.header('Retry-After', String(wait));
        return json(c, 429, { error: 'Too many failed API key attempts; try again later.', requestId });
      }
      const presented = extractApiKey((n) => c.req.header(n), url.searchParams);
      if (presented) redactor.add(presented, 'API key');
      auth = presented ? core.keys.authenticate(presented) : null;
      const why = !presented
        ? 'An API key is required: send it in X-API-Key, Authorization or the api_key query parameter.'
        : !auth
          ? 'The API key is not valid.'
          : !fn.groupIds.includes(auth.group.id)
            ? 'The API key does not belong to a group this function accepts.'
            : null;
      if (why) {
        if (presented) limiter.recordFailure(client);
        auth = null;
        finish(401, why);
        return json(c, 401, { error: why, requestId });
      }
    }

    let bundle;
    let file: string;
    try {
      file = core.code.resolve(fn.handler);
      bundle = await bundler.load(file);
    } catch (e) {
      const message = e instanceof HandlerLoadError || e instanceof CoreError ? e.message : `Handler failed to load: ${(e as Error).message}`;
      finish(500, message);
      return json(c, 500, { error: message, requestId });
    }

    const body = ['GET', 'HEAD'].includes(method) ? null : await readCapped(c.req.raw.body, maxRequestBytes);
    if (body === null && !['GET', 'HEAD'].includes(method)) {
      finish(413, `Request body larger than ${maxRequestBytes} bytes.`);
      return json(c, 413, { error: `The request body is larger than ${Math.round(maxRequestBytes / 1024 / 1024)} MB.`, requestId });
    }
    const ctxFor = { functionId: fn.id, keyId: auth?.key.id ?? null };
    const settings = core.settings.get();
    const outcome: RunOutcome = await pool.run(
      fn.id,
      bundle.version,
      { code: bundle.code, route: fn.route, codeDir: core.paths.codeDir, maxResponseBytes },
      { method, url: c.req.url, headers: [...c.req.raw.headers.entries()], body },
      {
        route: routeInfo(fn),
        params: match.params,
        query: Object.fromEntries(url.searchParams.entries()),
        authenticatedKeyGroup: auth?.group.name,
        requestedAt: requestedAt.toISOString(),
        requestId,
      },
      {
        onConsole(level, message) {
          if (consoleEntries.length < MAX_CONSOLE_ENTRIES) consoleEntries.push({ level, message, at: new Date().toISOString() });
        },
        onSecret(call, name, scope) {
          return answerSecret(call, name, scope, ctxFor, trace, redactor);
        },
      },
      { timeoutMs: settings.requestTimeoutMs, memoryMb: settings.workerMemoryMb, maxResponseBytes },
    );
    if (outcome.kind === 'error') {
      finish(outcome.status, outcome.stack ? `${outcome.message}\n${outcome.stack}` : outcome.message);
      return json(c, outcome.status, { error: redactor.apply(outcome.message), requestId });
    }
    finish(outcome.status, null);
    const headers = new Headers(outcome.headers);
    headers.set('x-request-id', requestId);
    // A Uint8Array body takes @hono/node-server's direct write path; an ArrayBuffer would be
    // wrapped in a full Response and streamed (a measured third of the host's own cost).
    return new Response(method === 'HEAD' ? null : new Uint8Array(outcome.body), { status: outcome.status, headers });
  }

  function answerSecret(
    call: 'getSecret' | 'getCompleteSecret',
    name: unknown,
    scope: unknown,
    ctx: { functionId: number; keyId: number | null },
    trace: SecretAccess[],
    redactor: Redactor,
  ): unknown {
    if (typeof name !== 'string') throw validation('name', 'ctx.getSecret needs a secret name (a string).');
    if (call === 'getCompleteSecret') {
      const all = core.secrets.getCompleteSecret(name, ctx);
      const answered = all ? (['global', 'function', 'group', 'key'] as Scope[]).filter((s) => s in all) : [];
      trace.push({ call, name, requestedScope: null, answeredBy: answered.length ? SCOPES_BY_PRECEDENCE.find((s) => answered.includes(s))! : null, answeredScopes: answered });
      if (all) redactor.add(all, `secret ${name}`);
      return all;
    }
    if (scope !== undefined && scope !== null && (typeof scope !== 'string' || !SCOPES.has(scope))) {
      throw validation('scope', 'The scope must be "global", "function", "group" or "key".');
    }
    const hit = core.secrets.getSecret(name, ctx, (scope ?? undefined) as Scope | undefined);
    trace.push({ call, name, requestedScope: (scope ?? null) as Scope | null, answeredBy: hit?.scope ?? null });
    if (hit) redactor.add(hit.value, `secret ${name}`);
    return hit?.value;
  }

  // Requests still running when the host stops are let finish (the timeout bounds them),
  // so none writes to a core that the shell is about to close.
  const inFlight = new Set<Promise<Response>>();
  const tracked = (c: Context) => {
    const p = handleRun(c);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };
  const app = new Hono();
  app.all('/run', tracked);
  app.all('/run/*', tracked);
  app.notFound((c) => c.json({ error: 'Functions are served below /run.' }, 404));
  app.onError((err, c) => {
    console.error(`[host] unexpected error: ${err.message}`);
    return c.json({ error: 'The function host failed unexpectedly.' }, 500);
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
      await pool.close();
    },
    status: () => state,
    onExecution(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
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
