import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core-api';
import { CoreError } from '../../src/main/core/errors';
import type { OpenCoreOptions } from '../../src/main/core';
import { RotationHelper, type AesHelper } from '../../src/main/core/rotation/rotation-helper';
import type { KeyFile } from '../../src/main/core/crypto/key-file';
import type { RotationStep } from '../../src/main/core/rotation/rotation';
import { tempCore, seedWorld } from '../support/temp-core';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function populated(n: number, hooks?: { onStep?(s: RotationStep): void }, options: Partial<OpenCoreOptions> = {}) {
  const t = tempCore({ ...(hooks ? { rotationHooks: hooks } : {}), ...options });
  cleanups.push(t.cleanup);
  const w = seedWorld(t.core);
  const expected = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    const s = t.core.secrets.create({ name: `S_${i}`, value: `value-${i}-${'x'.repeat(i % 50)}`, scope: 'global' });
    expected.set(s.id, `value-${i}-${'x'.repeat(i % 50)}`);
  }
  return { t, w, expected };
}

function letters(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT value_encrypted AS v FROM secrets UNION ALL SELECT value_encrypted FROM api_keys').all() as { v: string }[];
    return [...new Set(rows.map((r) => r.v[0]!))];
  } finally {
    db.close();
  }
}

function assertAllReadable(core: Core, expected: Map<number, string>, keys: { id: number; value: string }[]) {
  for (const [id, value] of expected) expect(core.secrets.reveal(id)).toBe(value);
  for (const k of keys) {
    expect(core.keys.reveal(k.id)).toBe(k.value);
    expect(core.keys.authenticate(k.value)?.key.id).toBe(k.id);
  }
}

/** Flips a byte of a secret's stored ciphertext behind the app's back (it stays under key A). */
function tamperWith(core: Core, secretId: number) {
  const db = new Database(core.paths.databaseFile);
  const stored = (db.prepare('SELECT value_encrypted AS v FROM secrets WHERE id = ?').get(secretId) as { v: string }).v;
  const raw = Buffer.from(stored.slice(1), 'base64');
  raw[14] = raw[14]! ^ 0xff;
  db.prepare('UPDATE secrets SET value_encrypted = ? WHERE id = ?').run(`A${raw.toString('base64')}`, secretId);
  db.close();
}

function keyFileJson(core: Core) {
  return JSON.parse(readFileSync(core.paths.keyFile, 'utf8'));
}

describe('key rotation', () => {
  it('re-encrypts every secret and API key with a new key version, then drops the old key', async () => {
    const { t, w, expected } = populated(30);
    const before = keyFileJson(t.core);
    const result = await t.core.rotation.rotateNow();
    // 30 secrets, their 30 first versions in the history, 3 keys.
    expect(result).toMatchObject({ fromVersion: 'A', toVersion: 'B', reencrypted: 63, skipped: [] });
    const after = keyFileJson(t.core);
    expect(after.currentVersion).toBe('B');
    expect(after.currentKey).not.toBe(before.currentKey);
    expect(after.phasedOutVersion).toBeNull();
    expect(after.phasedOutKey).toBeNull();
    expect(after.hashKey).toBe(before.hashKey);
    expect(Date.parse(after.lastRotationAt)).toBeGreaterThanOrEqual(Date.parse(before.lastRotationAt));
    expect(letters(t.core.paths.databaseFile)).toEqual(['B']);
    assertAllReadable(t.core, expected, [w.shipKey, w.mfgKey]);
    // New writes use the new key; a restart reads everything.
    const s = t.core.secrets.create({ name: 'AFTER', value: 'post-rotation', scope: 'global' });
    const again = t.reopen();
    assertAllReadable(again, expected, [w.shipKey]);
    expect(again.secrets.reveal(s.id)).toBe('post-rotation');
    expect(again.rotation.status()).toMatchObject({ currentVersion: 'B', phasedOutVersion: null, inProgress: false });
  });

  it('answers reads and refuses writes (clearly) while it runs; reports progress; refuses a second rotation', async () => {
    const { t, w, expected } = populated(4500);
    const progress: { done: number; total: number }[] = [];
    const duringReads: (string | undefined)[] = [];
    let writeError: CoreError | undefined;
    let secondError: CoreError | undefined;
    t.core.rotation.onProgress((p) => {
      progress.push(p);
      if (progress.length === 1) {
        duringReads.push(t.core.secrets.getSecret('S_4400', { functionId: w.report.id })?.value);
        duringReads.push(t.core.secrets.reveal([...expected.keys()][0]!));
        expect(t.core.rotation.status().inProgress).toBe(true);
        try {
          t.core.secrets.create({ name: 'DURING', value: 'x', scope: 'global' });
        } catch (e) {
          writeError = e as CoreError;
        }
        t.core.rotation.rotateNow().catch((e: CoreError) => {
          secondError = e;
        });
      }
    });
    const done = t.core.rotation.rotateNow();
    await done;
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toEqual({ done: 9003, total: 9003 }); // secrets, their versions, keys
    expect(duringReads).toEqual([expected.get([...expected.keys()][4400]!) ?? 'value-4400-', 'value-0-']);
    expect(writeError?.code).toBe('ROTATION_IN_PROGRESS');
    expect(secondError?.code).toBe('ROTATION_IN_PROGRESS');
    expect(secondError?.message).toMatch(/already running/);
    expect(t.core.secrets.names()).not.toContain('DURING');
    // Writes work again afterwards.
    t.core.secrets.create({ name: 'DURING', value: 'x', scope: 'global' });
    assertAllReadable(t.core, expected, [w.shipKey]);
  });

  it('queues execution-log entries that arrive during a rotation and writes them after', async () => {
    const { t, w } = populated(2500);
    t.core.rotation.onProgress(() => {
      t.core.executions.record({ functionId: w.report.id, requestId: `during-${Math.random()}`, at: '', method: 'GET', path: '/', status: 200, durationMs: 1, keyId: null, keyName: null, groupName: null, console: [], error: null, trace: [] });
    });
    await t.core.rotation.rotateNow();
    await new Promise((r) => setImmediate(r));
    expect(t.core.executions.list(w.report.id).length).toBeGreaterThanOrEqual(2);
  });

  const steps: RotationStep[] = ['phased-out-key-written', 'batch-done', 'before-commit', 'committed'];
  it.each(steps)('a crash at "%s" leaves everything readable and the next start finishes the rotation', async (crashAt) => {
    let armed = true;
    const { t, w, expected } = populated(40, {
      onStep: (s) => {
        if (armed && s === crashAt) {
          armed = false;
          throw new Error(`simulated crash at ${s}`);
        }
      },
    });
    await expect(t.core.rotation.rotateNow()).rejects.toThrow(`simulated crash at ${crashAt}`);
    // Still readable in the process that "crashed".
    assertAllReadable(t.core, expected, [w.shipKey, w.mfgKey]);
    const mid = keyFileJson(t.core);
    expect(mid.phasedOutVersion).toBe('A');
    expect(mid.currentVersion).toBe('B');
    // Next start finishes the job.
    const again = t.reopen({ rotationHooks: undefined });
    const after = keyFileJson(again);
    expect(after.phasedOutVersion).toBeNull();
    expect(after.currentVersion).toBe('B');
    expect(letters(again.paths.databaseFile)).toEqual(['B']);
    assertAllReadable(again, expected, [w.shipKey, w.mfgKey, w.shipKey2]);
  });

  it('a large rotation shares the AES work with a helper thread: the same result, a tampered record on its side skipped', async () => {
    // From 1 stale value on (20,000 in the app): 30% of each page is done on main, the rest by the helper.
    let answered = 0;
    const counting = (k: KeyFile): AesHelper => {
      const real = new RotationHelper(k);
      return {
        get usable() {
          return real.usable;
        },
        run: (values) => real.run(values).then((r) => ((answered += r.length), r)),
        close: () => real.close(),
      };
    };
    const { t, w, expected } = populated(40, undefined, { rotationParallelFrom: 1, rotationHelper: counting });
    const victim = [...expected.keys()][30]!;
    tamperWith(t.core, victim);
    const result = await t.core.rotation.rotateNow();
    expect(result).toMatchObject({ fromVersion: 'A', toVersion: 'B', reencrypted: 39 + 3 + 40 });
    expect(answered).toBe(28 + 3 + 28); // the helper's 70% of each page: 28 of 40 secrets, 3 of 3 keys, 28 of 40 versions
    expect(result.skipped.map((s) => s.id)).toEqual([victim]);
    expected.delete(victim);
    expect(letters(t.core.paths.databaseFile).sort()).toEqual(['A', 'B']); // only the tampered record keeps A
    assertAllReadable(t.core, expected, [w.shipKey, w.mfgKey, w.shipKey2]);
  });

  it('when the helper thread fails, main re-encrypts its part itself', async () => {
    let calls = 0;
    const failing: AesHelper = {
      usable: true,
      run: () => {
        calls++;
        return Promise.reject(new Error('helper died'));
      },
      close: async () => {},
    };
    const { t, w, expected } = populated(30, undefined, { rotationParallelFrom: 1, rotationHelper: () => failing });
    const result = await t.core.rotation.rotateNow();
    expect(calls).toBeGreaterThan(0);
    expect(result).toMatchObject({ toVersion: 'B', reencrypted: 63, skipped: [] });
    expect(letters(t.core.paths.databaseFile)).toEqual(['B']);
    assertAllReadable(t.core, expected, [w.shipKey, w.mfgKey, w.shipKey2]);
  });

  it('when the helper thread cannot start, main does all of the work', async () => {
    const { t, w, expected } = populated(10, undefined, {
      rotationParallelFrom: 1,
      rotationHelper: () => {
        throw new Error('no threads here');
      },
    });
    const result = await t.core.rotation.rotateNow();
    expect(result).toMatchObject({ toVersion: 'B', reencrypted: 23, skipped: [] });
    assertAllReadable(t.core, expected, [w.shipKey, w.mfgKey, w.shipKey2]);
  });

  it('leaves an already-tampered record as it was, reports it, and rotates the rest', async () => {
    const { t, w, expected } = populated(5);
    const victim = [...expected.keys()][2]!;
    tamperWith(t.core, victim);
    expect(() => t.core.secrets.reveal(victim)).toThrow(/authentication failed/);
    const result = await t.core.rotation.rotateNow();
    expect(result.skipped.map((s) => s.id)).toEqual([victim]);
    expect(result.skipped[0]!.label).toContain('S_2');
    expected.delete(victim);
    assertAllReadable(t.core, expected, [w.shipKey]);
    const e = (() => {
      try {
        t.core.secrets.reveal(victim);
      } catch (x) {
        return x as CoreError;
      }
    })();
    expect(e?.code).toBe('DECRYPTION_FAILED');
    expect(t.core.secrets.list('global').find((s) => s.id === victim)?.decryptionError).toMatch(/version "A"/);
  });

  it('the scheduler rotates at start when the interval has passed, and not before', async () => {
    const { t, expected } = populated(3);
    t.core.rotation.startScheduler();
    expect(t.core.rotation.status().currentVersion).toBe('A');
    t.core.close();
    const json = keyFileJson(t.core);
    json.lastRotationAt = new Date(Date.now() - 91 * 24 * 3600 * 1000).toISOString();
    writeFileSync(t.core.paths.keyFile, JSON.stringify(json));
    const again = t.reopen();
    expect(again.rotation.status().nextRotationDue < new Date().toISOString()).toBe(true);
    const finished = new Promise((resolve) => again.rotation.onFinished(resolve));
    again.rotation.startScheduler();
    expect(await finished).toMatchObject({ ok: true, result: { toVersion: 'B' } });
    for (const [id, v] of expected) expect(again.secrets.reveal(id)).toBe(v);
  });

  it('the interval is a setting (default 90 days) that moves the next due date', () => {
    const { t } = populated(0);
    const s = t.core.rotation.status();
    const day = 24 * 3600 * 1000;
    expect(s.intervalDays).toBe(90);
    expect(Date.parse(s.nextRotationDue) - Date.parse(s.lastRotationAt)).toBe(90 * day);
    const s2 = t.core.rotation.setInterval(7);
    expect(Date.parse(s2.nextRotationDue) - Date.parse(s2.lastRotationAt)).toBe(7 * day);
    expect(() => t.core.rotation.setInterval(0)).toThrow(CoreError);
  });

  it('wraps from version Z to A', async () => {
    const { t, expected } = populated(3);
    const again = t.core;
    for (let i = 0; i < 25; i++) await again.rotation.rotateNow();
    expect(again.rotation.status().currentVersion).toBe('Z');
    await again.rotation.rotateNow();
    expect(again.rotation.status().currentVersion).toBe('A');
    for (const [id, v] of expected) expect(again.secrets.reveal(id)).toBe(v);
  });
});

describe('rotation covers the execution log', () => {
  it('re-encrypts handler output in the log with the new key; the log still reads', async () => {
    const { t, w } = populated(3);
    t.core.executions.record({
      functionId: w.notify.id, requestId: 'rotated-entry', at: new Date().toISOString(), method: 'POST', path: '/run/notify', status: 500, durationMs: 2,
      keyId: null, keyName: null, groupName: null, console: [{ level: 'log', message: 'printed before the rotation', at: '' }], error: 'thrown before the rotation', trace: [],
    });
    t.core.executions.list(w.notify.id); // flushed to the database
    const result = await t.core.rotation.rotateNow();
    expect(result.skipped).toEqual([]);
    const db = new Database(t.core.paths.databaseFile, { readonly: true });
    const row = db.prepare("SELECT console, error FROM executions WHERE request_id = 'rotated-entry'").get() as { console: string; error: string };
    db.close();
    expect([row.console[0], row.error[0]]).toEqual([result.toVersion, result.toVersion]);
    expect(t.core.executions.list(w.notify.id)[0]).toMatchObject({ console: [{ message: 'printed before the rotation' }], error: 'thrown before the rotation' });
  });
});
