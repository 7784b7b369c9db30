import { readFileSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostWorld, type HostWorld } from './support';

// A handler pasted from the internet, trying what an attacker would. Each attempt names
// what it tried; each must be refused while another function keeps answering. The sandbox
// is Deno's permissions (runtime/deno/sandbox.ts) plus the host's checks of the module
// graph and of everything the process sends.

/** Runs `attempts` (name → code returning a promise or value) in one handler; reports each outcome. */
function probe(attempts: Record<string, string>): string {
  const entries = Object.entries(attempts)
    .map(([name, code]) => `[${JSON.stringify(name)}, async () => { ${code} }]`)
    .join(',\n');
  return `export default async (c) => {
    const out = {};
    for (const [name, attempt] of [${entries}]) {
      try {
        const value = await attempt();
        out[name] = { refused: false, value: String(value).slice(0, 200) };
      } catch (e) {
        out[name] = { refused: true, error: String(e?.name ?? e) + ": " + String(e?.message ?? "").slice(0, 200) };
      }
    }
    return c.json(out);
  }`;
}

type Outcomes = Record<string, { refused: boolean; error?: string; value?: string }>;

async function runProbe(w: HostWorld, name: string, attempts: Record<string, string>): Promise<Outcomes> {
  w.fn(name, probe(attempts));
  const res = await w.get(`/${name}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Outcomes;
}

function expectAllRefused(outcomes: Outcomes, pattern: RegExp = /NotCapable/) {
  for (const [attempt, outcome] of Object.entries(outcomes)) {
    expect(outcome, attempt).toMatchObject({ refused: true });
    expect(outcome.error, attempt).toMatch(pattern);
  }
}

async function stillAnswering(w: HostWorld) {
  w.fn('bystander', 'export default async (c) => c.text("still here")');
  expect(await (await w.get('/bystander')).text()).toBe('still here');
}

const snapshot = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const p = join(e.parentPath, e.name);
      return `${p}:${statSync(p).size}:${readFileSync(p).toString('base64')}`;
    })
    .sort()
    .join('\n');

describe('a hostile handler reaches nothing but its own request', () => {
  it('cannot read the key file, the database, its WAL or the lock, by any file API Deno offers', async () => {
    const w = await hostWorld();
    const { keyFile, databaseFile, dataDir } = w.core.paths;
    const targets = { 'key file': keyFile, database: databaseFile, WAL: `${databaseFile}-wal`, lock: join(dataDir, 'app.lock') };
    const attempts: Record<string, string> = {};
    for (const [what, path] of Object.entries(targets)) {
      const p = JSON.stringify(path);
      attempts[`${what}: Deno.readTextFile`] = `return await Deno.readTextFile(${p})`;
      attempts[`${what}: Deno.readFileSync`] = `return Deno.readFileSync(${p})`;
      attempts[`${what}: Deno.open`] = `return (await Deno.open(${p})).rid`;
      attempts[`${what}: Deno.stat`] = `return (await Deno.stat(${p})).size`;
      attempts[`${what}: node:fs readFileSync`] = `const fs = await import("node:fs"); return fs.readFileSync(${p}, "utf8")`;
      attempts[`${what}: node:fs/promises readFile`] = `const fs = await import("node:fs/promises"); return await fs.readFile(${p}, "utf8")`;
      attempts[`${what}: fetch(file://)`] = `return await (await fetch(new URL("file://" + ${p}))).text()`;
      attempts[`${what}: dynamic import`] = `return JSON.stringify(await import("file://" + ${p}, { with: { type: "json" } }))`;
    }
    attempts['data folder: Deno.readDir'] = `const names = []; for await (const e of Deno.readDir(${JSON.stringify(dataDir)})) names.push(e.name); return names.join()`;
    attempts['data folder: Deno.realPath'] = `return await Deno.realPath(${JSON.stringify(dataDir)})`;
    attempts['key file: a Worker loading it as a module'] = `return await new Promise((resolve, reject) => {
      const worker = new Worker("file://" + ${JSON.stringify(keyFile)}, { type: "module" });
      worker.onerror = (e) => { e.preventDefault(); reject(new Error(e.message)); };
      setTimeout(() => resolve("worker ran"), 2000);
    })`;
    const outcomes = await runProbe(w, 'reader', attempts);
    expectAllRefused(outcomes, /NotCapable|Requires read access/);
    await stillAnswering(w);
  }, 60_000);

  it('cannot import the key file statically, directly or through a symlink inside code/', async () => {
    const w = await hostWorld();
    const rel = '../encryption-keys.json';
    w.fn('static', `import keys from "${rel}" with { type: "json" };\nexport default async (c) => c.json(keys)`);
    const direct = await w.get('/static');
    expect(direct.status).toBe(500);
    expect(await direct.json()).toMatchObject({ error: 'Handler load failed', hint: expect.stringMatching(/leads outside the code\/ folder/) });
    symlinkSync(w.core.paths.keyFile, join(w.core.paths.codeDir, 'keys.json'));
    w.fn('linked', 'import keys from "./keys.json" with { type: "json" };\nexport default async (c) => c.json(keys)');
    const linked = await w.get('/linked');
    expect(linked.status).toBe(500);
    const body = await linked.text();
    expect(body).toMatch(/leads outside the code\/ folder/);
    expect(body).not.toMatch(/"current"|hashKey|installation/);
    await stillAnswering(w);
  });

  it('cannot read /proc: its own environment and memory, or the app\'s', async () => {
    const w = await hostWorld();
    const outcomes = await runProbe(w, 'proc', {
      '/proc/self/environ': 'return await Deno.readTextFile("/proc/self/environ")',
      '/proc/self/mem': 'const f = await Deno.open("/proc/self/mem"); return f.rid',
      '/proc/self/maps': 'return await Deno.readTextFile("/proc/self/maps")',
      "the app's /proc/<pid>/environ": `return await Deno.readTextFile("/proc/${process.pid}/environ")`,
      "the app's /proc/<pid>/mem": `const f = await Deno.open("/proc/${process.pid}/mem"); return f.rid`,
      "the app's /proc/<pid>/cmdline (node:fs)": `const fs = await import("node:fs"); return fs.readFileSync("/proc/${process.pid}/cmdline", "utf8")`,
      'Deno.env.toObject of the real environment': 'const all = Deno.env.toObject(); if (Object.keys(all).length) return JSON.stringify(all); throw new Error("NotCapable: empty, as on the platform")',
    });
    expectAllRefused(outcomes, /NotCapable|Requires read access/);
    await stillAnswering(w);
  });

  it('cannot start processes, load native code, signal the app, or read system information', async () => {
    const w = await hostWorld();
    const app = process.pid;
    const outcomes = await runProbe(w, 'escape', {
      'Deno.Command output()': 'return new TextDecoder().decode((await new Deno.Command("/bin/sh", { args: ["-c", "echo escaped"] }).output()).stdout)',
      'Deno.Command spawn() that would outlive the app': 'return new Deno.Command("/bin/sleep", { args: ["600"] }).spawn().pid',
      'node:child_process execFileSync': 'const cp = await import("node:child_process"); return cp.execFileSync("/bin/echo", ["escaped"]).toString()',
      'node:child_process spawn': 'const cp = await import("node:child_process"); return await new Promise((resolve, reject) => { const p = cp.spawn("/bin/sleep", ["600"], { detached: true }); p.on("error", reject); p.on("spawn", () => resolve(p.pid)); })',
      'Deno.dlopen (FFI)': 'return Object.keys(Deno.dlopen("libc.so.6", { getpid: { parameters: [], result: "i32" } }).symbols)',
      "SIGSTOP to the app (Deno.kill)": `Deno.kill(${app}, "SIGSTOP"); return "sent"`,
      "SIGKILL to the app (process.kill)": `process.kill(${app}, "SIGKILL"); return "sent"`,
      'Deno.hostname': 'return Deno.hostname()',
      'Deno.networkInterfaces': 'return JSON.stringify(Deno.networkInterfaces())',
      'Deno.systemMemoryInfo': 'return JSON.stringify(Deno.systemMemoryInfo())',
      'node:os userInfo': 'const os = await import("node:os"); return JSON.stringify(os.userInfo())',
    });
    // node:child_process's sync calls report Deno's refusal as "Command failed" (/bin/echo itself cannot fail).
    expectAllRefused(outcomes, /NotCapable|Requires (run|ffi|sys) access|Command failed/);
    await stillAnswering(w);
  });

  it('cannot write, rename, delete or link anything: code/, the key file, the data folder', async () => {
    const w = await hostWorld();
    w.fn('victim', 'export default async (c) => c.text("untouched")');
    const before = snapshot(w.core.paths.codeDir);
    const keysBefore = readFileSync(w.core.paths.keyFile, 'utf8');
    const code = JSON.stringify(join(w.core.paths.codeDir, 'victim.ts'));
    const keyFile = JSON.stringify(w.core.paths.keyFile);
    const outcomes = await runProbe(w, 'writer', {
      'Deno.writeTextFile into code/': `await Deno.writeTextFile(${code}, "export default () => new Response('owned')"); return "written"`,
      'node:fs writeFileSync into code/': `const fs = await import("node:fs"); fs.writeFileSync(${code}, "owned"); return "written"`,
      'Deno.remove a handler': `await Deno.remove(${code}); return "removed"`,
      'Deno.rename over the key file': `await Deno.rename(${code}, ${keyFile}); return "renamed"`,
      'Deno.writeTextFile the key file': `await Deno.writeTextFile(${keyFile}, "{}"); return "written"`,
      'Deno.symlink into code/': `await Deno.symlink(${keyFile}, ${JSON.stringify(join(w.core.paths.codeDir, 'k.json'))}); return "linked"`,
      'Deno.chmod the key file': `await Deno.chmod(${keyFile}, 0o777); return "chmod"`,
      'Deno.makeTempFile': 'return await Deno.makeTempFile()',
    });
    expectAllRefused(outcomes, /NotCapable|Requires write access/);
    // victim.ts was not in the snapshot's listing until created above; compare after it existed.
    expect(snapshot(w.core.paths.codeDir).replace(/\n?[^\n]*writer\.ts[^\n]*/, '')).toBe(before.replace(/\n?[^\n]*writer\.ts[^\n]*/, ''));
    expect(readFileSync(w.core.paths.keyFile, 'utf8')).toBe(keysBefore);
    expect(await (await w.get('/victim')).text()).toBe('untouched');
  });

  it('cannot reach the host itself, the admin API, or any other loopback service, by address or by name', async () => {
    const w = await hostWorld();
    const admin = createServer((_req, res) => res.end('admin answered')).listen(0, '127.0.0.1');
    await new Promise((r) => admin.once('listening', r));
    try {
      const adminPort = (admin.address() as AddressInfo).port;
      const hostPort = new URL(w.base).port;
      const outcomes = await runProbe(w, 'loopback', {
        'fetch the function host': `return await (await fetch("http://127.0.0.1:${hostPort}/run/bystander")).text()`,
        'fetch the admin API': `return await (await fetch("http://127.0.0.1:${adminPort}/rpc/keys.list")).text()`,
        'fetch localhost': `return await (await fetch("http://localhost:${adminPort}/")).text()`,
        'fetch 127.0.0.2': `return await (await fetch("http://127.0.0.2:${adminPort}/")).text()`,
        'fetch [::1]': `return await (await fetch("http://[::1]:${adminPort}/")).text()`,
        'fetch 0.0.0.0': `return await (await fetch("http://0.0.0.0:${adminPort}/")).text()`,
        'fetch a decimal 127.0.0.1': `return await (await fetch("http://2130706433:${adminPort}/")).text()`,
        'fetch a v4-mapped v6 loopback': `return await (await fetch("http://[::ffff:127.0.0.1]:${adminPort}/")).text()`,
        'Deno.connect TCP': `const conn = await Deno.connect({ hostname: "127.0.0.1", port: ${adminPort} }); conn.close(); return "connected"`,
        'node:net connect': `const net = await import("node:net"); return await new Promise((resolve, reject) => { const s = net.connect(${adminPort}, "127.0.0.1", () => { s.end(); resolve("connected"); }); s.on("error", reject); })`,
        'WebSocket to loopback': `return await new Promise((resolve, reject) => { const ws = new WebSocket("ws://127.0.0.1:${adminPort}/"); ws.onopen = () => resolve("open"); ws.onerror = () => reject(new Error("NotCapable or refused")); })`,
        'Deno.listen on all interfaces': 'const l = Deno.listen({ port: 0 }); l.close(); return "listening"',
      });
      expectAllRefused(outcomes, /NotCapable|Requires net access|refused/);
    } finally {
      admin.close();
    }
    await stillAnswering(w);
  });

  it('may reach a local host:port the operator lists, and still no other', async () => {
    const w = await hostWorld();
    const open = createServer((_req, res) => res.end('database answered')).listen(0, '127.0.0.1');
    const closed = createServer((_req, res) => res.end('other service answered')).listen(0, '127.0.0.1');
    await Promise.all([open, closed].map((s) => new Promise((r) => (s.listening ? r(null) : s.once('listening', r)))));
    try {
      const openPort = (open.address() as AddressInfo).port;
      const closedPort = (closed.address() as AddressInfo).port;
      w.core.settings.set({ handlerLocalHosts: [`127.0.0.1:${openPort}`] });
      const outcomes = await runProbe(w, 'listed', {
        listed: `return await (await fetch("http://127.0.0.1:${openPort}/")).text()`,
        'listed, by name': `return await (await fetch("http://localhost:${openPort}/")).text()`,
        'not listed': `return await (await fetch("http://127.0.0.1:${closedPort}/")).text()`,
        'the host itself': `return await (await fetch("${w.base}/bystander")).text()`,
      });
      expect(outcomes.listed).toEqual({ refused: false, value: 'database answered' });
      expect(outcomes['listed, by name']).toEqual({ refused: false, value: 'database answered' });
      expect(outcomes['not listed']).toMatchObject({ refused: true, error: expect.stringMatching(/NotCapable/) });
      expect(outcomes['the host itself']).toMatchObject({ refused: true, error: expect.stringMatching(/NotCapable/) });
    } finally {
      open.close();
      closed.close();
    }
  });

  it('allocating 1 GB of ArrayBuffers fails that request (507) and the process is replaced', async () => {
    const w = await hostWorld({}, { handlerMemoryMb: 256 });
    const hog = w.fn('hog', `export default async (c) => {
      const held = [];
      for (let i = 0; i < 1024; i++) { held.push(new Uint8Array(1024 * 1024).fill(i)); if (i % 64 === 0) await new Promise((r) => setTimeout(r, 1)); }
      return c.text("held " + held.length);
    }`);
    const res = await w.get('/hog');
    expect(res.status).toBe(507);
    expect(await res.json()).toMatchObject({ error: 'Handler out of memory', message: expect.stringMatching(/memory limit of 256 MB/) });
    expect(w.core.executions.list(hog.id)[0]!.status).toBe(507);
    await stillAnswering(w);
  }, 60_000);

  it('a handler flooding the host (50 MB console lines, 50 MB secret names, raw frames on stdout, 100,000 lines) fails alone', async () => {
    const w = await hostWorld({}, { requestTimeoutMs: 20_000 });
    w.core.secrets.create({ name: 'REAL', value: 'CANARY-flood', scope: 'global' });
    const big = w.fn('big-line', 'export default async (c, ctx) => { console.log("x".repeat(50 * 1024 * 1024)); return c.json({ after: await ctx.getSecret("REAL") }) }');
    const bigRes = await w.get('/big-line');
    expect(await bigRes.json()).toEqual({ after: 'CANARY-flood' });
    const line = w.core.executions.list(big.id)[0]!.console[0]!.message;
    expect(line.length).toBeLessThan(10_000);

    w.fn('big-name', 'export default async (c, ctx) => c.json({ got: (await ctx.getSecret("A".repeat(50 * 1024 * 1024))) ?? null, complete: (await ctx.getCompleteSecret("B".repeat(50 * 1024 * 1024))) ?? null })');
    expect(await (await w.get('/big-name')).json()).toEqual({ got: null, complete: null });

    // A frame header announcing 50 MB of console text, written around the runtime to fd 1.
    w.fn('forged', `export default async (c) => {
      const fs = await import("node:fs");
      const head = new Uint8Array(13); const v = new DataView(head.buffer);
      v.setUint32(0, 9 + 50 * 1024 * 1024, true); v.setUint8(4, 12); v.setUint32(5, 0, true); v.setUint32(9, 50 * 1024 * 1024, true);
      fs.writeSync(1, head);
      fs.writeSync(1, new Uint8Array(1024 * 1024));
      await new Promise((r) => setTimeout(r, 5000));
      return c.text("not reached");
    }`);
    const forged = await w.get('/forged');
    expect(forged.status).toBe(500);
    expect(await forged.json()).toMatchObject({ error: 'Handler execution failed', message: expect.stringMatching(/broke its channel to the host/) });

    // A forged secret call with a 50 MB name is refused at its header too.
    w.fn('forged-secret', `export default async (c) => {
      const fs = await import("node:fs");
      const name = "N".repeat(1024);
      const json = new TextEncoder().encode(JSON.stringify({ seq: 1, call: "getSecret", name: name.repeat(50 * 1024) }).slice(0, 64));
      const head = new Uint8Array(13); const v = new DataView(head.buffer);
      v.setUint32(0, 9 + 50 * 1024 * 1024, true); v.setUint8(4, 13); v.setUint32(5, 1, true); v.setUint32(9, 50 * 1024 * 1024, true);
      fs.writeSync(1, head); fs.writeSync(1, json);
      await new Promise((r) => setTimeout(r, 5000));
      return c.text("not reached");
    }`);
    expect((await w.get('/forged-secret')).status).toBe(500);

    const lines = w.fn('many-lines', 'export default async (c) => { for (let i = 0; i < 100000; i++) console.log("line", i); return c.text("done") }');
    const res = await w.get('/many-lines');
    // Either the handler finished (its log keeps the first 500 lines) or it was stopped as a flood: the host is fine.
    expect([200, 500]).toContain(res.status);
    expect(w.core.executions.list(lines.id)[0]!.console.length).toBeLessThanOrEqual(500);
    await stillAnswering(w);
  }, 90_000);
});
