import { setTimeout as sleep } from 'node:timers/promises';
import { secretBinding } from '../src/main/core/crypto/bindings';
import { VersionedCipher, generateKey } from '../src/main/core/crypto/cipher';
import { readKeyFile } from '../src/main/core/crypto/key-file';
import { openCore } from '../src/main/core';
import { bulkInsertSecrets } from '../test/support/bulk';
import { tempDir } from '../test/support/temp-core';
import Database from 'better-sqlite3';
import { fmt, type Row } from './stats';

/**
 * Rotation of n encrypted values, against decrypting and re-encrypting the same values in
 * memory without the database; and how many reads are answered while it runs.
 */
async function rotateOnce(n: number): Promise<{ ms: number; baselineMs: number; reads: number; maxGapMs: number }> {
  const t = tempDir('crude-bench-rotate-');
  try {
    openCore({ dataDir: t.dir }).close();
    bulkInsertSecrets(t.dir, n);
    const db = new Database(`${t.dir}/database.db`, { readonly: true });
    const rows = db.prepare('SELECT value_encrypted AS v, name, scope, scope_id FROM secrets').all() as { v: string; name: string; scope: string; scope_id: number }[];
    db.close();
    const k = readKeyFile(`${t.dir}/encryption-keys.json`)!;
    const both = new VersionedCipher({ version: 'B', key: generateKey() }, [{ version: 'A', key: k.currentKey }]);
    const b0 = performance.now();
    for (const r of rows) {
      const binding = secretBinding(r);
      both.encrypt(both.decrypt(r.v, 'bench', binding), binding);
    }
    const baselineMs = performance.now() - b0;

    const core = openCore({ dataDir: t.dir });
    const fn = core.functions.create({ name: 'reader', route: '/r', methods: ['GET'], handler: 'r.ts' });
    // A reader on the same event loop, as the UI and the function host are: one getSecret
    // every 5 ms, recording how late each is answered (a busy loop would steal the CPU).
    let reads = 0;
    let running = true;
    let maxGapMs = 0;
    const reader = (async () => {
      while (running) {
        const due = performance.now() + 5;
        await sleep(5);
        maxGapMs = Math.max(maxGapMs, performance.now() - due);
        if (core.secrets.getSecret(`BULK_${reads % n}`, { functionId: fn.id }) === undefined) throw new Error('read failed');
        reads++;
      }
    })();
    const r0 = performance.now();
    await core.rotation.rotateNow();
    const ms = performance.now() - r0;
    running = false;
    await reader;
    core.close();
    return { ms, baselineMs, reads, maxGapMs };
  } finally {
    t.cleanup();
  }
}

export async function rotateBench(sizes = [1_000, 10_000, 100_000]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of sizes) {
    const r = await rotateOnce(n);
    const ratio = r.ms / r.baselineMs;
    const big = n === 100_000;
    rows.push({
      benchmark: 'rotate',
      measure: `${n.toLocaleString('en')} values (ms)`,
      value: fmt(r.ms, 0),
      baseline: fmt(r.baselineMs, 0),
      ratio: `${fmt(ratio, 2)}×`,
      goal: big ? '≤ 3000 ms and ≤ 2×' : '—',
      met: big ? r.ms <= 3000 && ratio <= 2 : null,
    });
    rows.push({
      benchmark: 'rotate',
      measure: `${n.toLocaleString('en')}: reads answered during it (latest answer, ms late)`,
      value: `${r.reads} (${fmt(r.maxGapMs, 0)})`,
      baseline: '—',
      ratio: '—',
      goal: 'reads answered',
      met: r.reads > 0,
    });
  }
  return rows;
}
