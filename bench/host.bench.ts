import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { openCore } from '../src/main/core';
import { createFunctionHost } from '../src/main/core/host';
import { findDeno } from '../src/main/core/host/runtime/deno';
import { tempDir } from '../test/support/temp-core';
import { load, type LoadResult } from './load';
import { fmt, type Row } from './stats';

// The platform's own example of a handler behind an API key reading three secrets (key,
// group and global scope), and one reading none.
const THREE_SECRETS = `export default async (c, ctx) => c.json({
  a: await ctx.getSecret("SERVICE_NAME"),
  b: await ctx.getSecret("RECIPIENT"),
  c: await ctx.getSecret("DATABASE_URL"),
})`;
const NO_SECRETS = 'export default async (c) => c.json({ hello: "world" })';

/** A bare Hono hello-world on Node, in a process of its own (its garbage is not the app's memory). */
async function honoOnNode(): Promise<{ url: string; close(): void }> {
  const source = `import { createServer } from 'node:http';
    import { getRequestListener } from '@hono/node-server';
    import { Hono } from 'hono';
    const app = new Hono();
    app.get('/hello', (c) => c.json({ hello: 'world' }));
    const srv = createServer(getRequestListener(app.fetch));
    srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));`;
  return listeningChild(process.execPath, ['--input-type=module', '-e', source], '/hello');
}

async function listeningChild(cmd: string, args: string[], path: string, stdin?: string): Promise<{ url: string; close(): void }> {
  const child: ChildProcess = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin!.end(stdin ?? '');
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`${cmd} baseline exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}${path}`, close: () => child.kill('SIGKILL') };
}

/** A bare `Deno.serve` hello-world: what Deno itself answers on this machine. */
function bareDeno(): Promise<{ url: string; close(): void }> {
  const source = 'Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(port) }, () => Response.json({ hello: "world" }));';
  return listeningChild(findDeno(), ['run', '--no-prompt', '--no-config', '--allow-net=127.0.0.1', '-'], '/', source);
}

/** Resident memory of an app process and of its Deno children (the handler processes), in MB. */
function appMemoryMb(appPid: number): { total: number; app: number; handlers: number[] } {
  const rss = (pid: number | string) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const app = rss(appPid);
  const handlers: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === appPid && stat.includes('(deno)')) handlers.push(rss(pid));
    } catch {
      // gone meanwhile
    }
  }
  return { total: app + handlers.reduce((a, b) => a + b, 0), app, handlers };
}

/**
 * The whole app as a person runs it — browser mode (out/main/serve.js) with its handler
 * processes — after 50 connections called a 3-secret handler for `seconds`, and 10 s later.
 */
async function appMemoryUnderLoad(seconds: number): Promise<{ after: ReturnType<typeof appMemoryMb>; settled: ReturnType<typeof appMemoryMb> }> {
  if (!existsSync('out/main/serve.js')) throw new Error('host bench: run `npm run build` first');
  const t = tempDir('crude-bench-app-');
  const child = spawn(process.execPath, ['out/main/serve.js', '--data-dir', t.dir, '--port', '0', '--host-port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const info = await new Promise<{ adminUrl: string; token: string; functionsUrl: string }>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('{') && resolve(JSON.parse(line)));
      child.once('exit', (code) => reject(new Error(`serve.js exited ${code}`)));
    });
    const rpc = async <T>(op: string, input: unknown): Promise<T> => {
      const res = await fetch(`${info.adminUrl}rpc/${op}`, { method: 'POST', headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
      const body = (await res.json()) as { ok: boolean; data: T; error?: { message: string } };
      if (!body.ok) throw new Error(`${op}: ${body.error?.message}`);
      return body.data;
    };
    const g = await rpc<{ id: number }>('groups.create', { name: 'shipping' });
    const key = await rpc<{ id: number; value: string }>('keys.create', { groupId: g.id, name: 'svc' });
    await rpc('code.write', { path: 'bench.ts', content: THREE_SECRETS });
    await rpc('functions.create', { name: 'bench', route: '/bench', methods: ['GET'], handler: 'bench.ts', groupIds: [g.id] });
    await rpc('secrets.create', { name: 'SERVICE_NAME', value: 'ShipSvc', scope: 'key', scopeId: key.id });
    await rpc('secrets.create', { name: 'RECIPIENT', value: 'shipping-updates@example.com', scope: 'group', scopeId: g.id });
    await rpc('secrets.create', { name: 'DATABASE_URL', value: 'postgresql://shared-db:5432/main', scope: 'global' });
    const url = `${info.functionsUrl}/bench`;
    await load(url, 50, seconds, { 'x-api-key': key.value });
    // The seeded examples run too, as they would in a first session.
    for (const path of ['/hello', '/secrets-demo']) await (await fetch(`${info.functionsUrl}${path}`)).text();
    const after = appMemoryMb(child.pid!);
    await new Promise((r) => setTimeout(r, 10_000));
    return { after, settled: appMemoryMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    t.cleanup();
  }
}

const row = (measure: string, m: LoadResult, base: LoadResult, goal: string, met: boolean | null, extra = ''): Row => ({
  benchmark: 'host',
  measure,
  value: `${fmt(m.requestsPerSec, 0)} (${m.p50} / ${m.p99})${m.non2xx || m.errors ? ` ${m.non2xx + m.errors} failed` : ''}`,
  baseline: `${fmt(base.requestsPerSec, 0)} (${base.p50} / ${base.p99})${extra}`,
  ratio: `${fmt((m.requestsPerSec / base.requestsPerSec) * 100, 0)}%`,
  goal,
  met,
});

/**
 * Requests/s and latency (p50 / p99 ms) of the sandboxed host, autocannon in its own
 * process, against a bare Deno.serve and a bare Hono-on-Node hello-world measured in the
 * same run; the first request after a change (dependencies cached); the app's memory.
 */
export async function hostBench(seconds = 5): Promise<Row[]> {
  const t = tempDir('crude-bench-host-');
  const core = openCore({ dataDir: t.dir });
  try {
    const g = core.groups.create({ name: 'shipping' });
    const key = core.keys.create({ groupId: g.id, name: 'svc' });
    core.code.write('bench.ts', THREE_SECRETS);
    core.code.write('hello.ts', NO_SECRETS);
    core.functions.create({ name: 'bench', route: '/bench', methods: ['GET'], handler: 'bench.ts', groupIds: [g.id] });
    core.functions.create({ name: 'hello', route: '/hello', methods: ['GET'], handler: 'hello.ts' });
    core.secrets.create({ name: 'SERVICE_NAME', value: 'ShipSvc', scope: 'key', scopeId: key.id });
    core.secrets.create({ name: 'RECIPIENT', value: 'shipping-updates@example.com', scope: 'group', scopeId: g.id });
    core.secrets.create({ name: 'DATABASE_URL', value: 'postgresql://shared-db:5432/main', scope: 'global' });
    core.settings.set({ logRetention: 1000 });
    const keyed = { 'x-api-key': key.value };

    const deno = await bareDeno();
    await load(deno.url, 50, 1);
    const denoBase = await load(deno.url, 50, seconds);
    deno.close();
    const hono = await honoOnNode();
    await load(hono.url, 50, 1);
    const honoBase = { 50: await load(hono.url, 50, seconds), 1: await load(hono.url, 1, seconds) };
    hono.close();

    const host = createFunctionHost(core, { port: 0 });
    const status = await host.start();
    const url = `${status.url}/bench`;
    const check = await fetch(url, { headers: keyed });
    if (check.status !== 200) throw new Error(`host bench: handler answered ${check.status}: ${await check.text()}`);
    await load(url, 50, 1, keyed); // warm
    const three50 = await load(url, 50, seconds, keyed);
    const three1 = await load(url, 1, seconds, keyed);
    await load(`${status.url}/hello`, 50, 1);
    const none50 = await load(`${status.url}/hello`, 50, seconds);

    // The first request after a saved change: a new handler process, dependencies cached.
    const cold: number[] = [];
    for (let i = 0; i < 7; i++) {
      core.code.write('hello.ts', `${NO_SECRETS} // edit ${i}`);
      const t0 = performance.now();
      const res = await fetch(`${status.url}/hello`);
      await res.text();
      cold.push(performance.now() - t0);
    }
    cold.sort((a, b) => a - b);
    await host.stop();
    const { after: memory, settled } = await appMemoryUnderLoad(seconds);

    const goal = 4000;
    return [
      row('3 secrets + key, 50 conn: req/s (p50 / p99 ms) vs bare Deno.serve', three50, denoBase, `≥ ${goal} req/s; p99 ≤ 20 ms`, three50.requestsPerSec >= goal && three50.p99 <= 20 && three50.non2xx === 0),
      row('3 secrets + key, 50 conn vs bare Hono on Node', three50, honoBase[50], '—', null),
      row('3 secrets + key, 1 conn vs bare Hono on Node (1 conn)', three1, honoBase[1], '—', null),
      row('no secrets, public, 50 conn vs bare Deno.serve', none50, denoBase, '—', null),
      {
        benchmark: 'host',
        measure: 'first request after a change, deps cached (ms, median of 7; min–max)',
        value: `${fmt(cold[3]!, 0)} (${fmt(cold[0]!, 0)}–${fmt(cold[6]!, 0)})`,
        baseline: '—',
        ratio: '—',
        goal: '≤ 300 ms',
        met: cold[3]! <= 300,
      },
      {
        benchmark: 'host',
        measure: 'browser mode + its handler processes after 50 conn (MB)',
        value: `${fmt(memory.total, 0)} (app ${fmt(memory.app, 0)}, handlers ${memory.handlers.map((h) => fmt(h, 0)).join(' + ')})`,
        baseline: 'platform ~200',
        ratio: `${fmt((memory.total / 200) * 100, 0)}%`,
        goal: '≤ 200 MB',
        met: memory.total <= 200,
      },
      {
        benchmark: 'host',
        measure: 'the same, 10 s after the load',
        value: `${fmt(settled.total, 0)} (app ${fmt(settled.app, 0)}, handlers ${settled.handlers.map((h) => fmt(h, 0)).join(' + ')})`,
        baseline: 'platform ~200',
        ratio: `${fmt((settled.total / 200) * 100, 0)}%`,
        goal: '≤ 200 MB',
        met: settled.total <= 200,
      },
    ];
  } finally {
    core.close();
    t.cleanup();
  }
}
