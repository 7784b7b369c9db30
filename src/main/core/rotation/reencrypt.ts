import type { VersionedCipher } from '../crypto/cipher';

/** Stored values with what each is bound to (crypto/bindings.ts). */
export interface BoundValues {
  values: string[];
  bindings: string[];
}

/**
 * One page of a rotation: each stored value decrypted with the key its letter names and
 * encrypted with the current key, bound to the same record; null where a value does not
 * decrypt (tampered, moved, or a key long gone), which the rotation leaves as it is and
 * reports. Used on main and in the helper thread alike.
 */
export function reencryptAll(cipher: VersionedCipher, page: BoundValues): (string | null)[] {
  return page.values.map((v, i) => {
    const binding = page.bindings[i]!;
    try {
      return cipher.encrypt(cipher.decrypt(v, 'value', binding), binding);
    } catch {
      return null;
    }
  });
}

/** Part of a page, for splitting the AES work between main and the helper. */
export function slicePage(page: BoundValues, start: number, end?: number): BoundValues {
  return { values: page.values.slice(start, end), bindings: page.bindings.slice(start, end) };
}
