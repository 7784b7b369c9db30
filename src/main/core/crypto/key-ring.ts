import { VersionedCipher } from './cipher';
import type { KeyFile } from './key-file';

/**
 * The keys in force. Rotation swaps the cipher in place, so every service that holds
 * the ring encrypts with the newest key from then on without being told.
 */
export class KeyRing {
  cipher: VersionedCipher;

  constructor(public keyFile: KeyFile) {
    this.cipher = KeyRing.cipherFor(keyFile);
  }

  get hashKey(): Buffer {
    return this.keyFile.hashKey;
  }

  replace(keyFile: KeyFile): void {
    this.keyFile = keyFile;
    this.cipher = KeyRing.cipherFor(keyFile);
  }

  private static cipherFor(k: KeyFile): VersionedCipher {
    const others =
      k.phasedOutVersion && k.phasedOutKey ? [{ version: k.phasedOutVersion, key: k.phasedOutKey }] : [];
    return new VersionedCipher({ version: k.currentVersion, key: k.currentKey }, others);
  }
}
