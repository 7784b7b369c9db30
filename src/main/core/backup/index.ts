import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupStatus } from '../../../shared/types';
import type { AuditLog } from '../audit/audit-log';
import { serialiseKeyFile } from '../crypto/key-file';
import type { KeyRing } from '../crypto/key-ring';
import type { DataPaths, SettingsService } from '../core-api';
import { readMeta, writeMeta } from '../settings/settings';
import type { Db } from '../store/database';
import type { WriteGate } from '../store/write-gate';
import { CoreError } from '../errors';
import { isFreshDataDir, openBackup, readCodeFiles, sealBackup, writeSnapshot } from './backup';

export { isFreshDataDir, openBackup, passphraseProblem, writeSnapshot } from './backup';
export { moveInstallationAside, putInstallationBack, removeRestoredInstallation } from './replace';

// The operator's changes: not disclosures, and not what the app does by itself (seeding the
// examples, rotating keys, trimming history), which a backup taken before still restores.
// Nor a recovery kit or a protection switch: a backup carries the keys in their portable
// form whatever guards the key file. Nor a restore or a push: neither changes what a backup holds.
const CHANGES =
  "action NOT IN ('secret.revealed', 'secret.copied', 'key.revealed', 'key.copied', 'admin-api.called', 'backup.created', 'backup.restored', 'secrets.exported', 'audit.exported', 'sync.pushed', 'recovery-kit.created', 'key-protection.changed') AND actor <> 'app' AND actor NOT LIKE 'app (%'";
const DAY_MS = 24 * 60 * 60 * 1000;

/** Backups of the open installation, and when the operator should make the next one. */
export function createBackups(db: Db, paths: DataPaths, ring: KeyRing, gate: WriteGate, settings: SettingsService, audit: AuditLog, firstStart: boolean) {
  return {
    /** The whole installation sealed under `passphrase`: the text of a .cfbackup file. */
    create(passphrase: string): { fileName: string; content: string; createdAt: string } {
      gate.assertOpen();
      const createdAt = new Date().toISOString();
      // VACUUM INTO: a consistent copy of the database, WAL included, without stopping anything.
      const copy = join(paths.dataDir, `.backup-${randomBytes(6).toString('hex')}.db`);
      let database: Buffer;
      try {
        db.prepare('VACUUM INTO ?').run(copy);
        database = readFileSync(copy);
      } finally {
        rmSync(copy, { force: true });
      }
      // The keys in their portable form, never the file as it is: wrapped by the OS keychain,
      // it would open on this machine only, and the backup must restore anywhere.
      const content = sealBackup({ createdAt, database, keyFile: serialiseKeyFile(ring.keyFile), code: readCodeFiles(paths.codeDir) }, passphrase);
      writeMeta(db, 'lastBackupAt', createdAt);
      audit.append({ action: 'backup.created', detail: { bytes: content.length } });
      return { fileName: `crude-functions-backup-${createdAt.slice(0, 10)}.cfbackup`, content, createdAt };
    },

    status(): BackupStatus {
      const lastBackupAt = readMeta(db, 'lastBackupAt') ?? null;
      const lastChangeAt = (db.prepare(`SELECT max(at) FROM audit_log WHERE ${CHANGES}`).pluck().get() as string | null) ?? null;
      const days = settings.get().backupReminderDays;
      const unsaved = lastChangeAt !== null && (lastBackupAt === null || lastChangeAt > lastBackupAt);
      // Remind when changes have waited for a backup longer than the setting.
      const due = days > 0 && unsaved && Date.now() - Date.parse(lastBackupAt ?? lastChangeAt!) > days * DAY_MS;
      return { lastBackupAt, lastChangeAt, reminderDays: days, due, unsavedChanges: unsaved, firstStart };
    },
  };
}

/**
 * `--restore FILE`: writes a backup into a data folder that holds no installation yet.
 * Refuses a folder that does; checks passphrase and file before writing anything.
 */
export function restoreIntoFreshDataDir(paths: DataPaths, fileText: string, passphrase: string): { restoredFrom: string } {
  if (!isFreshDataDir(paths)) {
    throw new CoreError('CONFLICT', `--restore needs a fresh data folder, but ${paths.dataDir} already holds an installation. Choose another with --data-dir DIR, or restore from Settings → Backup in the app (the current data is then kept aside).`);
  }
  const snapshot = openBackup(fileText, passphrase);
  writeSnapshot(paths, snapshot);
  return { restoredFrom: snapshot.createdAt };
}
