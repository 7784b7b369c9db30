import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { z } from 'zod';
import { CoreError, validation } from '../errors';
import type { DataPaths } from '../core-api';
import { KDF, open, seal, type Kdf, type SealedKind } from './sealing';

export { MIN_PASSPHRASE, passphraseProblem } from './sealing';

/**
 * The encrypted backup: one file with the whole installation — the database (functions,
 * groups, keys, secrets with their history, settings, the audit log), the key file and the
 * handler files — sealed under a passphrase (scrypt, then AES-256-GCM, see sealing.ts), so
 * that the database and its keys can never be lost apart. The key file inside is always
 * in its portable form (file protection), also when the installation's keys are wrapped
 * by the OS keychain: a backup must open on any machine. Opening one checks the
 * passphrase before anything else, then the file's integrity, and writes nothing unless
 * both hold.
 */
export const BACKUP_FORMAT = 'crude-functions-desktop-backup';
export const BACKUP: SealedKind = { format: BACKUP_FORMAT, noun: 'backup' };

export interface InstallationSnapshot {
  createdAt: string;
  database: Buffer;
  keyFile: string;
  code: { path: string; content: Buffer }[];
}

const payload = z.object({
  createdAt: z.string(),
  database: z.string(),
  keyFile: z.string(),
  code: z.array(z.object({ path: z.string(), content: z.string() })),
});

/** The snapshot sealed under the passphrase, as the text of a .cfbackup file. */
export function sealBackup(snapshot: InstallationSnapshot, passphrase: string, kdf: Kdf = KDF): string {
  return seal(
    BACKUP,
    snapshot.createdAt,
    {
      createdAt: snapshot.createdAt,
      database: snapshot.database.toString('base64'),
      keyFile: snapshot.keyFile,
      code: snapshot.code.map((f) => ({ path: f.path, content: f.content.toString('base64') })),
    },
    passphrase,
    kdf,
  );
}

/** Opens a backup: a wrong passphrase (field `passphrase`) and a damaged file (field `file`) are told apart. */
export function openBackup(text: string, passphrase: string): InstallationSnapshot {
  const inner = open(BACKUP, text, passphrase, payload, [{ format: 'crude-functions-desktop-recovery-kit', noun: 'recovery kit', hint: 'it holds only the keys; start with --restore-keys FILE to put them next to their database.' }]);
  const database = Buffer.from(inner.database, 'base64');
  if (database.subarray(0, 16).toString('latin1') !== 'SQLite format 3\u0000') throw validation('file', 'The backup holds no valid database; the file is damaged.');
  for (const f of inner.code) {
    if (f.path.startsWith('/') || f.path.split('/').some((p) => p === '..' || p === '') || f.path.includes('\u0000')) {
      throw validation('file', `The backup holds a handler file outside code/ ("${f.path.slice(0, 80)}"); it is not restored.`);
    }
  }
  return { createdAt: inner.createdAt, database, keyFile: inner.keyFile, code: inner.code.map((f) => ({ path: f.path, content: Buffer.from(f.content, 'base64') })) };
}

/** The handler files under code/, for a snapshot. */
export function readCodeFiles(codeDir: string): { path: string; content: Buffer }[] {
  const out: { path: string; content: Buffer }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && !entry.name.endsWith('.saving')) out.push({ path: relative(codeDir, full).split(sep).join('/'), content: readFileSync(full) });
    }
  };
  if (existsSync(codeDir)) walk(codeDir);
  return out;
}

/** True when the data directory holds no installation (no database, no key file). */
export function isFreshDataDir(paths: DataPaths): boolean {
  return !existsSync(paths.databaseFile) && !existsSync(paths.keyFile);
}

/**
 * Writes a snapshot into a data directory that holds no installation: every file under a
 * temp name first, then renamed into place, so a failure part-way leaves no installation
 * behind (and the temp files are removed).
 */
export function writeSnapshot(paths: DataPaths, snapshot: InstallationSnapshot): void {
  if (!isFreshDataDir(paths)) {
    throw new CoreError('CONFLICT', `The data folder ${paths.dataDir} already holds an installation (database.db or encryption-keys.json); a backup is restored only into a fresh one.`);
  }
  mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  if (existsSync(paths.codeDir) && readdirSync(paths.codeDir).length > 0) {
    throw new CoreError('CONFLICT', `The data folder's code/ already holds files (${paths.codeDir}); a backup is restored only into a fresh data folder.`);
  }
  const stage = join(paths.dataDir, `.restoring-${randomBytes(6).toString('hex')}`);
  const placed: string[] = [];
  try {
    mkdirSync(join(stage, 'code'), { recursive: true, mode: 0o700 });
    writeFileSync(join(stage, 'database.db'), snapshot.database, { mode: 0o600 });
    writeFileSync(join(stage, 'encryption-keys.json'), snapshot.keyFile, { mode: 0o600 });
    for (const f of snapshot.code) {
      const target = join(stage, 'code', f.path);
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, f.content, { mode: 0o600 });
    }
    // The code first, the key file, the database last: a database without its key file never appears.
    rmSync(paths.codeDir, { recursive: true, force: true });
    for (const [from, to] of [['code', paths.codeDir], ['encryption-keys.json', paths.keyFile], ['database.db', paths.databaseFile]] as const) {
      renameSync(join(stage, from), to);
      placed.push(to);
    }
  } catch (e) {
    for (const p of placed) rmSync(p, { recursive: true, force: true });
    throw e;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
