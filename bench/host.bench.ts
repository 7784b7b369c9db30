import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { openCore } from '../src/main/core';
import { createFunctionHost } from '../src/main/core/host';
import { tempDir } from '../test/support/temp-core';
import { load, type LoadResult } from './load';
import { fmt, type Row } from './stats';

const HANDLER = `export default async (c, ctx) => c.json({
  a: await ctx.getSecret("SERVICE_NAME"),
  b: await ctx.getSecret("RECIPIENT"),
  c: await ctx.getSecret("DATABASE_URL"),
})`;

async function baselineServer(): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono();
  app.get('/hello', (c) => c.json({ hello: 'world' }));
  const srv: Server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hello`,
    close: () => new Promise((r) => srv.close(() => r())),
  };
}

/**
 * Requests/s and latency of a handler reading 3 secrets with an API key, at 1, 10 and 50
 * connections (autocannon in its own process), against a bare Hono hello-world.
 */
export async function hostBench(seconds = 5): Promise<Row[]> {
  const t = tempDir('crude-bench-host-');
  const core = openCore({ dataDir: t.dir });
  try {
    const g = core.groups.create({ name: 'shipping' });
    const key = core.keys.create({ groupId: g.id, name: 'svc' });
    core.code.write('bench.ts', HANDLER);
    const fn = core.functions.create({ name: 'bench', route: '/bench', methods: ['GET'], handler: 'bench.ts', groupIds: [g.id] });
    core.secrets.create({ name: 'SERVICE_NAME', value: 'ShipSvc', scope: 'key', scopeId: key.id });
    core.secrets.create({ name: 'RECIPIENT', value: 'shipping-updates@example.com', scope: 'group', scopeId: g.id });
    core.secrets.create({ name: 'DATABASE_URL', value: 'postgresql://shared-db:5432/main', scope: 'global' });
    core.settings.set({ logRetention: 1000 });
    void fn;

    const base = await baselineServer();
    const baseline: Record<number, LoadResult> = {};
    for (const c of [1, 10, 50]) baseline[c] = await load(base.url, c, seconds);
    await base.close();

    const host = createFunctionHost(core, { port: 0 });
    const status = await host.start();
    const url = `${status.url}/bench`;
    const check = await fetch(url, { headers: { 'x-api-key': key.value } });
    if (check.status !== 200) throw new Error(`host bench: handler answered ${check.status}`);
    await load(url, 10, 1, { 'x-api-key': key.value }); // warm the worker pool
    const measured: Record<number, LoadResult> = {};
    for (const c of [1, 10, 50]) measured[c] = await load(url, c, seconds, { 'x-api-key': key.value });
    await host.stop();

    const rows: Row[] = [];
    for (const c of [1, 10, 50]) {
      const m = measured[c]!;
      const b = baseline[c]!;
      const ratio = m.requestsPerSec / b.requestsPerSec;
      rows.push({
        benchmark: 'host',
        measure: `${c} conn: req/s (p50 / p99 ms)`,
        value: `${fmt(m.requestsPerSec, 0)} (${m.p50} / ${m.p99})${m.non2xx || m.errors ? ` ${m.non2xx + m.errors} failed` : ''}`,
        baseline: `${fmt(b.requestsPerSec, 0)} (${b.p50} / ${b.p99})`,
        ratio: `${fmt(ratio * 100, 0)}%`,
        goal: c === 50 ? '≥ 50% req/s; p99 ≤ 10 ms' : '—',
        met: c === 50 ? ratio >= 0.5 && m.p99 <= 10 && m.non2xx === 0 : null,
      });
    }
    return rows;
  } finally {
    core.close();
    t.cleanup();
  }
}
