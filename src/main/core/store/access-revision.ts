import type { Db } from './database';

/**
 * A cache of values that depend on secrets, keys, groups or functions, valid while the
 * database's access revision (migration 2, kept by triggers) stands still. Reading the
 * revision is one indexed lookup, far cheaper than what it saves. Bounded: it starts over
 * when full.
 */
export class AccessCache<V> {
  private readonly revision: () => number;
  private seen = -1;
  private readonly entries = new Map<string, V>();

  constructor(
    db: Db,
    private readonly maxEntries = 10_000,
  ) {
    const stmt = db.prepare("SELECT n FROM revisions WHERE name = 'access'").pluck();
    this.revision = () => stmt.get() as number;
  }

  /** The cached value for `key`, or what `compute` gives (cached unless it throws). */
  get(key: string, compute: () => V): V {
    const rev = this.revision();
    if (rev !== this.seen) {
      this.entries.clear();
      this.seen = rev;
    }
    if (this.entries.has(key)) return this.entries.get(key)!;
    const value = compute();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}
