import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { RotationResult, RotationStatus } from '../../../shared/types';
import type { RotationService, SettingsService } from '../core-api';
import { generateKey, nextVersion } from '../crypto/cipher';
import { writeKeyFile, type KeyFile } from '../crypto/key-file';
import type { KeyRing } from '../crypto/key-ring';
import { CoreError } from '../errors';
import type { Db } from '../store/database';
import type { WriteGate } from '../store/write-gate';
import { keyRecordLabel } from '../keys/keys';
import { secretRecordLabel } from '../secrets/scope-records';

const BATCH = 2000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Points where a test can simulate a crash (by throwing, or by killing the process). */
export type RotationStep = 'phased-out-key-written' | 'batch-done' | 'before-commit' | 'committed';
export interface RotationHooks {
  onStep?(step: RotationStep): void;
}

interface EncryptedRow {
  table: 'secrets' | 'api_keys';
  id: number;
  value: string;
  label: string;
}

/**
 * Key rotation: new key → key file keeps the old one as phased-out → every encrypted
 * column re-encrypted in ONE transaction → key file drops the phased-out key.
 * A crash anywhere leaves a state the next start finishes: the key file still holds
 * every key any stored value can need.
 */
export function createRotation(opts: {
  db: Db;
  ring: KeyRing;
  keyFilePath: string;
  databaseFile: string;
  gate: WriteGate;
  settings: SettingsService;
  hooks?: RotationHooks;
  now?: () => Date;
}): RotationService & { finishInterruptedRotation(): RotationResult | null } {
  const { db, ring, keyFilePath, gate, settings } = opts;
  const now = opts.now ?? (() => new Date());
  const step = (s: RotationStep) => opts.hooks?.onStep?.(s);
  let running = false;
  let progress = { done: 0, total: 0 };
  let timer: NodeJS.Timeout | null = null;
  const progressListeners = new Set<(p: { done: number; total: number }) => void>();
  const finishedListeners = new Set<Parameters<RotationService['onFinished']>[0]>();

  function status(): RotationStatus {
    const k = ring.keyFile;
    const intervalDays = settings.get().rotationIntervalDays;
    return {
      currentVersion: k.currentVersion,
      phasedOutVersion: k.phasedOutVersion,
      lastRotationAt: k.lastRotationAt,
      nextRotationDue: new Date(Date.parse(k.lastRotationAt) + intervalDays * DAY_MS).toISOString(),
      intervalDays,
      inProgress: running,
      done: progress.done,
      total: progress.total,
      keyFile: keyFilePath,
      databaseFile: opts.databaseFile,
    };
  }

  function stale(): EncryptedRow[] {
    const v = ring.keyFile.currentVersion;
    const secrets = db
      .prepare('SELECT id, name, scope, scope_id, value_encrypted FROM secrets WHERE substr(value_encrypted, 1, 1) != ?')
      .all(v) as { id: number; name: string; scope: 'global'; scope_id: number; value_encrypted: string }[];
    const keys = db
      .prepare('SELECT id, name, value_encrypted FROM api_keys WHERE substr(value_encrypted, 1, 1) != ?')
      .all(v) as { id: number; name: string; value_encrypted: string }[];
    return [
      ...secrets.map((r) => ({
        table: 'secrets' as const,
        id: r.id,
        value: r.value_encrypted,
        label: secretRecordLabel(r.id, r.name, r.scope, r.scope_id),
      })),
      ...keys.map((r) => ({ table: 'api_keys' as const, id: r.id, value: r.value_encrypted, label: keyRecordLabel(r.id, r.name) })),
    ];
  }

  /** Step 1–2: a new current key, the old one kept as phased-out, durably on disk before any re-encryption. */
  function beginKeyChange(): void {
    const k = ring.keyFile;
    if (k.phasedOutVersion) return; // An interrupted rotation: its new key is already current.
    const next: KeyFile = {
      ...k,
      currentVersion: nextVersion(k.currentVersion),
      currentKey: generateKey(),
      phasedOutVersion: k.currentVersion,
      phasedOutKey: k.currentKey,
    };
    writeKeyFile(keyFilePath, next);
    ring.replace(next);
    step('phased-out-key-written');
  }

  /** Step 3 as a generator: re-encrypts in batches, yielding between them, inside one transaction. */
  function* reencrypt(skipped: RotationResult['skipped']): Generator<void, number, void> {
    db.exec('BEGIN IMMEDIATE');
    let committed = false;
    try {
      const rows = stale();
      progress = { done: 0, total: rows.length };
      const update = {
        secrets: db.prepare('UPDATE secrets SET value_encrypted = ? WHERE id = ?'),
        api_keys: db.prepare('UPDATE api_keys SET value_encrypted = ? WHERE id = ?'),
      };
      let reencrypted = 0;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        let plain: string | null = null;
        try {
          plain = ring.cipher.decrypt(row.value, row.label);
        } catch {
          // Already unreadable (tampered, or a key long gone): leave it as it is and report it.
          skipped.push({ table: row.table, id: row.id, label: row.label });
        }
        if (plain !== null) {
          update[row.table].run(ring.cipher.encrypt(plain), row.id);
          reencrypted++;
        }
        if ((i + 1) % BATCH === 0 || i === rows.length - 1) {
          progress = { done: i + 1, total: rows.length };
          for (const l of progressListeners) l(progress);
          step('batch-done');
          yield;
        }
      }
      step('before-commit');
      db.exec('COMMIT');
      committed = true;
      step('committed');
      return reencrypted;
    } finally {
      if (!committed && db.inTransaction) db.exec('ROLLBACK');
    }
  }

  /** Step 4: forget the phased-out key once nothing needs it. */
  function endKeyChange(): RotationResult['finishedAt'] {
    const finishedAt = now().toISOString();
    const next: KeyFile = { ...ring.keyFile, phasedOutVersion: null, phasedOutKey: null, lastRotationAt: finishedAt };
    writeKeyFile(keyFilePath, next);
    ring.replace(next);
    return finishedAt;
  }

  function guardStart(): void {
    if (running) {
      throw new CoreError(
        'ROTATION_IN_PROGRESS',
        `A key rotation is already running (${progress.done} of ${progress.total} values re-encrypted); wait for it to finish.`,
      );
    }
    running = true;
    gate.close('A key rotation is in progress; your change was not saved. Try again in a few seconds.');
  }

  function done(): void {
    running = false;
    gate.open();
  }

  async function rotateNow(): Promise<RotationResult> {
    guardStart();
    const fromVersion = ring.keyFile.phasedOutVersion ?? ring.keyFile.currentVersion;
    try {
      beginKeyChange();
      const skipped: RotationResult['skipped'] = [];
      const gen = reencrypt(skipped);
      let r = gen.next();
      while (!r.done) {
        await yieldToEventLoop(); // let reads (UI, function host) be answered between batches
        r = gen.next();
      }
      const finishedAt = endKeyChange();
      const result: RotationResult = { fromVersion, toVersion: ring.keyFile.currentVersion, reencrypted: r.value, skipped, finishedAt };
      done();
      for (const l of finishedListeners) l({ ok: true, result });
      return result;
    } catch (e) {
      done();
      const message = e instanceof CoreError ? e.message : `Key rotation failed: ${(e as Error).message}`;
      for (const l of finishedListeners) l({ ok: false, message });
      throw e;
    }
  }

  return {
    status,
    rotateNow,
    /** At open: a key file that still has a phased-out key means a rotation was interrupted; finish it. */
    finishInterruptedRotation(): RotationResult | null {
      if (!ring.keyFile.phasedOutVersion) return null;
      const fromVersion = ring.keyFile.phasedOutVersion;
      guardStart();
      try {
        const skipped: RotationResult['skipped'] = [];
        const gen = reencrypt(skipped);
        let r = gen.next();
        while (!r.done) r = gen.next();
        const finishedAt = endKeyChange();
        return { fromVersion, toVersion: ring.keyFile.currentVersion, reencrypted: r.value, skipped, finishedAt };
      } finally {
        done();
      }
    },
    setInterval(days) {
      settings.set({ rotationIntervalDays: days });
      return status();
    },
    startScheduler(checkEveryMs = 60 * 60 * 1000) {
      const check = () => {
        if (running) return;
        if (now().getTime() >= Date.parse(status().nextRotationDue)) {
          rotateNow().catch((e: unknown) => {
            // Message only: rotation errors name records, never values.
            console.error(`[rotation] scheduled rotation failed: ${(e as Error).message}`);
          });
        }
      };
      check();
      timer = setInterval(check, checkEveryMs);
      timer.unref();
    },
    stopScheduler() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    onProgress(listener) {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    onFinished(listener) {
      finishedListeners.add(listener);
      return () => finishedListeners.delete(listener);
    },
  };
}
