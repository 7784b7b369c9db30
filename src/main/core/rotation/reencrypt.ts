import type { VersionedCipher } from '../crypto/cipher';

/**
 * One page of a rotation: each stored value decrypted with the key its letter names and
 * encrypted with the current key; null where a value does not decrypt (tampered, or a key
 * long gone), which the rotation leaves as it is and reports. Used on main and in the
 * helper thread alike.
 */
export function reencryptAll(cipher: VersionedCipher, values: string[]): (string | null)[] {
  return values.map((v) => {
    try {
      return cipher.encrypt(cipher.decrypt(v, 'value'));
    } catch {
      return null;
    }
  });
}
