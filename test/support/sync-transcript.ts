// The closing note's transcript: a pull preview, an applied pull and a diff against the test
// server, over the contract's operations (values masked). Run: node scripts/run-ts.mjs test/support/sync-transcript.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore } from '../../src/main/core';
import { createDispatcher } from '../../src/main/api/registry';
import { stubHost } from '../../src/main/api/host-api';
import { startCrudeServer } from './crude-server';
import type { SyncComparison } from '../../src/shared/sync';

const mask = (n?: number) => (n === undefined ? '—' : '•'.repeat(Math.max(4, Math.min(n, 16))));
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

function printRows(c: SyncComparison, mode: 'pull' | 'view') {
  const word = mode === 'pull' ? { server: 'new', both: 'changed', local: 'only here' } : { server: 'only on server', both: 'differs', local: 'only here' };
  console.log(`  ${pad('status', 15)}${pad('record', 48)}${pad('what differs', 14)}${pad('here', 18)}${pad(`on ${c.server.name}`, 18)}note`);
  for (const r of c.rows) {
    const note = mode === 'pull' ? (r.presence === 'local' ? 'kept' : r.pullProblem ? `cannot be pulled: ${r.pullProblem}` : r.warning ? `⚠ ${r.warning.slice(0, 60)}…` : '') : '';
    console.log(`  ${pad(word[r.presence], 15)}${pad(r.label, 48)}${pad(r.changed.join(',') || '—', 14)}${pad(r.kind === 'secret' || r.kind === 'key' ? mask(r.local?.valueLength) : '—', 18)}${pad(r.kind === 'secret' || r.kind === 'key' ? mask(r.server?.valueLength) : '—', 18)}${note}`);
  }
  console.log(`  (${c.unchanged} records equal on both sides)`);
}

const server = await startCrudeServer();
const shipping = server.seed.group('shipping', 'Shipping services');
const billing = server.seed.group('billing');
const shipA = server.seed.key(shipping, 'ship-a', 'srvKeyShipA_7Qx2');
server.seed.key(shipping, 'ship-b', 'srvKeyShipB_9Lm4', 'second shipper');
server.seed.key(billing, 'bill-svc', 'srvKeyBill_3Zt8');
const src = server.seed.source('apps');
server.seed.file(src, 'notify.ts', 'export default async (c, ctx) => c.json({ to: await ctx.getSecret("RECIPIENT") });\n');
server.seed.file(src, 'report.ts', 'import { fmt } from "./lib/format.ts";\nexport default async (c) => c.text(fmt(c.req.param("id")));\n');
server.seed.file(src, 'lib/format.ts', 'export const fmt = (s: string) => `report ${s}`;\n');
server.seed.file(src, 'logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1]));
server.seed.fn({ name: 'notify', route: '/notify', handler: 'apps/notify.ts', methods: ['POST'], groups: [shipping, billing], description: 'Sends notifications' });
const report = server.seed.fn({ name: 'report', route: '/report/:id', handler: 'apps/report.ts', cors: { origins: ['https://app.example.com'] } });
server.seed.secret({ name: 'LOG_LEVEL', value: 'info', comment: 'default level' });
server.seed.secret({ name: 'RECIPIENT', value: 'ops@example.com' });
server.seed.secret({ name: 'RECIPIENT', value: 'shipping@example.com', scope: 'group', ref: shipping });
server.seed.secret({ name: 'RECIPIENT', value: 'ship-a@example.com', scope: 'key', ref: shipA });
server.seed.secret({ name: 'LOG_LEVEL', value: 'debug', scope: 'function', ref: report });

const dir = mkdtempSync(join(tmpdir(), 'crude-transcript-'));
const core = openCore({ dataDir: dir });
const dispatch = createDispatcher({ core, host: stubHost(), mode: 'browser' });
const call = async <T,>(op: string, input: unknown): Promise<T> => {
  const r = await dispatch(op, input, { via: 'browser' });
  if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
  return r.data as T;
};
// What was here before: a global with another value, one only here.
core.secrets.create({ name: 'LOG_LEVEL', value: 'warn', scope: 'global', comment: 'default level' });
core.secrets.create({ name: 'SENTRY_DSN', value: 'https://abc@sentry.example/1', scope: 'global' });

const conn = await call<{ id: number; name: string; url: string }>('servers.create', { name: 'staging', url: server.url, key: server.managementKey });
console.log(`$ servers.create {"name":"staging","url":"${server.url}","key":"…"}\n  → server #${conn.id} "staging" ${conn.url} (key stored encrypted, not returned)\n`);
const check = await call<{ functions: number; groups: number; keys: number; secrets: number; sources: number; rotation: { currentVersion: string } }>('servers.test', { id: conn.id });
console.log(`$ servers.test → ${check.functions} functions, ${check.groups} groups, ${check.keys} keys, ${check.secrets} secrets, ${check.sources} code source; encryption key version ${check.rotation.currentVersion}\n`);

const preview = await call<SyncComparison>('sync.compare', { serverId: conn.id });
console.log(`$ sync.compare {"serverId":${conn.id}}   (the pull preview; values masked)`);
printRows(preview, 'pull');
for (const n of preview.notes) console.log(`  note: ${n}`);
const refs = preview.rows.filter((r) => r.presence !== 'local' && !r.pullProblem && !r.warning).map((r) => r.ref);
console.log(`\n$ sync.pull {"serverId":${conn.id},"snapshotId":"${preview.snapshotId.slice(0, 8)}…","refs":[${refs.length} refs]}`);
const pulled = await call<{ summary: string; applied: Record<string, number> }>('sync.pull', { serverId: conn.id, snapshotId: preview.snapshotId, refs });
console.log(`  → ${pulled.summary}  ${JSON.stringify(pulled.applied)}`);
const audit = core.audit.list({ action: 'sync.pulled' }).entries[0]!;
console.log(`  audit: ${audit.action} ${audit.recordKind} "${audit.recordName}" by ${audit.actor} ${JSON.stringify(audit.detail)}\n`);

// A local edit after the pull: ship-b gets its own value here.
const grp = core.groups.getByName('shipping')!;
const shipB = core.keys.list(grp.id).find((k) => k.name === 'ship-b')!;
core.secrets.create({ name: 'RECIPIENT', value: 'ship-b-desk@example.com', scope: 'key', scopeId: shipB.id });
const diff = await call<SyncComparison>('sync.compare', { serverId: conn.id });
console.log(`$ sync.compare {"serverId":${conn.id}}   (the diff, after giving ship-b its own RECIPIENT here)`);
console.log('  records:');
printRows(diff, 'view');
console.log(`  winners: ${diff.winners.differing} of ${diff.winners.compared} getSecret answers differ`);
for (const w of diff.winners.rows) {
  const ans = (a: { refused?: boolean; scope?: string | null; valueLength?: number | null }) => (a.refused ? 'refused (401)' : a.scope ? `${a.scope} ${mask(a.valueLength ?? undefined)}` : 'undefined');
  console.log(`    ${pad(`${w.functionName} ← ${w.caller ? `${w.caller.group}/${w.caller.key}` : 'no key'}`, 26)} ${pad(`getSecret("${w.name}")`, 24)} here: ${pad(ans(w.local), 26)} staging: ${ans(w.server)}`);
}
const row = diff.winners.rows.find((w) => w.name === 'RECIPIENT')!;
console.log(`\n$ sync.reveal {"snapshotId":"${diff.snapshotId.slice(0, 8)}…","ref":"${(row.server as { ref: string }).ref}"}  → "${(await call<{ value: string }>('sync.reveal', { snapshotId: diff.snapshotId, ref: (row.server as { ref: string }).ref })).value}"  (audited: secret.revealed, server "staging")`);
console.log(`$ secrets.reveal {"id":${(row.local as { secretId: number }).secretId}}  → "${core.secrets.reveal((row.local as { secretId: number }).secretId)}"`);

console.log(`\nserver received ${server.requests.length} requests; none carried the key in its URL: ${!server.requests.join('\n').includes(server.managementKey)}`);
core.close();
rmSync(dir, { recursive: true, force: true });
await server.close();
