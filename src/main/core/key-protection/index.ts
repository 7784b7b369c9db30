// Key protection as a service of the open installation: what guards the keys now, what
// this machine offers, switching between file protection and the OS keychain (crash-safe:
// one atomic rewrite of the key file), and the recovery kit that lets keychain-wrapped
// keys leave this machine. The keychain itself is the KeyProtector the shell hands in.
import type { KeyProtectionStatus } from '../../../shared/types';
import type { AuditLog } from '../audit/audit-log';
import type { KeyFileProtection } from '../crypto/key-file';
import { newKeychainProtection, type KeychainAvailability, type KeyFileStore, type KeyProtector } from '../crypto/key-protection';
import type { KeyRing } from '../crypto/key-ring';
import { CoreError } from '../errors';
import { readMeta, writeMeta } from '../settings/settings';
import type { Db } from '../store/database';
import type { WriteGate } from '../store/write-gate';
import { sealRecoveryKit } from './recovery-kit';

export { openRecoveryKit, restoreKeysFromKit, sealRecoveryKit, RECOVERY_KIT_FORMAT, type KeysRestored } from './recovery-kit';

/** Said when this process was given no keychain (browser mode, plain Node). */
export const NO_KEYCHAIN_REASON = 'Browser mode runs without Electron and has no access to the OS keychain.';

export interface KeyProtectionService {
  status(): Promise<KeyProtectionStatus>;
  /** Switches protection; the old form of the key file stays until the new one is on disk. */
  set(protection: KeyFileProtection): Promise<KeyProtectionStatus>;
  /** The keys sealed under `passphrase`: the text of a .cfkeys file. */
  createRecoveryKit(passphrase: string): { fileName: string; content: string; createdAt: string };
}

export function createKeyProtection(opts: { db: Db; ring: KeyRing; store: KeyFileStore; gate: WriteGate; audit: Pick<AuditLog, 'append'>; protector?: KeyProtector }): KeyProtectionService {
  const { db, ring, store, gate, audit, protector } = opts;

  async function keychainHere(): Promise<KeychainAvailability> {
    if (!protector) return { ok: false, backend: 'none', reason: NO_KEYCHAIN_REASON };
    try {
      return await protector.available();
    } catch (e) {
      return { ok: false, backend: 'unknown', reason: `The OS keychain did not answer (${(e as Error).message}).` };
    }
  }

  function kit(): { createdAt: string; keyVersion: string } | null {
    const createdAt = readMeta(db, 'recoveryKitAt');
    const keyVersion = readMeta(db, 'recoveryKitVersion');
    return createdAt && keyVersion ? { createdAt, keyVersion } : null;
  }

  async function status(): Promise<KeyProtectionStatus> {
    const here = await keychainHere();
    const last = kit();
    const current = last !== null && last.keyVersion === ring.keyFile.currentVersion;
    const fileOnlyReason =
      store.kind === 'keychain'
        ? null
        : here.ok
          ? 'Protection by the OS keychain is switched off.'
          : (here.reason ?? 'The OS keychain cannot be used here.');
    return {
      protection: store.kind,
      backend: store.backend,
      keychain: { available: here.ok, backend: here.backend === 'none' ? null : here.backend, reason: here.ok ? null : (here.reason ?? null) },
      fileOnlyReason,
      keyFile: store.path,
      currentKeyVersion: ring.keyFile.currentVersion,
      recoveryKit: last,
      recoveryKitCurrent: current,
      recoveryKitDue: store.kind === 'keychain' && !current,
    };
  }

  async function set(protection: KeyFileProtection): Promise<KeyProtectionStatus> {
    const from = store.kind;
    if (protection === from) return status();
    gate.assertOpen();
    if (protection === 'keychain') {
      if (!protector) throw new CoreError('KEYCHAIN_UNAVAILABLE', `${NO_KEYCHAIN_REASON} Open this data folder in the desktop app to protect its keys with the keychain.`);
      const here = await keychainHere();
      if (!here.ok) throw new CoreError('KEYCHAIN_UNAVAILABLE', `The OS keychain cannot be used here: ${here.reason ?? `the ${here.backend} backend is not supported.`} The keys stay protected by file permissions.`);
      const next = await newKeychainProtection(protector, here.backend);
      // The keychain answered asynchronously: a rotation may have started meanwhile.
      gate.assertOpen();
      if (store.kind !== from) return status();
      store.switchTo(next, ring.keyFile);
    } else {
      store.switchTo({ kind: 'file' }, ring.keyFile);
    }
    audit.append({ action: 'key-protection.changed', detail: { from, to: protection, ...(store.backend ? { backend: store.backend } : {}) } });
    return status();
  }

  function createRecoveryKit(passphrase: string): { fileName: string; content: string; createdAt: string } {
    gate.assertOpen();
    const createdAt = new Date().toISOString();
    const content = sealRecoveryKit(ring.keyFile, createdAt, passphrase);
    writeMeta(db, 'recoveryKitAt', createdAt);
    writeMeta(db, 'recoveryKitVersion', ring.keyFile.currentVersion);
    audit.append({ action: 'recovery-kit.created', detail: { keyVersion: ring.keyFile.currentVersion } });
    return { fileName: `crude-functions-keys-${createdAt.slice(0, 10)}.cfkeys`, content, createdAt };
  }

  return { status, set, createRecoveryKit };
}
