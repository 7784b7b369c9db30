import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostWorld } from '../host/support';

// Ordinary handler code that prints secret values in ways an exact match per request
// misses. Afterwards every file of the data directory is scanned: no value, in any
// escaped form, may be there in plaintext (the execution log's text is encrypted), and
// what the UI shows is redacted.

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

const forms = (v: string) => [v, JSON.stringify(v).slice(1, -1), v.slice(0, 24)];

describe('no plaintext secret or API key value in any data-directory file', () => {
  it('whatever a handler prints: cached values, JSON and inspect forms, long lines, headers, errors', async () => {
    const w = await hostWorld();
    const v = {
      cached: 'CANARY-cached-in-a-module-variable',
      quoted: 'CANARY-"quoted"\\back\\slash\nnew-line',
      inspected: "CANARY-it's-inspected",
      long: `CANARY-long-${'L'.repeat(60)}`,
      thrown: 'CANARY-thrown-in-an-error',
    };
    for (const [name, value] of Object.entries(v)) w.core.secrets.create({ name, value, scope: 'global' });
    const g = w.core.groups.create({ name: 'callers' });
    const key = w.core.keys.create({ groupId: g.id, name: 'caller' });

    w.fn('cache', `let kept;
      export default async (c, ctx) => {
        if (ctx.query.phase === "keep") { kept = await ctx.getSecret("cached"); return c.text("kept"); }
        console.log("later:", kept);
        return c.text("printed");
      }`);
    w.fn('json', 'export default async (c, ctx) => { const quoted = await ctx.getSecret("quoted"); console.log(JSON.stringify({ quoted })); console.log({ quoted }); return c.text("ok") }');
    w.fn('inspect', 'export default async (c, ctx) => { const value = await ctx.getSecret("inspected"); console.log({ value }); console.error([value]); return c.text("ok") }');
    w.fn('long', 'export default async (c, ctx) => { console.log("x".repeat(8180) + await ctx.getSecret("long")); console.log("y".repeat(16370) + await ctx.getSecret("long")); return c.text("ok") }');
    w.fn('headers', 'export default async (c) => { console.log(JSON.stringify(Object.fromEntries(c.req.raw.headers))); return c.text("ok") }');
    const thrower = w.fn('thrower', 'export default async (c, ctx) => { throw new Error("failed with " + await ctx.getSecret("thrown")) }');

    expect(await (await w.get('/cache?phase=keep')).text()).toBe('kept');
    expect(await (await w.get('/cache')).text()).toBe('printed');
    for (const path of ['/json', '/inspect', '/long']) expect((await w.get(path)).status, path).toBe(200);
    // A public function that logs its request's headers, called with a real key.
    expect((await w.get('/headers?api_key=' + encodeURIComponent(key.value), { headers: { 'X-API-Key': key.value, Authorization: `Bearer ${key.value}` } })).status).toBe(200);
    const thrown = await w.get('/thrower');
    expect(thrown.status).toBe(500);
    expect(await thrown.text()).not.toContain(v.thrown);

    // What the UI shows: redacted.
    const shown = JSON.stringify(w.core.functions.list().flatMap((f) => w.core.executions.list(f.id)));
    for (const value of Object.values(v)) for (const f of forms(value)) expect(shown, `${f} is shown`).not.toContain(f);
    expect(shown).not.toContain(key.value);
    expect(shown).toContain('[redacted secret cached]');
    expect(shown).toContain('[redacted API key]');
    expect(w.core.executions.list(thrower.id)[0]!.error).toContain('[redacted secret thrown]');

    // What is on disk, with the WAL still open and after the app has closed.
    const scan = () => {
      for (const file of filesUnder(w.core.paths.dataDir)) {
        if (statSync(file).size > 50 * 1024 * 1024) continue;
        const text = readFileSync(file).toString('latin1');
        for (const value of [...Object.values(v), key.value]) {
          for (const f of forms(value)) expect(text.includes(f), `${f.slice(0, 30)}… is in ${file}`).toBe(false);
        }
      }
    };
    scan();
    await w.host.stop();
    w.core.close();
    scan();
  }, 60_000);
});
