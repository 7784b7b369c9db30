import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Agent, request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { hostWorld } from '../host/support';

// Many concurrent requests from many callers, with every core kept busy by burners, and
// every answer checked against the caller that asked. The old runtime could hand a
// handler an empty or earlier answer under contention; no channel may do that.
// `npm test` runs a short version; `npm run test:stress` sets HOST_STRESS_REQUESTS.
const REQUESTS = Number(process.env.HOST_STRESS_REQUESTS ?? 3000);
const CONCURRENCY = 50;
const CALLERS = 12;

const burners: ChildProcess[] = [];
afterAll(() => {
  for (const b of burners) b.kill('SIGKILL');
});

function get(agent: Agent, url: URL, key: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { 'x-api-key': key } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the function host under load and CPU contention', () => {
  it(`answers ${REQUESTS} concurrent requests of ${CALLERS} callers, each with its own secrets`, async () => {
    const w = await hostWorld({ maxFailedAuth: 1_000_000 }, { requestTimeoutMs: 120_000 });
    const group = w.core.groups.create({ name: 'stress' });
    const keys = Array.from({ length: CALLERS }, (_, i) => w.core.keys.create({ groupId: group.id, name: `caller-${i}` }));
    keys.forEach((k, i) => w.core.secrets.create({ name: 'WHO', value: `CANARY-caller-${i}`, scope: 'key', scopeId: k.id }));
    w.core.secrets.create({ name: 'TEAM', value: 'CANARY-team', scope: 'group', scopeId: group.id });
    w.core.secrets.create({ name: 'BASE', value: 'CANARY-base', scope: 'global' });
    w.fn(
      'who',
      `export default async (c, ctx) => {
        const [who, team, base] = [await ctx.getSecret("WHO"), await ctx.getSecret("TEAM"), await ctx.getSecret("BASE")];
        const again = await ctx.getSecret("WHO", "key");
        return c.json({ who, team, base, again, i: ctx.query.i });
      }`,
      { groupIds: [group.id] },
    );
    // Warm the handler process before the burners start.
    expect((await get(new Agent(), new URL(`${w.base}/who?i=0`), keys[0]!.value)).status).toBe(200);
    for (let i = 0; i < availableParallelism(); i++) burners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));

    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    let next = 0;
    let wrong = 0;
    const failures: string[] = [];
    const worker = async () => {
      while (next < REQUESTS) {
        const n = next++;
        const caller = n % CALLERS;
        const res = await get(agent, new URL(`${w.base}/who?i=${n}`), keys[caller]!.value);
        const expected = JSON.stringify({ who: `CANARY-caller-${caller}`, team: 'CANARY-team', base: 'CANARY-base', again: `CANARY-caller-${caller}`, i: String(n) });
        if (res.status !== 200 || res.body !== expected) {
          wrong++;
          // Only the status and the shape: the values are the test's canaries.
          if (failures.length < 5) failures.push(`request ${n}: status ${res.status}, ${res.body.length} bytes`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    console.log(`host stress: ${REQUESTS} requests, ${CONCURRENCY} at a time, ${burners.length} CPU burners: ${wrong} wrong answers`);
    expect(failures).toEqual([]);
    expect(wrong).toBe(0);
  }, 600_000);
});
