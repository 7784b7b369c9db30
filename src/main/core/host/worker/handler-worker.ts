// A handler worker: runs one function's handler, one request at a time. It holds no
// database and no keys, sees an empty process.env, and asks main for each secret by name.
import { parentPort, workerData } from 'node:worker_threads';
import { format } from 'node:util';
import { Hono } from 'hono';
import type { ConsoleLevel } from '../../../../shared/types';
import type { HandlerCtxData, MainToWorker, WorkerData, WorkerToMain } from './protocol';
import { readCapped } from '../read-capped';
import { awaitAnswer, expectAnswer } from './secret-channel';

const data = workerData as WorkerData;
const port = parentPort!;
const post = (m: WorkerToMain, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer ?? []);

// Console output becomes part of the request's execution log.
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as ConsoleLevel[]) {
  console[level] = (...args: unknown[]) => post({ type: 'console', level, message: format(...args).slice(0, 8192) });
}

let callSeq = 0;
/** Main answers within milliseconds; this only bounds a wait on a host that is shutting down. */
const ANSWER_WAIT_MS = 60_000;

/**
 * Asks main by name over the message port and blocks this worker (which serves one request
 * at a time) until main writes the answer into the secret channel: no message back, no
 * trip through this thread's event loop.
 */
function askMain(requestId: string, call: 'getSecret' | 'getCompleteSecret', name: unknown, scope?: unknown): Promise<unknown> {
  const channel = data.secretChannel!;
  expectAnswer(channel);
  post({ type: 'secret', callId: ++callSeq, requestId, call, name, scope });
  const reply = awaitAnswer(channel, ANSWER_WAIT_MS);
  if (!reply) return Promise.reject(new Error('The function host did not answer ctx.getSecret in time.'));
  return reply.ok ? Promise.resolve(reply.value) : Promise.reject(new Error(reply.message));
}

type Handler = (c: unknown, ctx: unknown) => unknown;
let handler: Handler | null = null;

const app = new Hono({ strict: false });
let ctxData: HandlerCtxData | null = null;
app.all(`/run${data.route === '/' ? '' : data.route}`, async (c) => {
  const d = ctxData!;
  const ctx = Object.freeze({
    route: d.route,
    params: d.params,
    query: d.query,
    authenticatedKeyGroup: d.authenticatedKeyGroup,
    requestedAt: new Date(d.requestedAt),
    requestId: d.requestId,
    // Each ctx names its own request, so a call it makes after that request answered is refused
    // rather than resolved with whichever request the worker serves next.
    getSecret: (name: string, scope?: string) => askMain(d.requestId, 'getSecret', name, scope) as Promise<string | undefined>,
    getCompleteSecret: (name: string) => askMain(d.requestId, 'getCompleteSecret', name) as Promise<object | undefined>,
  });
  const res = await handler!(c, ctx);
  if (!(res instanceof Response)) {
    throw new TypeError(`The handler must return a Response (for example c.json(...)); it returned ${res === undefined ? 'undefined' : typeof res}.`);
  }
  return res;
});
// The host's router already matched this route; if Hono ever reads the path differently,
// say so in the host's JSON shape rather than Hono's plain-text 404.
app.notFound((c) => c.json({ error: `The handler's route ${data.route} did not match ${new URL(c.req.url).pathname}.`, requestId: ctxData?.requestId }, 404));
app.onError((err) => {
  throw err; // let run() report it with its stack
});

async function run(msg: Extract<MainToWorker, { type: 'run' }>) {
  ctxData = msg.ctx;
  try {
    const req = new Request(msg.request.url, {
      method: msg.request.method,
      headers: msg.request.headers,
      body: msg.request.body && !['GET', 'HEAD'].includes(msg.request.method) ? msg.request.body : undefined,
    });
    const res = await app.fetch(req);
    const body = await readCapped(res.body, data.maxResponseBytes);
    if (body === null) {
      throw Object.assign(new Error(`The handler's response is larger than ${Math.round(data.maxResponseBytes / 1024 / 1024)} MB.`), { status: 502 });
    }
    post({ type: 'response', status: res.status, headers: [...res.headers.entries()], body }, [body]);
  } catch (e) {
    const err = e as Error & { status?: number };
    post({ type: 'handler-error', status: err.status ?? 500, message: `${err.name ?? 'Error'}: ${err.message}`, stack: err.stack });
  } finally {
    ctxData = null;
  }
}

process.on('unhandledRejection', (reason) => {
  const err = reason instanceof Error ? reason : new Error(String(reason));
  post({ type: 'handler-error', status: 500, message: `Unhandled rejection: ${err.message}`, stack: err.stack });
  // The handler left work running that failed: this worker is not trusted any more.
  process.exit(70);
});

port.on('message', (msg: MainToWorker) => {
  if (msg.type === 'run') void run(msg);
});

// Load the handler once per worker (workers are per code version).
(async () => {
  try {
    const { createRequire } = await import('node:module');
    (globalThis as { require?: unknown }).require = createRequire(`${data.codeDir}/handler.js`);
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(data.code).toString('base64')}`)) as { default?: unknown };
    if (typeof mod.default !== 'function') {
      post({ type: 'load-error', message: 'The handler file has no default export function: write `export default async function (c, ctx) { ... }`.' });
      return;
    }
    handler = mod.default as Handler;
    post({ type: 'ready' });
  } catch (e) {
    const err = e as Error;
    post({ type: 'load-error', message: `The handler threw while loading: ${err.name}: ${err.message}`, stack: err.stack });
  }
})();
