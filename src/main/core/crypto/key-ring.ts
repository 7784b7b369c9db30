import { VersionedCipher } from './cipher';
import { Integrity } from './integrity';
import type { KeyFile } from './key-file';

/**
 * The keys in force. Rotation swaps the cipher in place, so every service that holds
 * the ring encrypts with the newest key from then on without being told.
 */
export class KeyRing {
  cipher: VersionedCipher;
  /** MACs of the rows that decide access; its key follows the hash key, which rotation keeps. */
  readonly integrity: Integrity;

  constructor(public keyFile: KeyFile) {
    this.cipher = KeyRing.cipherFor(keyFile);
    this.integrity = new Integrity(keyFile.hashKey);
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
