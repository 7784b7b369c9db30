import type { Settings } from '../../../shared/types';
import type { SettingsService } from '../core-api';
import { MAX_LOCAL_HOSTS, localTargetProblem } from '../../../shared/rules';
import { validation } from '../errors';
import type { Db } from '../store/database';

export const DEFAULT_SETTINGS: Settings = {
  rotationIntervalDays: 90,
  hostPort: 8000,
  logRetention: 500,
  requestTimeoutMs: 30_000,
  handlerMemoryMb: 256,
  handlerLocalHosts: [],
  historyKeepVersions: 20,
  historyKeepDays: 90,
  auditRetention: 100_000,
  backupReminderDays: 7,
};

type NumericSetting = { [K in keyof Settings]: Settings[K] extends number ? K : never }[keyof Settings];

const LIMITS: { [K in NumericSetting]: [min: number, max: number] } = {
  rotationIntervalDays: [1, 3650],
  hostPort: [0, 65535],
  logRetention: [1, 100_000],
  requestTimeoutMs: [100, 600_000],
  // A Deno process with Hono loaded takes about 40 MB before the handler allocates anything.
  handlerMemoryMb: [64, 8192],
  historyKeepVersions: [1, 1000],
  historyKeepDays: [0, 3650],
  auditRetention: [100, 10_000_000],
  backupReminderDays: [0, 365],
};

function checkSetting(key: string, value: unknown): void {
  if (key === 'handlerLocalHosts') {
    if (!Array.isArray(value) || value.length > MAX_LOCAL_HOSTS || value.some((v) => typeof v !== 'string')) {
      throw validation(key, `handlerLocalHosts must be a list of at most ${MAX_LOCAL_HOSTS} host:port entries.`);
    }
    for (const entry of value as string[]) {
      const problem = localTargetProblem(entry);
      if (problem) throw validation(key, problem);
    }
    return;
  }
  const limits = LIMITS[key as NumericSetting];
  if (!limits) throw validation(key, `Unknown setting "${key}".`);
  if (!Number.isInteger(value) || (value as number) < limits[0] || (value as number) > limits[1]) {
    throw validation(key, `Setting ${key} must be a whole number from ${limits[0]} to ${limits[1]}.`);
  }
}

/** Settings live in the `settings` table as JSON values; unknown keys are ignored. */
export function createSettingsService(db: Db): SettingsService {
  const select = db.prepare('SELECT key, value FROM settings');
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );

  // Read on every function-host request: kept in memory, refreshed on every set.
  let cached: Settings | null = null;

  function get(): Settings {
    if (cached) return { ...cached };
    const out: Settings = { ...DEFAULT_SETTINGS };
    for (const row of select.all() as { key: string; value: string }[]) {
      if (row.key in DEFAULT_SETTINGS) (out as unknown as Record<string, unknown>)[row.key] = JSON.parse(row.value);
    }
    cached = out;
    return { ...out };
  }

  function set(patch: Partial<Settings>): Settings {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof Settings, unknown][];
    for (const [key, value] of entries) checkSetting(key, value);
    db.transaction(() => {
      for (const [key, value] of entries) upsert.run(key, JSON.stringify(value));
    })();
    cached = null;
    return get();
  }

  return { get, set };
}

/** Internal (non-setting) values kept in the same table, e.g. the installation id. */
export function readMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(`meta.${key}`) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as string) : undefined;
}

export function writeMeta(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(`meta.${key}`, JSON.stringify(value));
}
