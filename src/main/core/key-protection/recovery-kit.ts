// The recovery kit (.cfkeys): the installation's keys, in their portable form, sealed
// under a passphrase with the same sealing as the encrypted backup (backup/sealing.ts).
// Keys wrapped by the OS keychain cannot leave this machine; the kit is how they can.
// It holds the keys of one moment: after a rotation the database is under a key the kit
// does not have, so the kit is stale (Settings says so and nags for a new one).
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { DataPaths } from '../core-api';
import { BACKUP_FORMAT } from '../backup/backup';
import { KDF, open, seal, type Kdf, type SealedKind } from '../backup/sealing';
import { parseKeyFile, parseStoredKeyFile, readKeyFileText, serialiseKeyFile, writeKeyFile, type KeyFile } from '../crypto/key-file';
import { CoreError, isCoreError, validation } from '../errors';
import { storedKeyVersions } from '../rotation/rotation';
import { acquireLock } from '../store/lock';

export const RECOVERY_KIT_FORMAT = 'crude-functions-desktop-recovery-kit';
const KIT: SealedKind = { format: RECOVERY_KIT_FORMAT, noun: 'recovery kit' };
const BACKUP_KIND = { format: BACKUP_FORMAT, noun: 'backup', hint: 'it holds a whole installation; restore it with Settings → Backup, or with --restore FILE into a fresh data folder.' };

const payload = z.object({ createdAt: z.string(), installationId: z.string(), keyFile: z.string() });

/** The keys sealed under `passphrase`: the text of a .cfkeys file. */
export function sealRecoveryKit(keys: KeyFile, createdAt: string, passphrase: string, kdf: Kdf = KDF): string {
  return seal(KIT, createdAt, { createdAt, installationId: keys.installationId, keyFile: serialiseKeyFile(keys) }, passphrase, kdf);
}

/** Opens a recovery kit: a wrong passphrase (field `passphrase`) and a damaged file (field `file`) are told apart. */
export function openRecoveryKit(text: string, passphrase: string): { createdAt: string; keys: KeyFile } {
  const inner = open(KIT, text, passphrase, payload, [BACKUP_KIND]);
  let keys: KeyFile;
  try {
    keys = parseKeyFile('in the recovery kit', inner.keyFile);
  } catch (e) {
    if (isCoreError(e)) throw validation('file', 'The recovery kit holds no valid key file; the file is damaged.');
    throw e;
  }
  if (keys.installationId !== inner.installationId) throw validation('file', 'The recovery kit contradicts itself (two installation ids); the file is damaged.');
  return { createdAt: inner.createdAt, keys };
}

export interface KeysRestored {
  kitCreatedAt: string;
  keyVersion: string;
  /** Where the key file that was replaced is kept (it is never deleted), or null when there was none. */
  previousKeyFileKeptAs: string | null;
}

/**
 * `--restore-keys FILE`: puts the kit's keys next to their database, in file protection
 * (switch the keychain on again in Settings). For a key file that is missing, damaged, or
 * wrapped by a keychain this machine does not have. Checks everything before writing: the
 * passphrase and the file, that the database is the kit's installation, and that the kit
 * holds every key version the database uses (a kit from before a rotation does not). A
 * key file that is there is copied aside first, and the new one is written atomically.
 */
export function restoreKeysFromKit(paths: DataPaths, text: string, passphrase: string, options: { nativeBinding?: string; now?: Date } = {}): KeysRestored {
  if (!existsSync(paths.databaseFile)) {
    throw new CoreError(
      'CONFLICT',
      `--restore-keys puts keys back next to their database, but ${paths.dataDir} holds no database.db. To set up an installation on a new machine, restore a backup with --restore FILE.`,
    );
  }
  const kit = openRecoveryKit(text, passphrase);
  const release = acquireLock(join(paths.dataDir, 'app.lock'), paths.dataDir);
  try {
    checkKitFitsDatabase(paths, kit.keys, options.nativeBinding);
    const existing = existingKeyFile(paths.keyFile, kit.keys);
    let keptAs: string | null = null;
    if (existing) {
      keptAs = `${paths.keyFile}.before-recovery-${(options.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
      try {
        copyFileSync(paths.keyFile, keptAs);
      } catch {
        // Unreadable (its permissions): moved aside instead; it was of no use to the app as it was.
        renameSync(paths.keyFile, keptAs);
      }
    }
    writeKeyFile(paths.keyFile, kit.keys);
    return { kitCreatedAt: kit.createdAt, keyVersion: kit.keys.currentVersion, previousKeyFileKeptAs: keptAs };
  } finally {
    release();
  }
}

function checkKitFitsDatabase(paths: DataPaths, keys: KeyFile, nativeBinding?: string): void {
  const db = new Database(paths.databaseFile, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    const row = db.prepare("SELECT value FROM settings WHERE key = 'meta.installationId'").get() as { value: string } | undefined;
    if (row && JSON.parse(row.value) !== keys.installationId) {
      throw new CoreError('KEY_FILE', `This recovery kit belongs to another installation than the database ${paths.databaseFile}. Use the kit made for this installation. Nothing was changed.`);
    }
    const have = new Set([keys.currentVersion, ...(keys.phasedOutVersion ? [keys.phasedOutVersion] : [])]);
    const missing = [...storedKeyVersions(db)].filter((v) => !have.has(v)).sort();
    if (missing.length > 0) {
      throw new CoreError(
        'KEY_FILE',
        `This recovery kit holds key ${keys.currentVersion}, but the database is encrypted with key ${missing.join(', ')}: the keys were rotated after the kit was made. ` +
          'Use a recovery kit made after the last rotation, or restore a backup. Nothing was changed.',
      );
    }
  } finally {
    db.close();
  }
}

/** Whether a key file is in the way, refusing one that needs no recovery (it holds this installation's keys readably). */
function existingKeyFile(file: string, kitKeys: KeyFile): boolean {
  let text: string | null;
  try {
    text = readKeyFileText(file);
  } catch {
    return true; // unreadable: replaced, and its bytes kept if they can be copied
  }
  if (text === null) return false;
  try {
    const stored = parseStoredKeyFile(file, text);
    if (stored.protection === 'file' && stored.keys.installationId === kitKeys.installationId) {
      throw new CoreError(
        'CONFLICT',
        `The key file ${file} holds this installation's keys and is protected by file permissions: it needs no recovery kit. Nothing was changed.`,
      );
    }
  } catch (e) {
    if (isCoreError(e) && e.code === 'CONFLICT') throw e;
    // damaged: replaced (and kept aside)
  }
  return true;
}
