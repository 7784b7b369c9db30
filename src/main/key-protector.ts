// The OS keychain for the key file, through Electron's safeStorage (async API; the sync
// one is deprecated): Keychain on macOS, DPAPI on Windows, libsecret or KWallet on Linux.
// On Linux without a keyring Electron falls back to `basic_text`, which encrypts with a
// fixed password: that is no protection, so it counts as "no keychain" and the keys stay
// protected by file permissions only (Settings says so).
//
// Plain Node apart from the *type* of safeStorage, so tests hand in a mock
// (test/electron/key-protector.test.ts); the shell hands in the real one.
import type { SafeStorage } from 'electron';
import type { KeychainAvailability, KeyProtector } from './core';

export type SafeStorageApi = Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'>;

export const BASIC_TEXT_REASON =
  "No OS keyring was found (Electron's basic_text backend: no GNOME Keyring, KWallet or other Secret Service is running), so the keys are protected by file permissions only.";

/** The backend's name as the key file records it. */
function backendName(safeStorage: SafeStorageApi, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macos-keychain';
  if (platform === 'win32') return 'windows-dpapi';
  if (platform === 'linux') return safeStorage.getSelectedStorageBackend();
  return 'safeStorage';
}

/** A KeyProtector on Electron's safeStorage. Call only after the app is ready. */
export function electronKeyProtector(safeStorage: SafeStorageApi, platform: NodeJS.Platform = process.platform): KeyProtector {
  async function available(): Promise<KeychainAvailability> {
    let ok: boolean;
    try {
      // Also initialises the async encryptor; Linux knows its backend only after this.
      ok = await safeStorage.isAsyncEncryptionAvailable();
    } catch (e) {
      return { ok: false, backend: 'unknown', reason: `Electron's safeStorage failed (${(e as Error).message}).` };
    }
    const backend = backendName(safeStorage, platform);
    if (backend === 'basic_text') return { ok: false, backend, reason: BASIC_TEXT_REASON };
    if (backend === 'unknown') return { ok: false, backend, reason: 'The OS keychain was asked before the app was ready.' };
    if (!ok) return { ok: false, backend, reason: `The OS keychain (${backend}) is not available to the app (locked, or no keychain service).` };
    return { ok: true, backend };
  }

  return {
    kind: 'keychain',
    available,
    async wrap(plain) {
      const here = await available();
      // Never wrap with basic_text: the file would claim a protection it does not have.
      if (!here.ok) throw new Error(here.reason ?? 'The OS keychain is not available.');
      return await safeStorage.encryptStringAsync(plain.toString('base64'));
    },
    async unwrap(wrapped) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(wrapped);
      const plain = Buffer.from(result, 'base64');
      if (plain.toString('base64') !== result) throw new Error('The OS keychain returned something that is not a wrapped key.');
      return { plain, rewrap: shouldReEncrypt };
    },
  };
}
