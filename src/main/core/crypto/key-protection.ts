// Key protection: whether the keys in encryption-keys.json are guarded by the file's
// permissions only, or wrapped by the OS keychain. Core only knows the small KeyProtector
// interface; the Electron shell implements it with safeStorage (src/main/key-protector.ts),
// tests with a stand-in (test/support/stand-in-protector.ts).
//
// The keychain wraps one random key-encryption key (KEK), and the key file holds the keys
// sealed under it (envelope encryption). The keychain is asked only when the file is opened
// and when protection is switched on; every later write of the key file (rotation, finishing
// an interrupted one) seals with the KEK in memory, synchronously, so rotation keeps its
// crash-safe write order and the file stays wrapped.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CoreError } from '../errors';
import {
  openSealedKeys,
  parseStoredKeyFile,
  readKeyFileText,
  sealKeys,
  serialiseKeyFile,
  serialiseWrappedKeyFile,
  writeKeyFileText,
  type KeyFile,
  type KeyFileProtection,
  type WriteHooks,
} from './key-file';

/** What the OS keychain offers this process. */
export interface KeychainAvailability {
  ok: boolean;
  /** The backend's name ("macos-keychain", "windows-dpapi", "gnome_libsecret", "basic_text"…), or "none". */
  backend: string;
  /** Why it cannot be used, in words a person can act on (when `ok` is false). */
  reason?: string;
}

/** Wraps and unwraps a small secret (the KEK) with the OS keychain. */
export interface KeyProtector {
  readonly kind: 'keychain';
  available(): Promise<KeychainAvailability>;
  wrap(plain: Buffer): Promise<Buffer>;
  /** `rewrap`: the keychain asks for the secret to be wrapped again (its own key changed). */
  unwrap(wrapped: Buffer): Promise<{ plain: Buffer; rewrap: boolean }>;
}

/** How the key file is written: in the clear (file protection), or sealed under a KEK the keychain wrapped. */
export type Protection = { kind: 'file' } | { kind: 'keychain'; backend: string; kek: Buffer; wrappedKey: Buffer };

const KEK_BYTES = 32;

/** The key file's text in the given protection. */
export function renderKeyFile(keys: KeyFile, protection: Protection): string {
  if (protection.kind === 'file') return serialiseKeyFile(keys);
  return serialiseWrappedKeyFile({
    protection: 'keychain',
    backend: protection.backend,
    installationId: keys.installationId,
    currentVersion: keys.currentVersion,
    phasedOutVersion: keys.phasedOutVersion,
    lastRotationAt: keys.lastRotationAt,
    wrappedKey: protection.wrappedKey,
    sealedKeys: sealKeys(protection.kek, keys),
  });
}

/**
 * The key file of an open installation with its protection. Every write — rotation,
 * switching protection — goes through here, so the file keeps its form; each write is
 * atomic (temp file, fsync, rename), so the old form stays until the new one is on disk.
 */
export class KeyFileStore {
  constructor(
    readonly path: string,
    private protection: Protection,
    private readonly hooks: WriteHooks = {},
  ) {}

  get kind(): KeyFileProtection {
    return this.protection.kind;
  }

  /** The keychain backend that wrapped the key, or null with file protection. */
  get backend(): string | null {
    return this.protection.kind === 'keychain' ? this.protection.backend : null;
  }

  write(keys: KeyFile): void {
    writeKeyFileText(this.path, renderKeyFile(keys, this.protection), this.hooks);
  }

  /** Rewrites the key file in another protection; the store takes it on once the file is renamed into place. */
  switchTo(protection: Protection, keys: KeyFile): void {
    writeKeyFileText(this.path, renderKeyFile(keys, protection), this.hooks);
    this.protection = protection;
  }
}

/** What prepareKeys hands to openCore: the keys in the clear and how the file guards them. */
export interface PreparedKeys {
  /** null: there is no key file yet (openCore creates one, in `protection`). */
  keys: KeyFile | null;
  protection: Protection;
  /** The key file's text as read; openCore refuses to go on if it changed before the data folder was locked. */
  text: string | null;
  /** The keychain asked for a new wrapping: openCore writes it once it holds the lock. */
  rewrap: boolean;
}

/** What to do, said in every refusal to open wrapped keys. */
const RECOVERY_HINT =
  'On another machine or user account: start once with --restore-keys FILE and your recovery kit (.cfkeys), or restore a backup with --restore FILE into a fresh data folder. Nothing was changed.';

/** The refusal when this process has no keychain at all (browser mode, plain Node). */
export function noKeychainRefusal(file: string, backend: string): CoreError {
  return new CoreError(
    'KEYCHAIN_UNAVAILABLE',
    `The keys in ${file} are wrapped by the OS keychain (${backend}), and this process cannot reach it: browser mode runs without Electron and has no access to the OS keychain. ` +
      'Open this data folder in the desktop app and switch key protection off in Settings → Encryption, then start browser mode again. ' +
      RECOVERY_HINT,
  );
}

function keychainUnreachable(file: string, backend: string, reason: string): CoreError {
  return new CoreError(
    'KEYCHAIN_UNAVAILABLE',
    `The keys in ${file} are wrapped by the OS keychain (${backend}), which is not available here: ${reason} ` +
      'If this is the machine and account that wrapped them, unlock the keychain (sign in to the desktop session) and start again. ' +
      RECOVERY_HINT,
  );
}

function keychainRefused(file: string, backend: string): CoreError {
  return new CoreError(
    'KEYCHAIN_UNAVAILABLE',
    `The OS keychain (${backend}) could not unwrap the keys in ${file}: they were wrapped on another machine or for another user account, or the keychain entry is gone. ` +
      RECOVERY_HINT,
  );
}

/**
 * Reads the key file and, when the OS keychain wraps its keys, unwraps them (async: the
 * keychain is). Writes nothing: openCore writes, once it holds the data folder's lock.
 * `newInstallation`: the protection a key file created now gets ('keychain' only when the
 * keychain is available; otherwise file protection, and Settings says why).
 */
export async function prepareKeys(
  keyFile: string,
  protector?: KeyProtector,
  options: { newInstallation?: KeyFileProtection } = {},
): Promise<PreparedKeys> {
  const text = readKeyFileText(keyFile);
  if (text === null) {
    if (options.newInstallation === 'keychain' && protector) {
      const here = await protector.available();
      if (here.ok) return { keys: null, protection: await newKeychainProtection(protector, here.backend), text, rewrap: false };
    }
    return { keys: null, protection: { kind: 'file' }, text, rewrap: false };
  }
  const stored = parseStoredKeyFile(keyFile, text);
  if (stored.protection === 'file') return { keys: stored.keys, protection: { kind: 'file' }, text, rewrap: false };
  if (!protector) throw noKeychainRefusal(keyFile, stored.backend);
  const here = await protector.available();
  if (!here.ok) throw keychainUnreachable(keyFile, stored.backend, here.reason ?? `the ${here.backend} backend cannot be used.`);
  let unwrapped: { plain: Buffer; rewrap: boolean };
  try {
    unwrapped = await protector.unwrap(stored.wrappedKey);
  } catch {
    // The keychain's own message may name its internals; ours says what to do.
    throw keychainRefused(keyFile, stored.backend);
  }
  if (unwrapped.plain.length !== KEK_BYTES) throw keychainRefused(keyFile, stored.backend);
  const keys = openSealedKeys(keyFile, unwrapped.plain, stored);
  const wrappedKey = unwrapped.rewrap ? await protector.wrap(unwrapped.plain) : stored.wrappedKey;
  return { keys, protection: { kind: 'keychain', backend: here.backend, kek: unwrapped.plain, wrappedKey }, text, rewrap: unwrapped.rewrap };
}

/**
 * A fresh KEK wrapped by the keychain — and unwrapped once to check: a keychain that does
 * not give back what it wrapped must never become the only way to the keys.
 */
export async function newKeychainProtection(protector: KeyProtector, backend: string): Promise<Protection> {
  const kek = randomBytes(KEK_BYTES);
  const wrappedKey = await protector.wrap(kek);
  let back: Buffer | null = null;
  try {
    back = (await protector.unwrap(wrappedKey)).plain;
  } catch {
    // handled below
  }
  if (!back || back.length !== kek.length || !timingSafeEqual(back, kek)) {
    throw new CoreError('KEYCHAIN_UNAVAILABLE', `The OS keychain (${backend}) did not give back the key it was asked to wrap; the keys stay protected as they were.`);
  }
  return { kind: 'keychain', backend, kek, wrappedKey };
}

/**
 * openCore's own reading when it is not handed prepared keys (browser mode, tests): a
 * file with its keys opens; a keychain-wrapped one is refused with what to do.
 */
export function prepareKeysWithoutKeychain(keyFile: string): PreparedKeys {
  const text = readKeyFileText(keyFile);
  if (text === null) return { keys: null, protection: { kind: 'file' }, text, rewrap: false };
  const stored = parseStoredKeyFile(keyFile, text);
  if (stored.protection === 'keychain') throw noKeychainRefusal(keyFile, stored.backend);
  return { keys: stored.keys, protection: { kind: 'file' }, text, rewrap: false };
}
