import type { Settings } from '../../../shared/types';
import type { SettingsService } from '../core-api';
import { validation } from '../errors';
import type { Db } from '../store/database';

export const DEFAULT_SETTINGS: Settings = {
  rotationIntervalDays: 90,
  hostPort: 8000,
  logRetention: 500,
  requestTimeoutMs: 30_000,
  workerMemoryMb: 128,
};

const LIMITS: { [K in keyof Settings]: [min: number, max: number] } = {
  rotationIntervalDays: [1, 3650],
  hostPort: [0, 65535],
  logRetention: [1, 100_000],
  requestTimeoutMs: [100, 600_000],
  workerMemoryMb: [16, 4096],
};

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
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof Settings, number][];
    for (const [key, value] of entries) {
      const limits = LIMITS[key];
      if (!limits) throw validation(key, `Unknown setting "${key}".`);
      if (!Number.isInteger(value) || value < limits[0] || value > limits[1]) {
        throw validation(key, `Setting ${key} must be a whole number from ${limits[0]} to ${limits[1]}.`);
      }
    }
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
