import Database from 'better-sqlite3';
import { migrate } from './migrations';

export type Db = Database.Database;

/**
 * Opens the SQLite store in WAL mode with foreign keys on and runs migrations.
 * `nativeBinding` lets the Electron shell load a better-sqlite3 build for Electron's ABI
 * while tests keep using the one built for Node.
 */
export function openDatabase(file: string, nativeBinding?: string): Db {
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // FULL: a committed rotation must survive power loss before the key file forgets the old key.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Whether the database holds any ciphertext (secrets, API key values, server keys, handler output). */
export function holdsCiphertext(db: Db): boolean {
  const row = db
    .prepare("SELECT (SELECT COUNT(*) FROM secrets) + (SELECT COUNT(*) FROM api_keys) + (SELECT COUNT(*) FROM servers) + (SELECT COUNT(*) FROM executions WHERE console != '' OR error IS NOT NULL) AS n")
    .get() as { n: number };
  return row.n > 0;
}

export const nowIso = (): string => new Date().toISOString();
