import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { RotationResult, RotationStatus } from '../../../shared/types';
import type { RotationService, SettingsService } from '../core-api';
import { generateKey, nextVersion } from '../crypto/cipher';
import type { KeyFile } from '../crypto/key-file';
import type { KeyRing } from '../crypto/key-ring';
import { CoreError } from '../errors';
import type { Db } from '../store/database';
import type { WriteGate } from '../store/write-gate';
import { apiKeyBinding, executionBinding, secretBinding, secretVersionBinding, serverKeyBinding } from '../crypto/bindings';
import { keyRecordLabel } from '../keys/keys';
import { secretRecordLabel } from '../secrets/scope-records';
import { serverRecordLabel } from '../sync/servers';
import { runAs } from '../audit/actor';
import type { AuditLog } from '../audit/audit-log';
import { reencryptAll, slicePage, type BoundValues } from './reencrypt';
import { RotationHelper, type AesHelper } from './rotation-helper';

const BATCH = 1000;
/** From this many stale values on, a helper thread shares the AES work (below it, starting the thread costs more than it saves). */
const PARALLEL_FROM = 20_000;
/** Main's part of each page: about a third, since main also writes each page to SQLite. */
const MAIN_SHARE = 0.3;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Points where a test can simulate a crash (by throwing, or by killing the process). */
export type RotationStep = 'phased-out-key-written' | 'batch-done' | 'before-commit' | 'committed';
export interface RotationHooks {
  onStep?(step: RotationStep): void;
}

/** A row of an encrypted column: its id, the stored value, and the fields its binding needs. */
type StoredRow = { id: number; value: string } & Record<string, unknown>;

/**
 * Every encrypted column, with what its values are bound to and how a broken one is named.
 * A column added here is rotated, counted and reported like the others.
 */
const ENCRYPTED_COLUMNS = [
  {
    table: 'secrets',
    column: 'value_encrypted',
    fields: 'name, scope, scope_id',
    where: '1',
    binding: (r: StoredRow) => secretBinding(r as unknown as { scope: string; scope_id: number; name: string }),
    label: (r: StoredRow) => secretRecordLabel(r.id, String(r.name), r.scope as 'global', Number(r.scope_id)),
  },
  {
    table: 'api_keys',
    column: 'value_encrypted',
    fields: 'name, group_id',
    where: '1',
    binding: (r: StoredRow) => apiKeyBinding(r as unknown as { group_id: number; name: string }),
    label: (r: StoredRow) => keyRecordLabel(r.id, String(r.name)),
  },
  {
    table: 'secret_versions',
    column: 'value_encrypted',
    fields: 'name, scope, scope_id, n',
    where: '1',
    binding: (r: StoredRow) => secretVersionBinding(r as unknown as { scope: string; scope_id: number; name: string; n: number }),
    label: (r: StoredRow) => `version ${Number(r.n)} of secret "${String(r.name)}"`,
  },
  {
    table: 'servers',
    column: 'key_encrypted',
    fields: 'name, url',
    where: '1',
    binding: (r: StoredRow) => serverKeyBinding(r as unknown as { name: string; url: string }),
    label: (r: StoredRow) => serverRecordLabel(r.id, String(r.name)),
  },
  {
    table: 'executions',
    column: 'console',
    fields: 'request_id',
    where: "console != ''",
    binding: (r: StoredRow) => executionBinding(String(r.request_id), 'console'),
    label: (r: StoredRow) => `execution log entry ${String(r.request_id)} (console)`,
  },
  {
    table: 'executions',
    column: 'error',
    fields: 'request_id',
    where: 'error IS NOT NULL',
    binding: (r: StoredRow) => executionBinding(String(r.request_id), 'error'),
    label: (r: StoredRow) => `execution log entry ${String(r.request_id)} (error)`,
  },
] as const;
type EncryptedColumn = (typeof ENCRYPTED_COLUMNS)[number];

/** The key versions the stored values are encrypted under (their first letter), over every encrypted column. */
export function storedKeyVersions(db: Db): Set<string> {
  const out = new Set<string>();
  for (const c of ENCRYPTED_COLUMNS) {
    for (const v of db.prepare(`SELECT DISTINCT substr(${c.column}, 1, 1) FROM ${c.table} WHERE ${c.where}`).pluck().all() as string[]) out.add(v);
  }
  return out;
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
  /** The key file with its protection (crypto/key-protection.ts): writes keep its form (wrapped stays wrapped). */
  keyFile: { readonly path: string; write(keys: KeyFile): void };
  databaseFile: string;
  gate: WriteGate;
  settings: SettingsService;
  hooks?: RotationHooks;
  now?: () => Date;
  parallelFrom?: number;
  /** Replaces the helper thread (tests: a helper that fails). */
  helper?: (keys: KeyFile) => AesHelper;
  audit?: Pick<AuditLog, 'append'>;
}): RotationService & { finishInterruptedRotation(): RotationResult | null } {
  const { db, ring, keyFile, gate, settings } = opts;
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
      keyFile: keyFile.path,
      databaseFile: opts.databaseFile,
    };
  }

  // Rows not yet under the current key, a page at a time in id order: memory stays flat
  // and each page is a short step between yields.
  const pageStmts = ENCRYPTED_COLUMNS.map((c) =>
    db.prepare(
      `SELECT id, ${c.column} AS value, ${c.fields} FROM ${c.table} WHERE id > ? AND ${c.where} AND substr(${c.column}, 1, 1) != ? ORDER BY id LIMIT ?`,
    ),
  );
  function countStale(): number {
    const v = ring.keyFile.currentVersion;
    return ENCRYPTED_COLUMNS.reduce(
      (n, c) => n + (db.prepare(`SELECT COUNT(*) FROM ${c.table} WHERE ${c.where} AND substr(${c.column}, 1, 1) != ?`).pluck().get(v) as number),
      0,
    );
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
    keyFile.write(next);
    ring.replace(next);
    step('phased-out-key-written');
  }

  /**
   * Step 3 as a generator, inside one transaction: it yields each page of stored values,
   * with the page after it (read ahead, so the driver can start on it while this page is
   * written), and is handed back the page's re-encryptions (null where a value does not
   * decrypt). The driver decides when each page runs: all at once at start, or between
   * event-loop turns.
   */
  function* reencrypt(skipped: RotationResult['skipped']): Generator<{ page: BoundValues; lookahead: BoundValues }, number, (string | null)[]> {
    db.exec('BEGIN IMMEDIATE');
    let committed = false;
    try {
      progress = { done: 0, total: countStale() };
      const update = ENCRYPTED_COLUMNS.map((c) => db.prepare(`UPDATE ${c.table} SET ${c.column} = ? WHERE id = ?`));
      const current = ring.keyFile.currentVersion;
      let t = 0;
      let after = 0;
      // Pages in id order, column after column. Reading a page ahead is safe: its rows come
      // after the current page's and are still under an old key when the current one is written.
      const readPage = (): { column: number; rows: StoredRow[]; bound: BoundValues } | null => {
        while (t < ENCRYPTED_COLUMNS.length) {
          const rows = pageStmts[t]!.all(after, current, BATCH) as StoredRow[];
          if (rows.length > 0) {
            after = rows[rows.length - 1]!.id;
            const c: EncryptedColumn = ENCRYPTED_COLUMNS[t]!;
            return { column: t, rows, bound: { values: rows.map((r) => r.value), bindings: rows.map((r) => c.binding(r)) } };
          }
          t++;
          after = 0;
        }
        return null;
      };
      let reencrypted = 0;
      let page = readPage();
      while (page) {
        const next = readPage();
        const results = yield { page: page.bound, lookahead: next ? next.bound : { values: [], bindings: [] } };
        const c: EncryptedColumn = ENCRYPTED_COLUMNS[page.column]!;
        page.rows.forEach((row, i) => {
          const value = results[i];
          if (value) {
            update[page!.column]!.run(value, row.id);
            reencrypted++;
          } else {
            // Already unreadable (tampered, moved, or a key long gone): leave it as it is and report it.
            skipped.push({ table: c.table, id: row.id, label: c.label(row) });
          }
        });
        progress = { done: progress.done + page.rows.length, total: progress.total };
        for (const l of progressListeners) l(progress);
        step('batch-done');
        page = next;
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

  /** A page re-encrypted on this thread, with the ring's cipher of the moment (rotation swaps it in place). */
  function reencryptHere(page: BoundValues): (string | null)[] {
    return reencryptAll(ring.cipher, page);
  }

  /** Step 4: forget the phased-out key once nothing needs it. */
  function endKeyChange(): RotationResult['finishedAt'] {
    const finishedAt = now().toISOString();
    const next: KeyFile = { ...ring.keyFile, phasedOutVersion: null, phasedOutKey: null, lastRotationAt: finishedAt };
    keyFile.write(next);
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
    opts.audit?.append({ action: 'rotation.started', detail: { fromVersion } });
    try {
      beginKeyChange();
      const skipped: RotationResult['skipped'] = [];
      const gen = reencrypt(skipped);
      let r = gen.next();
      // Large rotations share the AES work with a helper thread: it re-encrypts part of each
      // page, and starts on the next page while main writes this one; main does the rest of
      // each page. Each page's wait yields to the event loop, so reads are answered throughout.
      let helper: AesHelper | null = null;
      if (progress.total >= (opts.parallelFrom ?? PARALLEL_FROM)) {
        try {
          helper = (opts.helper ?? ((k) => new RotationHelper(k)))(ring.keyFile);
        } catch (e) {
          console.warn(`[rotation] no helper thread (${(e as Error).message}); re-encrypting on the main thread`);
        }
      }
      const cutOf = (page: BoundValues) => Math.floor(page.values.length * MAIN_SHARE);
      const startHelper = (page: BoundValues): Promise<(string | null)[] | Error> =>
        helper!.run(slicePage(page, cutOf(page))).then(
          (results) => results,
          (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
        );
      let warned = false;
      try {
        let theirs = !r.done && helper?.usable ? startHelper(r.value.page) : null;
        while (!r.done) {
          const { page, lookahead } = r.value;
          const cut = theirs ? cutOf(page) : page.values.length;
          const mine = reencryptHere(slicePage(page, 0, cut));
          let rest: (string | null)[] = [];
          if (theirs) {
            const got = await theirs;
            if (got instanceof Error) {
              // Slower, not wrong: say so once and finish on this thread.
              if (!warned) console.warn(`[rotation] the helper thread failed (${got.message}); re-encrypting on the main thread`);
              warned = true;
              rest = reencryptHere(slicePage(page, cut));
            } else rest = got;
          } else {
            await yieldToEventLoop();
          }
          theirs = helper?.usable && lookahead.values.length > 0 ? startHelper(lookahead) : null;
          r = gen.next([...mine, ...rest]);
        }
      } finally {
        // Stopped part-way (an error): close the generator so its transaction rolls back now.
        if (!r.done) gen.return(0);
        await helper?.close();
      }
      const finishedAt = endKeyChange();
      const result: RotationResult = { fromVersion, toVersion: ring.keyFile.currentVersion, reencrypted: r.value, skipped, finishedAt };
      done();
      opts.audit?.append({ action: 'rotation.finished', detail: { fromVersion, toVersion: result.toVersion, reencrypted: result.reencrypted, skipped: skipped.length } });
      for (const l of finishedListeners) l({ ok: true, result });
      return result;
    } catch (e) {
      done();
      const message = e instanceof CoreError ? e.message : `Key rotation failed: ${(e as Error).message}`;
      opts.audit?.append({ action: 'rotation.failed', detail: { fromVersion, message } });
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
        while (!r.done) r = gen.next(reencryptHere(r.value.page));
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
          runAs({ via: 'app', what: 'scheduled rotation' }, rotateNow).catch((e: unknown) => {
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
