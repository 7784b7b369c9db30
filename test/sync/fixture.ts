// A test Crude Functions server seeded with a small platform installation, and a fresh
// local data directory connected to it. Values the suite must never see printed are
// CANARY- values (the leak reporter fails the run on one).
import { afterEach } from 'vitest';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { startCrudeServer, type CrudeServer } from '../support/crude-server';
import { tempCore } from '../support/temp-core';
import type { OpenCoreOptions } from '../../src/main/core';

export const HANDLER_NOTIFY = `export default async function (c, ctx) {\n  return c.json({ to: await ctx.getSecret("RECIPIENT") ? "set" : "unset" });\n}\n`;
export const HANDLER_REPORT = `import { fmt } from "./lib/format.ts";\nexport default async function (c) {\n  return c.text(fmt(c.req.param("id")));\n}\n`;
export const LIB_FORMAT = `export const fmt = (s: string) => \`report \${s}\`;\n`;

/** The platform side: two groups with keys, two functions in a manual source, secrets at every scope. */
export function seedServer(s: CrudeServer) {
  const shipping = s.seed.group('shipping', 'Shipping services');
  const billing = s.seed.group('billing');
  const shipA = s.seed.key(shipping, 'ship-a', 'CANARY-key-ship-a');
  const shipB = s.seed.key(shipping, 'ship-b', 'CANARY-key-ship-b', 'second shipper');
  const bill = s.seed.key(billing, 'bill-svc', 'CANARY-key-bill');
  const src = s.seed.source('apps');
  s.seed.file(src, 'notify.ts', HANDLER_NOTIFY);
  s.seed.file(src, 'report.ts', HANDLER_REPORT);
  s.seed.file(src, 'lib/format.ts', LIB_FORMAT);
  s.seed.file(src, 'logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
  const notify = s.seed.fn({ name: 'notify', route: '/notify', handler: 'apps/notify.ts', methods: ['POST'], groups: [shipping, billing], description: 'Sends notifications' });
  const report = s.seed.fn({ name: 'report', route: '/report/:id', handler: 'apps/report.ts', methods: ['GET'], cors: { origins: ['https://app.example.com'], maxAge: 600 } });
  s.seed.secret({ name: 'LOG_LEVEL', value: 'CANARY-info', comment: 'default level' });
  s.seed.secret({ name: 'RECIPIENT', value: 'CANARY-ops@example.com' });
  s.seed.secret({ name: 'RECIPIENT', value: 'CANARY-ship@example.com', scope: 'group', ref: shipping });
  s.seed.secret({ name: 'RECIPIENT', value: 'CANARY-ship-a@example.com', scope: 'key', ref: shipA });
  s.seed.secret({ name: 'LOG_LEVEL', value: 'CANARY-debug', scope: 'function', ref: report });
  return { shipping, billing, shipA, shipB, bill, src, notify, report };
}

/** Starts a seeded server and a local core connected to it; both closed after each test. */
export function syncKit() {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  return {
    async start(opts: { seed?: boolean; core?: Partial<OpenCoreOptions> } = {}) {
      const server = await startCrudeServer();
      cleanups.push(() => server.close());
      const seeded = opts.seed === false ? null : seedServer(server);
      const t = tempCore(opts.core);
      cleanups.push(() => t.cleanup());
      const conn = t.core.servers.create({ name: 'staging', url: server.url, key: server.managementKey });
      return { server, seeded, t, core: t.core, conn };
    },
    cleanups,
  };
}

/** Every row of the tables sync writes, and the code files: equal before and after means nothing changed. */
export function localSnapshot(core: { paths: { databaseFile: string }; code: { list(): { path: string }[]; read(p: string): string } }): string {
  const db = new Database(core.paths.databaseFile, { readonly: true });
  try {
    const tables = ['api_groups', 'api_keys', 'functions', 'function_groups', 'secrets', 'secret_versions'];
    const rows = tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()));
    const files = core.code.list().map((f) => [f.path, core.code.read(f.path)]);
    return `${rows.join('\n')}\n${JSON.stringify(files)}`;
  } finally {
    db.close();
  }
}

/** The raw bytes of every file of the data directory's database (the WAL included). */
export function databaseBytes(file: string): string {
  let out = readFileSync(file).toString('latin1');
  try {
    out += readFileSync(`${file}-wal`).toString('latin1');
  } catch {
    // no WAL
  }
  return out;
}
