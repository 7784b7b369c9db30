import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync, chmodSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { CoreError } from '../errors';
import { generateKey, KEY_BYTES, VERSION_PATTERN } from './cipher';

export const KEY_FILE_NAME = 'encryption-keys.json';

/**
 * How the key file guards its keys. `file`: the keys are in the file (base64), guarded by
 * its permissions (0600) only — a file written before this field existed is this form.
 * `keychain`: the file holds no key in the clear; the keys are sealed (AES-256-GCM) under a
 * key-encryption key that only the OS keychain can unwrap (see key-protection.ts).
 */
export type KeyFileProtection = 'file' | 'keychain';

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
  protection?: 'file';
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

/**
 * The key file in its `keychain` form, as stored: the metadata in the clear, the keys
 * sealed. `wrappedKey` is the key-encryption key as the OS keychain wrapped it;
 * `sealedKeys` is IV || ciphertext || tag of the three keys under it, with the metadata
 * as additional data, so an edited version letter or installation id fails to open.
 */
export interface WrappedKeyFile {
  protection: 'keychain';
  /** The keychain backend that wrapped the key (e.g. "gnome_libsecret", "macos-keychain"). */
  backend: string;
  installationId: string;
  currentVersion: string;
  phasedOutVersion: string | null;
  lastRotationAt: string;
  wrappedKey: Buffer;
  sealedKeys: Buffer;
}

/** A key file as read from disk: the keys themselves, or their wrapped form. */
export type StoredKeyFile = { protection: 'file'; keys: KeyFile } | WrappedKeyFile;

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

function parseJson(file: string, text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CoreError('KEY_FILE', `Key file ${file} is not valid JSON. Restore it from your backup.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CoreError('KEY_FILE', `Key file ${file} is not a JSON object.`);
  return json as Record<string, unknown>;
}

/** Parses and checks a key file's text in either form; errors name the file and the field. */
export function parseStoredKeyFile(file: string, text: string): StoredKeyFile {
  const json = parseJson(file, text);
  const protection = json.protection ?? 'file';
  if (protection === 'file') return { protection: 'file', keys: parsePlain(file, json as Partial<KeyFileJson>) };
  if (protection === 'keychain') return parseWrapped(file, json);
  throw malformed(file, 'protection', 'must be "file" or "keychain"');
}

/**
 * Parses a key file that holds its keys (file protection). A keychain-wrapped file is
 * refused here with the code KEYCHAIN_UNAVAILABLE: its keys need the OS keychain
 * (prepareKeys in key-protection.ts).
 */
export function parseKeyFile(file: string, text: string): KeyFile {
  const stored = parseStoredKeyFile(file, text);
  if (stored.protection === 'file') return stored.keys;
  throw new CoreError('KEYCHAIN_UNAVAILABLE', `The keys in ${file} are wrapped by the OS keychain (${stored.backend}); this process has no access to it.`);
}

function parseWrapped(file: string, json: Record<string, unknown>): WrappedKeyFile {
  // A wrapped file holds no key in the clear: a key field next to "keychain" is an edit or a mix-up.
  for (const field of ['currentKey', 'phasedOutKey', 'hashKey']) {
    if (json[field] !== undefined) throw malformed(file, field, 'must not be present when protection is "keychain" (the keys are sealed in sealedKeys)');
  }
  if (typeof json.backend !== 'string' || json.backend.length === 0 || json.backend.length > 64) throw malformed(file, 'backend', 'must name the keychain backend');
  const meta = parseMeta(file, json);
  return { protection: 'keychain', backend: json.backend, ...meta, wrappedKey: decodeBlob(file, 'wrappedKey', json.wrappedKey), sealedKeys: decodeBlob(file, 'sealedKeys', json.sealedKeys) };
}

function decodeBlob(file: string, field: string, value: unknown): Buffer {
  if (typeof value !== 'string' || value.length === 0) throw malformed(file, field, 'must be a base64 string');
  const buf = Buffer.from(value, 'base64');
  if (buf.length === 0 || buf.toString('base64') !== value) throw malformed(file, field, 'must be base64');
  return buf;
}

/** The fields both forms share: installation, versions, last rotation. */
function parseMeta(file: string, json: Record<string, unknown>): Pick<KeyFile, 'installationId' | 'currentVersion' | 'phasedOutVersion' | 'lastRotationAt'> {
  if (typeof json.installationId !== 'string' || json.installationId.length < 8) {
    throw malformed(file, 'installationId', 'must be a string');
  }
  const currentVersion = decodeVersion(file, 'currentVersion', json.currentVersion);
  const phasedOutVersion = json.phasedOutVersion !== null && json.phasedOutVersion !== undefined ? decodeVersion(file, 'phasedOutVersion', json.phasedOutVersion) : null;
  if (phasedOutVersion === currentVersion) throw malformed(file, 'phasedOutVersion', 'must differ from currentVersion');
  if (typeof json.lastRotationAt !== 'string' || Number.isNaN(Date.parse(json.lastRotationAt))) {
    throw malformed(file, 'lastRotationAt', 'must be an ISO date');
  }
  return { installationId: json.installationId, currentVersion, phasedOutVersion, lastRotationAt: json.lastRotationAt };
}

function parsePlain(file: string, json: Partial<KeyFileJson>): KeyFile {
  const meta = parseMeta(file, json as Record<string, unknown>);
  const currentKey = decodeKey(file, 'currentKey', json.currentKey);
  if ((meta.phasedOutVersion !== null) !== (json.phasedOutKey !== null && json.phasedOutKey !== undefined)) {
    throw malformed(file, 'phasedOutKey', 'must be set exactly when phasedOutVersion is set');
  }
  const phasedOutKey = meta.phasedOutVersion !== null ? decodeKey(file, 'phasedOutKey', json.phasedOutKey) : null;
  const hashKey = decodeKey(file, 'hashKey', json.hashKey);
  return { ...meta, currentKey, phasedOutKey, hashKey };
}

/** The key file in its portable form (file protection): what backups and recovery kits carry. */
export function serialiseKeyFile(k: KeyFile): string {
  const json: KeyFileJson = {
    installationId: k.installationId,
    protection: 'file',
    currentVersion: k.currentVersion,
    currentKey: k.currentKey.toString('base64'),
    phasedOutVersion: k.phasedOutVersion,
    phasedOutKey: k.phasedOutKey ? k.phasedOutKey.toString('base64') : null,
    lastRotationAt: k.lastRotationAt,
    hashKey: k.hashKey.toString('base64'),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** The key file in its keychain form. */
export function serialiseWrappedKeyFile(w: WrappedKeyFile): string {
  const json = {
    installationId: w.installationId,
    protection: 'keychain',
    backend: w.backend,
    currentVersion: w.currentVersion,
    phasedOutVersion: w.phasedOutVersion,
    lastRotationAt: w.lastRotationAt,
    wrappedKey: w.wrappedKey.toString('base64'),
    sealedKeys: w.sealedKeys.toString('base64'),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

// The metadata a sealed key set is bound to: editing any of it makes the seal fail.
const sealedKeysAad = (m: Pick<KeyFile, 'installationId' | 'currentVersion' | 'phasedOutVersion' | 'lastRotationAt'>) =>
  Buffer.from(JSON.stringify(['crude-functions-desktop sealed keys', m.installationId, m.currentVersion, m.phasedOutVersion, m.lastRotationAt]));

/** The keys sealed under a key-encryption key (AES-256-GCM, fresh IV), bound to the file's metadata. */
export function sealKeys(kek: Buffer, keys: KeyFile): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv);
  c.setAAD(sealedKeysAad(keys));
  const inner = Buffer.from(
    JSON.stringify({ currentKey: keys.currentKey.toString('base64'), phasedOutKey: keys.phasedOutKey?.toString('base64') ?? null, hashKey: keys.hashKey.toString('base64') }),
  );
  return Buffer.concat([iv, c.update(inner), c.final(), c.getAuthTag()]);
}

/** Opens the sealed keys of a wrapped key file with its (unwrapped) key-encryption key. */
export function openSealedKeys(file: string, kek: Buffer, w: WrappedKeyFile): KeyFile {
  let inner: Record<string, unknown>;
  try {
    const d = createDecipheriv('aes-256-gcm', kek, w.sealedKeys.subarray(0, 12));
    d.setAAD(sealedKeysAad(w));
    d.setAuthTag(w.sealedKeys.subarray(w.sealedKeys.length - 16));
    inner = JSON.parse(Buffer.concat([d.update(w.sealedKeys.subarray(12, w.sealedKeys.length - 16)), d.final()]).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new CoreError(
      'KEY_FILE',
      `The sealed keys in ${file} fail their integrity check: the file was edited or damaged. Restore the keys from your recovery kit (start with --restore-keys FILE) or restore a backup. Nothing was changed.`,
      'sealedKeys',
    );
  }
  const hasPhasedOut = w.phasedOutVersion !== null;
  if (hasPhasedOut !== (inner.phasedOutKey !== null && inner.phasedOutKey !== undefined)) {
    throw malformed(file, 'sealedKeys', 'must hold a phased-out key exactly when phasedOutVersion is set');
  }
  return {
    installationId: w.installationId,
    currentVersion: w.currentVersion,
    currentKey: decodeKey(file, 'sealedKeys.currentKey', inner.currentKey),
    phasedOutVersion: w.phasedOutVersion,
    phasedOutKey: hasPhasedOut ? decodeKey(file, 'sealedKeys.phasedOutKey', inner.phasedOutKey) : null,
    lastRotationAt: w.lastRotationAt,
    hashKey: decodeKey(file, 'sealedKeys.hashKey', inner.hashKey),
  };
}

/** The key file's text, or null when it does not exist. */
export function readKeyFileText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CoreError(
      'KEY_FILE',
      `Key file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check its permissions.`,
    );
  }
}

/** Reads the key file in either form, or returns null when it does not exist. Leftover temp files are ignored. */
export function readStoredKeyFile(file: string): StoredKeyFile | null {
  const text = readKeyFileText(file);
  return text === null ? null : parseStoredKeyFile(file, text);
}

/** Reads a key file that holds its keys (file protection), or returns null when it does not exist. */
export function readKeyFile(file: string): KeyFile | null {
  const text = readKeyFileText(file);
  return text === null ? null : parseKeyFile(file, text);
}

/** Test seam: lets a test interrupt a write at a chosen step (crash tests kill the process there). */
export interface WriteHooks {
  afterTempWritten?(tempPath: string): void;
  afterRenamed?(file: string): void;
}

/** Writes the key file with file protection, atomically (see writeKeyFileText). */
export function writeKeyFile(file: string, keys: KeyFile, hooks: WriteHooks = {}): void {
  writeKeyFileText(file, serialiseKeyFile(keys), hooks);
}

/**
 * Writes a key file's text atomically: temp file (0600) → fsync → rename → fsync the
 * folder. A crash leaves either the old file or the new one, never a mix; a stray temp
 * file is never read back, only cleaned up.
 */
export function writeKeyFileText(file: string, text: string, hooks: WriteHooks = {}): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    const data = Buffer.from(text, 'utf8');
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
  hooks.afterRenamed?.(file);
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
