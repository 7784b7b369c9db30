// Browser mode's transport: the same registry over HTTP on 127.0.0.1.
//   POST /rpc/<operation>  JSON input → RpcResponse, with a status fitting the error code
//   GET  /events           Server-Sent Events ("event: <name>\ndata: <json>\n\n")
//   GET  /*                the built renderer (no token needed; it holds no data)
// /rpc and /events need `Authorization: Bearer <session token>` or an `X-API-Key` of the
// management group. Every request must name the loopback address and our port in Host
// (DNS rebinding) and carry no foreign Origin (CSRF).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { AppErrorShape } from '../../shared/types';
import { runAs, type Actor } from '../core/audit/actor';
import type { Core } from '../core/core-api';
import { MANAGEMENT_GROUP } from '../../shared/rules';
import { CONTENT_SECURITY_POLICY } from '../window-security';
import { httpStatusFor } from './errors';
import type { EventBus } from './events';
import type { Dispatch } from './registry';
import { readCapped } from '../core/host/read-capped';

export const MAX_RPC_BODY_BYTES = 4 * 1024 * 1024;
/** A backup carries the whole installation: its restore alone may send this much. */
export const MAX_BACKUP_BODY_BYTES = 256 * 1024 * 1024;
const KEEP_ALIVE_MS = 15_000;

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time comparison (both sides hashed, so lengths never leak either). */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export interface HttpTransportOptions {
  dispatch: Dispatch;
  bus: EventBus;
  core: Pick<Core, 'keys'> & Partial<Pick<Core, 'audit'>>;
  token: string;
  /** The built renderer (out/renderer); static files are not served when absent. */
  rendererDir?: string | null;
  /** The port the server listens on (known after listen); Host and Origin must name it. */
  port: () => number;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

function errorJson(c: Context, error: AppErrorShape): Response {
  return c.json({ ok: false, error }, httpStatusFor(error.code) as 400);
}

/** The Hono app; `startHttpServer` puts it on a socket. */
export function createHttpApp(options: HttpTransportOptions): Hono<{ Variables: { actor: Actor } }> {
  const { dispatch, bus, core, token } = options;
  const rendererDir = options.rendererDir ? resolve(options.rendererDir) : null;
  const app = new Hono<{ Variables: { actor: Actor } }>();

  // Security headers on everything, then the Host / Origin checks.
  app.use('*', async (c, next) => {
    const port = options.port();
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return c.json(
        { ok: false, error: { code: 'FORBIDDEN', message: 'Requests must be addressed to 127.0.0.1 or localhost on this port.' } },
        403,
      );
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== `http://${host}`) {
      return c.json({ ok: false, error: { code: 'FORBIDDEN', message: 'Cross-origin requests are refused.' } }, 403);
    }
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    c.res.headers.set('X-Frame-Options', 'DENY');
    c.res.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    c.res.headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  });

  // Authorisation for the API (not for the static renderer).
  const authorise = async (c: Context, next: () => Promise<void>) => {
    const auth = c.req.header('authorization');
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      if (m && tokenMatches(m[1]!, token)) {
        c.set('actor', { via: 'browser' });
        return next();
      }
      return errorJson(c, { code: 'UNAUTHORIZED', message: 'The session token is missing or wrong. Use the URL printed at start.' });
    }
    const apiKey = c.req.header('x-api-key');
    if (apiKey !== undefined) {
      let found: ReturnType<Core['keys']['authenticate']> = null;
      try {
        found = core.keys.authenticate(apiKey.trim());
      } catch {
        found = null;
      }
      if (!found) return errorJson(c, { code: 'UNAUTHORIZED', message: 'The API key is not valid.' });
      if (found.group.name !== MANAGEMENT_GROUP) {
        return errorJson(c, {
          code: 'FORBIDDEN',
          message: `Only keys of the "${MANAGEMENT_GROUP}" group may use the admin API.`,
        });
      }
      c.set('actor', { via: 'api-key', keyId: found.key.id, keyName: found.key.name });
      return next();
    }
    return errorJson(c, {
      code: 'UNAUTHORIZED',
      message: 'Send "Authorization: Bearer <session token>" or an X-API-Key of the management group.',
    });
  };
  app.use('/rpc/*', authorise);
  app.use('/events', authorise);

  app.post('/rpc/:operation', async (c) => {
    c.header('Cache-Control', 'no-store');
    const operation = c.req.param('operation');
    const cap = operation === 'backup.restore' ? MAX_BACKUP_BODY_BYTES : MAX_RPC_BODY_BYTES;
    const tooLarge = () => errorJson(c, { code: 'VALIDATION', message: `The request body is larger than ${cap} bytes.` });
    if (Number(c.req.header('content-length') ?? '0') > cap) return tooLarge();
    // Read with the limit as the bytes arrive: a chunked body announces no length.
    const bytes = await readCapped(c.req.raw.body, cap);
    if (bytes === null) return tooLarge();
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return errorJson(c, { code: 'VALIDATION', message: 'The request body is not valid UTF-8.' });
    }
    let input: unknown = {};
    if (text.trim() !== '') {
      try {
        input = JSON.parse(text);
      } catch {
        return errorJson(c, { code: 'VALIDATION', message: 'The request body is not valid JSON.' });
      }
    }
    const actor = c.get('actor');
    // Which management key called what (never the input: it may carry values).
    if (actor.via === 'api-key') runAs(actor, () => core.audit?.append({ action: 'admin-api.called', recordKind: 'key', recordId: actor.keyId, recordName: actor.keyName, detail: { operation: operation.slice(0, 80) } }));
    const response = await dispatch(operation, input, actor);
    if (!response.ok) return errorJson(c, response.error);
    return c.json(response, 200);
  });
  app.all('/rpc/*', (c) => errorJson(c, { code: 'NOT_FOUND', message: 'Use POST /rpc/<operation> with a JSON body.' }));

  app.get('/events', (c) => {
    const encoder = new TextEncoder();
    let cleanup = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (chunk: string) => {
          try {
            controller.enqueue(encoder.encode(chunk));
          } catch {
            cleanup();
          }
        };
        send(': connected\n\n');
        const off = bus.on((event, payload) => send(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`));
        const timer = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);
        timer.unref?.();
        const onAbort = () => {
          cleanup();
          try {
            controller.close();
          } catch {
            // already closed
          }
        };
        cleanup = () => {
          off();
          clearInterval(timer);
          c.req.raw.signal.removeEventListener('abort', onAbort);
        };
        c.req.raw.signal.addEventListener('abort', onAbort);
      },
      cancel() {
        cleanup();
      },
    });
    return new Response(stream, {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      },
    });
  });

  app.get('*', (c) => {
    if (!rendererDir) return c.text('The renderer is not built. Run `npx electron-vite build`.', 404);
    let rel = decodeURIComponent(new URL(c.req.url).pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = resolve(join(rendererDir, rel));
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) return c.text('Not found', 404);
    let target = file;
    if (!existsSync(target) || !statSync(target).isFile()) {
      // Client-side routes fall back to the app; missing assets are 404s.
      if (extname(rel)) return c.text('Not found', 404);
      target = join(rendererDir, 'index.html');
      if (!existsSync(target)) return c.text('Not found', 404);
    }
    const type = MIME[extname(target).toLowerCase()] ?? 'application/octet-stream';
    const headers: Record<string, string> = {
      'Content-Type': type,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': target.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
    };
    return c.body(readFileSync(target), 200, headers);
  });

  return app;
}

export interface HttpServerHandle {
  port: number;
  url: string;
  server: Server;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((ok, fail) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      fail(err);
    };
    const onListening = () => {
      server.off('error', onError);
      ok((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Serves the transport on 127.0.0.1. `port` 0 = any free port; with `fallbackToFree`
 * a taken port falls back to a free one instead of failing.
 */
export async function startHttpServer(
  options: Omit<HttpTransportOptions, 'port'> & { port: number; fallbackToFree?: boolean; hostname?: string },
): Promise<HttpServerHandle> {
  let actualPort = -1;
  const app = createHttpApp({ ...options, port: () => actualPort });
  const server = createServer(getRequestListener(app.fetch));
  const hostname = options.hostname ?? '127.0.0.1';
  try {
    actualPort = await listen(server, options.port, hostname);
  } catch (err) {
    if (!options.fallbackToFree || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    actualPort = await listen(server, 0, hostname);
  }
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}/`,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
