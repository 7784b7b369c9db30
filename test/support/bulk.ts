import Database from 'better-sqlite3';
import { VersionedCipher } from '../../src/main/core/crypto/cipher';
import { readKeyFile } from '../../src/main/core/crypto/key-file';
import { dataPaths } from '../../src/main/core';
import { secretBinding } from '../../src/main/core/crypto/bindings';

/** The value the fixture stores for secret number i (deterministic, so a check needs no map). */
export const bulkValue = (i: number) => `bulk-value-${i}-${'v'.repeat(i % 40)}`;

/**
 * Inserts `count` global secrets BULK_0..BULK_{count-1} straight into a closed data directory,
 * encrypted with its current key in one transaction: the fast way to build big fixtures.
 */
export function bulkInsertSecrets(dataDir: string, count: number, scope: { scope: 'global' | 'function' | 'group' | 'key'; scopeId: number } = { scope: 'global', scopeId: 0 }, prefix = 'BULK'): void {
  const paths = dataPaths(dataDir);
  const keys = readKeyFile(paths.keyFile)!;
  const cipher = new VersionedCipher({ version: keys.currentVersion, key: keys.currentKey });
  const db = new Database(paths.databaseFile);
  try {
    const now = new Date().toISOString();
    const insert = db.prepare(
      'INSERT INTO secrets (name, value_encrypted, value_length, comment, scope, scope_id, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const v = bulkValue(i);
        const name = `${prefix}_${i}`;
        insert.run(name, cipher.encrypt(v, secretBinding({ scope: scope.scope, scope_id: scope.scopeId, name })), Buffer.byteLength(v), scope.scope, scope.scopeId, now, now);
      }
    })();
  } finally {
    db.close();
  }
}
