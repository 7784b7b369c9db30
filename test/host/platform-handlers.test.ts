import { lookup } from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import type { RuntimePhase } from '../../src/main/core/host';
import { tempDir } from '../support/temp-core';
import { hostWorld } from './support';

// Handlers as the platform's documentation writes them run here unchanged.
describe('handlers written for the platform (Deno)', () => {
  it('imports an npm: package (downloaded once into the Deno cache, then used from there)', async () => {
    const w = await hostWorld();
    w.fn('dates', `import dayjs from "npm:dayjs@1";
      export default async (c) => c.json({ year: dayjs("2024-03-05T00:00:00Z").year(), formatted: dayjs("2024-03-05").format("DD/MM/YYYY") })`);
    const res = await w.get('/dates');
    expect(await res.json()).toEqual({ year: 2024, formatted: '05/03/2024' });
  }, 120_000);

  it('says "fetching dependencies" while an npm: dependency is downloaded, then ready', async () => {
    const cache = tempDir('crude-deno-cache-');
    try {
      const w = await hostWorld({ denoDir: cache.dir });
      const phases: RuntimePhase[] = [];
      w.host.onRuntimePhase((_id, phase) => phases.push(phase));
      w.fn('fresh', 'import ms from "npm:ms@2"; export default async (c) => c.text(ms(60000))');
      expect(await (await w.get('/fresh')).text()).toBe('1m');
      expect(phases).toEqual(['starting', 'fetching-dependencies', 'ready']);
      // The lock file keeps the version: a second process uses the cache without downloading.
      w.core.code.write('fresh.ts', 'import ms from "npm:ms@2"; export default async (c) => c.text(ms(120000))');
      expect(await (await w.get('/fresh')).text()).toBe('2m');
      expect(phases.slice(3)).toEqual(['starting', 'ready']);
    } finally {
      cache.cleanup();
    }
  }, 120_000);

  it('imports relative .ts files across folders, with or without the extension, and node: built-ins', async () => {
    const w = await hostWorld();
    w.core.code.write('utils/formatting.ts', 'export const shout = (s: string): string => s.toUpperCase() + "!";');
    w.core.code.write('utils/index.ts', 'export { shout } from "./formatting.ts";');
    w.core.code.write('api/handler.ts', `import { shout } from "../utils/formatting.ts";
      import { shout as again } from "../utils/formatting";
      import { createHash } from "node:crypto";
      import { Buffer } from "node:buffer";
      export default async function (c: any, ctx: any): Promise<Response> {
        return c.json({ a: shout("hi"), b: again("yo"), sha: createHash("sha256").update("x").digest("hex").slice(0, 8), b64: Buffer.from("hi").toString("base64") });
      }`);
    w.core.functions.create({ name: 'nested', route: '/nested', methods: ['GET'], handler: 'api/handler.ts' });
    expect(await (await w.get('/nested')).json()).toEqual({ a: 'HI!', b: 'YO!', sha: '2d711642', b64: 'aGk=' });
  });

  it('sees an empty Deno.env and cannot change the working directory', async () => {
    const w = await hostWorld();
    w.fn('env', `export default async (c) => {
      const path = Deno.env.get("PATH");
      Deno.env.set("MINE", "only here");
      let chdir;
      try { Deno.chdir("/"); } catch (e) { chdir = e.message; }
      return c.json({ path: path ?? "undefined", mine: Deno.env.get("MINE"), chdir });
    }`);
    const body = (await (await w.get('/env')).json()) as Record<string, string>;
    expect(body).toEqual({ path: 'undefined', mine: 'only here', chdir: expect.stringMatching(/cannot call Deno\.chdir/) });
    // What one request sets is not there for the next.
    w.fn('env2', 'export default async (c) => c.json({ mine: Deno.env.get("MINE") ?? null })');
    expect(await (await w.get('/env2')).json()).toEqual({ mine: null });
  });

  it('a module that cannot be fetched fails with a message naming the specifier (https: here; every machine)', async () => {
    const w = await hostWorld();
    // .invalid never resolves (RFC 2606), so this is the offline case on any machine.
    w.fn('remote', 'import { x } from "https://crude-functions.invalid/mod.ts";\nexport default async (c) => c.text(x)');
    const res = await w.get('/remote');
    expect(res.status).toBe(500);
    const body = (await res.json()) as Record<string, string>;
    expect(body.error).toBe('Handler load failed');
    expect(body.hint).toMatch(/^Could not fetch https:\/\/crude-functions\.invalid\/mod\.ts \(imported at remote\.ts:1:19\): this machine cannot download it/);
  });

  it('a jsr: import on a machine without the network says it could not be fetched', async (t) => {
    const reachable = await lookup('jsr.io').then(
      () => true,
      () => false,
    );
    if (reachable) {
      console.log('jsr.io resolves on this machine: the offline message is checked by the https: case above');
      t.skip();
    }
    const w = await hostWorld();
    w.fn('zod', 'import { z } from "jsr:@zod/zod";\nexport default async (c) => c.json(z.string().parse("x"))');
    const body = (await (await w.get('/zod')).json()) as Record<string, string>;
    expect(body).toMatchObject({ error: 'Handler load failed', hint: expect.stringMatching(/^Could not fetch jsr:@zod\/zod \(imported at zod\.ts:1:19\)/) });
  });

  it('a missing relative import names the file and where it is imported', async () => {
    const w = await hostWorld();
    w.fn('missing', 'import { x } from "./lib/nope.ts";\nexport default async (c) => c.text(x)');
    const body = (await (await w.get('/missing')).json()) as Record<string, string>;
    expect(body).toMatchObject({ error: 'Handler load failed', hint: 'Cannot find lib/nope.ts (imported at missing.ts:1:19).' });
    // Creating the file is seen by the next request.
    w.core.code.write('lib/nope.ts', 'export const x = "found";');
    expect(await (await w.get('/missing')).text()).toBe('found');
  });

  it('a handler file that does not exist is the server\'s 404 "Handler not found"', async () => {
    const w = await hostWorld();
    w.core.code.write('there.ts', 'export default async (c) => c.text("x")');
    w.core.functions.create({ name: 'gone', route: '/gone', methods: ['GET'], handler: 'there.ts' });
    w.core.code.delete('there.ts');
    const res = await w.get('/gone');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'Handler not found', message: 'Handler file does not exist: there.ts' });
  });
});
