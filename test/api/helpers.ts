import { request } from 'node:http';
import { tempCore } from '../support/temp-core';
import { EventBus } from '../../src/main/api/events';
import { stubHost, type FunctionHostApi } from '../../src/main/api/host-api';
import { createDispatcher } from '../../src/main/api/registry';
import { startHttpServer, type HttpServerHandle } from '../../src/main/api/http-transport';

export interface ApiWorld {
  t: ReturnType<typeof tempCore>;
  bus: EventBus;
  host: FunctionHostApi;
  http: HttpServerHandle;
  token: string;
  base: string;
  rpc(op: string, input?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export const TEST_TOKEN = 'test-session-token-0123456789abcdefghijklmnop';

export async function startApi(options: { rendererDir?: string | null } = {}): Promise<ApiWorld> {
  const t = tempCore();
  const bus = new EventBus();
  const host = stubHost();
  const dispatch = createDispatcher({ core: t.core, host, mode: 'browser', bus });
  const http = await startHttpServer({
    dispatch,
    bus,
    core: t.core,
    token: TEST_TOKEN,
    rendererDir: options.rendererDir ?? null,
    port: 0,
  });
  const base = `http://127.0.0.1:${http.port}`;
  return {
    t,
    bus,
    host,
    http,
    token: TEST_TOKEN,
    base,
    async rpc(op, input = {}, headers = { authorization: `Bearer ${TEST_TOKEN}` }) {
      const res = await fetch(`${base}/rpc/${op}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(input),
      });
      return { status: res.status, body: await res.json() };
    },
    async close() {
      await http.close();
      t.cleanup();
    },
  };
}

/** A raw HTTP request (fetch will not let a test set Host). */
export function rawRequest(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', fail);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
