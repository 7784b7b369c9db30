import { createCipheriv, createDecipheriv, randomBytes, randomFillSync } from 'node:crypto';
import { CoreError } from '../errors';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

// Fetching randomness in bulk: one randomBytes call per IV costs more than the AES itself.
// Every IV is still fresh CSPRNG output, used once.
const IV_POOL_SIZE = 1024;
const ivPool = Buffer.alloc(IV_BYTES * IV_POOL_SIZE);
let ivNext = IV_POOL_SIZE;
function freshIv(): Buffer {
  if (ivNext === IV_POOL_SIZE) {
    randomFillSync(ivPool);
    ivNext = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivNext * IV_BYTES, (ivNext + 1) * IV_BYTES));
  ivNext++;
  return iv;
}

/** Key versions are single letters A–Z, written in front of every ciphertext. */
export const VERSION_PATTERN = /^[A-Z]$/;

/**
 * AES-256-GCM with versioned keys. Stored form: `VERSION + base64(IV || ciphertext || tag)`.
 * Encrypts with the current key; decrypts with whichever loaded key the letter names,
 * so values written before a rotation stay readable until they are re-encrypted.
 *
 * Every value is bound to the record it belongs to: `binding` (crypto/bindings.ts) is the
 * additional authenticated data, so a ciphertext moved to another record — another
 * secret, another key's group — fails to decrypt, loudly, for that record alone.
 */
export class VersionedCipher {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private current: { version: string; key: Buffer },
    others: { version: string; key: Buffer }[] = [],
  ) {
    for (const k of [current, ...others]) this.keys.set(k.version, k.key);
  }

  get currentVersion(): string {
    return this.current.version;
  }

  hasVersion(version: string): boolean {
    return this.keys.has(version);
  }

  /** Encrypts with the current key and a fresh random IV, bound to `binding`. */
  encrypt(plaintext: string, binding: string): string {
    const iv = freshIv();
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv);
    cipher.setAAD(Buffer.from(binding, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return this.current.version + Buffer.concat([iv, body, tag]).toString('base64');
  }

  /**
   * Decrypts a stored value bound to `binding`. `record` names the row in errors ("secret
   * #3 (global DB_URL)"); the error never carries the value or the ciphertext. Null
   * `binding` reads a value stored before values were bound (the data migration only).
   */
  decrypt(stored: string, record: string, binding: string | null): string {
    const version = stored.charAt(0);
    const key = this.keys.get(version);
    if (!VERSION_PATTERN.test(version) || !key) {
      throw new CoreError(
        'DECRYPTION_FAILED',
        `Cannot decrypt ${record}: it was encrypted with key version "${version}", which is not in the key file.`,
      );
    }
    const raw = Buffer.from(stored.slice(1), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) {
      throw new CoreError('DECRYPTION_FAILED', `Cannot decrypt ${record}: the stored value is truncated.`);
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, raw.subarray(0, IV_BYTES));
      if (binding !== null) decipher.setAAD(Buffer.from(binding, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new CoreError(
        'DECRYPTION_FAILED',
        `Cannot decrypt ${record}: authentication failed (the stored value was altered, moved from another record, or belongs to another key).`,
      );
    }
  }
}

/** A fresh random 256-bit key. */
export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** The letter after `version`, wrapping Z → A (the phased-out key is gone before a letter comes round again). */
export function nextVersion(version: string): string {
  return version === 'Z' ? 'A' : String.fromCharCode(version.charCodeAt(0) + 1);
}
