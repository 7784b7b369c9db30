import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync, chmodSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { CoreError } from '../errors';
import { generateKey, KEY_BYTES, VERSION_PATTERN } from './cipher';

export const KEY_FILE_NAME = 'encryption-keys.json';

/** The contents of `encryption-keys.json`. */
export interface KeyFile {
  /** Ties the key file to its database: a key file from another installation is refused. */
  installationId: string;
  currentVersion: string;
  currentKey: Buffer;
  /** The previous key while a rotation is in flight; null otherwise. */
  phasedOutVersion: string | null;
  phasedOutKey: Buffer | null;
  lastRotationAt: string;
  /** HMAC key for looking up API keys by value; never rotated with the encryption key. */
  hashKey: Buffer;
}

interface KeyFileJson {
  installationId: string;
  currentVersion: string;
  currentKey: string;
  phasedOutVersion: string | null;
  phasedOutKey: string | null;
  lastRotationAt: string;
  hashKey: string;
}

/** A brand-new key file for a new installation (version A). */
export function newKeyFile(now = new Date()): KeyFile {
  return {
    installationId: randomUUID(),
    currentVersion: 'A',
    currentKey: generateKey(),
    phasedOutVersion: null,
    phasedOutKey: null,
    lastRotationAt: now.toISOString(),
    hashKey: generateKey(),
  };
}

function malformed(file: string, field: string, why: string): CoreError {
  return new CoreError('KEY_FILE', `Key file ${file} is malformed: field "${field}" ${why}.`, field);
}

function decodeKey(file: string, field: string, value: unknown): Buffer {
  if (typeof value !== 'string') throw malformed(file, field, 'must be a base64 string');
  const buf = Buffer.from(value, 'base64');
  if (buf.length !== KEY_BYTES || buf.toString('base64') !== value) {
    throw malformed(file, field, `must be base64 of exactly ${KEY_BYTES} bytes`);
  }
  return buf;
}

function decodeVersion(file: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || !VERSION_PATTERN.test(value)) throw malformed(file, field, 'must be one letter A–Z');
  return value;
}

/** Parses and checks a key file's text; errors name the file and the field. */
export function parseKeyFile(file: string, text: string): KeyFile {
  let json: Partial<KeyFileJson>;
  try {
    json = JSON.parse(text) as Partial<KeyFileJson>;
  } catch {
    throw new CoreError('KEY_FILE', `Key file ${file} is not valid JSON. Restore it from your backup.`);
  }
  if (typeof json !== 'object' || json === null) throw new CoreError('KEY_FILE', `Key file ${file} is not a JSON object.`);
  if (typeof json.installationId !== 'string' || json.installationId.length < 8) {
    throw malformed(file, 'installationId', 'must be a string');
  }
  const currentVersion = decodeVersion(file, 'currentVersion', json.currentVersion);
  const currentKey = decodeKey(file, 'currentKey', json.currentKey);
  const hasPhasedOut = json.phasedOutVersion !== null && json.phasedOutVersion !== undefined;
  if (hasPhasedOut !== (json.phasedOutKey !== null && json.phasedOutKey !== undefined)) {
    throw malformed(file, 'phasedOutKey', 'must be set exactly when phasedOutVersion is set');
  }
  const phasedOutVersion = hasPhasedOut ? decodeVersion(file, 'phasedOutVersion', json.phasedOutVersion) : null;
  if (phasedOutVersion === currentVersion) throw malformed(file, 'phasedOutVersion', 'must differ from currentVersion');
  const phasedOutKey = hasPhasedOut ? decodeKey(file, 'phasedOutKey', json.phasedOutKey) : null;
  if (typeof json.lastRotationAt !== 'string' || Number.isNaN(Date.parse(json.lastRotationAt))) {
    throw malformed(file, 'lastRotationAt', 'must be an ISO date');
  }
  const hashKey = decodeKey(file, 'hashKey', json.hashKey);
  return {
    installationId: json.installationId,
    currentVersion,
    currentKey,
    phasedOutVersion,
    phasedOutKey,
    lastRotationAt: json.lastRotationAt,
    hashKey,
  };
}

function serialise(k: KeyFile): string {
  const json: KeyFileJson = {
    installationId: k.installationId,
    currentVersion: k.currentVersion,
    currentKey: k.currentKey.toString('base64'),
    phasedOutVersion: k.phasedOutVersion,
    phasedOutKey: k.phasedOutKey ? k.phasedOutKey.toString('base64') : null,
    lastRotationAt: k.lastRotationAt,
    hashKey: k.hashKey.toString('base64'),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** Reads the key file, or returns null when it does not exist. Leftover temp files are ignored. */
export function readKeyFile(file: string): KeyFile | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CoreError(
      'KEY_FILE',
      `Key file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check its permissions.`,
    );
  }
  return parseKeyFile(file, text);
}

/** Test seam: lets a test interrupt a write at a chosen step. */
export interface WriteHooks {
  afterTempWritten?(tempPath: string): void;
}

/**
 * Writes the key file atomically: temp file (0600) → fsync → rename → fsync the folder.
 * A crash leaves either the old file or the new one, never a mix; a stray temp file is
 * never read back, only cleaned up.
 */
export function writeKeyFile(file: string, keys: KeyFile, hooks: WriteHooks = {}): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    const data = Buffer.from(serialise(keys), 'utf8');
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  hooks.afterTempWritten?.(temp);
  renameSync(temp, file);
  chmodSync(file, 0o600);
  fsyncDir(dirname(file));
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Removes temp files an interrupted write left behind; they are never used. */
export function removeStaleTempFiles(file: string): void {
  const prefix = `.${basename(file)}.`;
  for (const name of readdirSync(dirname(file))) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) rmSync(join(dirname(file), name), { force: true });
  }
}
