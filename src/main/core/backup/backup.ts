import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { CoreError, validation } from '../errors';
import type { DataPaths } from '../core-api';

/**
 * The encrypted backup: one file with the whole installation — the database (functions,
 * groups, keys, secrets with their history, settings, the audit log), the key file and the
 * handler files — sealed under a passphrase (scrypt, then AES-256-GCM), so that the
 * database and its keys can never be lost apart. Opening one checks the passphrase before
 * anything else, then the file's integrity, and writes nothing unless both hold.
 */
export const BACKUP_FORMAT = 'crude-functions-desktop-backup';
export const MIN_PASSPHRASE = 12;

/** scrypt with 128 MiB of memory: about half a second here, and as much for every guess. */
const KDF = { N: 2 ** 17, r: 8, p: 1 };

export interface InstallationSnapshot {
  createdAt: string;
  database: Buffer;
  keyFile: string;
  code: { path: string; content: Buffer }[];
}

const envelope = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(1),
  createdAt: z.string(),
  kdf: z.object({ name: z.literal('scrypt'), N: z.number().int().positive(), r: z.number().int().positive(), p: z.number().int().positive(), salt: z.string() }),
  check: z.string(),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string(),
  data: z.string(),
});

const payload = z.object({
  createdAt: z.string(),
  database: z.string(),
  keyFile: z.string(),
  code: z.array(z.object({ path: z.string(), content: z.string() })),
});

function keysFor(passphrase: string, salt: Buffer, kdf: { N: number; r: number; p: number }): { key: Buffer; check: Buffer } {
  const out = scryptSync(passphrase.normalize('NFC'), salt, 64, { ...kdf, maxmem: 160 * kdf.N * kdf.r + 32 * 1024 * 1024 });
  return { key: out.subarray(0, 32), check: out.subarray(32) };
}

const checkValue = (checkKey: Buffer) => createHmac('sha256', checkKey).update(`${BACKUP_FORMAT} passphrase check`).digest();

export function passphraseProblem(passphrase: string): string | null {
  if (passphrase.length < MIN_PASSPHRASE) return `The passphrase needs at least ${MIN_PASSPHRASE} characters.`;
  return null;
}

/** The snapshot sealed under the passphrase, as the text of a .cfbackup file. */
export function sealBackup(snapshot: InstallationSnapshot, passphrase: string, kdf = KDF): string {
  const problem = passphraseProblem(passphrase);
  if (problem) throw validation('passphrase', problem);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const { key, check } = keysFor(passphrase, salt, kdf);
  const plain = gzipSync(
    Buffer.from(
      JSON.stringify({
        createdAt: snapshot.createdAt,
        database: snapshot.database.toString('base64'),
        keyFile: snapshot.keyFile,
        code: snapshot.code.map((f) => ({ path: f.path, content: f.content.toString('base64') })),
      }),
    ),
  );
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(BACKUP_FORMAT));
  const data = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  return JSON.stringify({
    format: BACKUP_FORMAT,
    version: 1,
    createdAt: snapshot.createdAt,
    kdf: { name: 'scrypt', ...kdf, salt: salt.toString('base64') },
    check: checkValue(check).toString('base64'),
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    data: data.toString('base64'),
  });
}

/** Opens a backup: a wrong passphrase (field `passphrase`) and a damaged file (field `file`) are told apart. */
export function openBackup(text: string, passphrase: string): InstallationSnapshot {
  let outer: z.infer<typeof envelope>;
  try {
    outer = envelope.parse(JSON.parse(text));
  } catch {
    throw validation('file', 'This is not a Crude Functions Desktop backup, or the file is damaged or cut short.');
  }
  if (outer.kdf.N > 2 ** 20 || outer.kdf.r > 16 || outer.kdf.p > 4) throw validation('file', 'The backup asks for key-derivation settings beyond what this app accepts; the file is damaged.');
  const { key, check } = keysFor(passphrase, Buffer.from(outer.kdf.salt, 'base64'), outer.kdf);
  const expected = checkValue(check);
  const given = Buffer.from(outer.check, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw validation('passphrase', 'The passphrase is wrong for this backup.');
  let inner: z.infer<typeof payload>;
  try {
    const data = Buffer.from(outer.data, 'base64');
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(outer.iv, 'base64'));
    d.setAAD(Buffer.from(BACKUP_FORMAT));
    d.setAuthTag(data.subarray(data.length - 16));
    const plain = Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]);
    inner = payload.parse(JSON.parse(gunzipSync(plain).toString('utf8')));
  } catch {
    throw validation('file', 'The passphrase is right, but the backup is damaged (its contents fail their integrity check).');
  }
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
