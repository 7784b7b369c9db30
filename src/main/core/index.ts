// Core: the encrypted store, resolution, API keys, functions, rotation and execution log.
// Plain Node only: this folder never imports electron (lint and a test enforce it).
import { chmodSync, existsSync, mkdirSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Core, DataPaths } from './core-api';
import { KEY_FILE_NAME, newKeyFile, readKeyFileText, removeStaleTempFiles, type KeyFile, type WriteHooks } from './crypto/key-file';
import { KeyFileStore, prepareKeysWithoutKeychain, type KeyProtector, type PreparedKeys } from './crypto/key-protection';
import { KeyRing } from './crypto/key-ring';
import { createKeyProtection } from './key-protection';
import { CoreError, notFound } from './errors';
import { createExecutionLog } from './executions/execution-log';
import { createCodeService } from './functions/code';
import { createFunctionService } from './functions/functions';
import { createGroupService } from './keys/groups';
import { createKeyService } from './keys/keys';
import { createRotation, type RotationHooks } from './rotation/rotation';
import type { AesHelper } from './rotation/rotation-helper';
import { createAuditLog } from './audit/audit-log';
import { createDeletePreviewer } from './secrets/delete-preview';
import { createSecretHistory } from './secrets/history';
import { storedScopeId } from './secrets/scope-records';
import { createWhatIf } from './secrets/what-if';
import { createImportExport } from './secrets/import-export';
import { createBackups } from './backup';
import { createResolver } from './secrets/resolution';
import { createSecretStore } from './secrets/secrets';
import { computedSecretCallsOf, secretUsesOf } from './secrets/uses';
import { createOverrides, similarNames } from './secrets/overrides';
import { healthReport } from './secrets/health';
import { checkHandlerFile } from './host/runtime/deno/check';
import { findDeno } from './host/runtime/deno/deno-binary';
import { denoEnv } from './host/runtime/deno/sandbox';
import type { CodeCheck } from '../../shared/contract';
import { createSettingsService, readMeta, writeMeta } from './settings/settings';
import { holdsCiphertext, openDatabase, type Db } from './store/database';
import { migrateData } from './store/data-migrations';
import { acquireLock } from './store/lock';
import { WriteGate } from './store/write-gate';
import { createServerStore, createSyncService, type ServerClient, type ServerTarget } from './sync';

export type { Core } from './core-api';
export { CoreError, isCoreError } from './errors';
export { prepareKeys, type KeyProtector, type KeychainAvailability, type PreparedKeys } from './crypto/key-protection';

export interface OpenCoreOptions {
  dataDir: string;
  /** better-sqlite3 addon built for Electron's ABI (see docs/native-modules.md). */
  nativeBinding?: string;
  /** Refuse a second instance on the same data directory (default true). */
  lock?: boolean;
  rotationHooks?: RotationHooks;
  /** Stale values from which a rotation shares its AES work with a helper thread (tests lower it). */
  rotationParallelFrom?: number;
  /** Replaces the rotation's helper thread (tests: one that fails). */
  rotationHelper?: (keys: KeyFile) => AesHelper;
  /** How sync reaches a server (default: HTTP); tests wrap it to fail on purpose. */
  serverClient?: (target: ServerTarget) => ServerClient;
  /**
   * The keys as prepareKeys read (and, when the OS keychain wraps them, unwrapped) them.
   * Without it openCore reads the key file itself and refuses a keychain-wrapped one.
   */
  keys?: PreparedKeys;
  /** The OS keychain, for switching protection on (the Electron shell's safeStorage; tests: a stand-in). */
  protector?: KeyProtector;
  /** Test seam: interrupts key-file writes (crash tests of switching protection). */
  keyFileHooks?: WriteHooks;
  /** The Deno binary for checking handler files (a packaged app's); default: the npm package's. */
  denoPath?: string;
}

export function dataPaths(dataDir: string): DataPaths {
  const dir = resolve(dataDir);
  return {
    dataDir: dir,
    databaseFile: join(dir, 'database.db'),
    keyFile: join(dir, KEY_FILE_NAME),
    codeDir: join(dir, 'code'),
  };
}

/**
 * Loads the prepared keys, or creates a key file for a new installation (in the prepared
 * protection); never creates keys over existing ciphertext.
 */
function loadKeys(db: Db, paths: DataPaths, options: OpenCoreOptions): { ring: KeyRing; store: KeyFileStore } {
  removeStaleTempFiles(paths.keyFile);
  const prepared = options.keys ?? prepareKeysWithoutKeychain(paths.keyFile);
  // Read before the lock was taken: refuse keys another instance has changed since.
  if (options.keys && readKeyFileText(paths.keyFile) !== prepared.text) {
    throw new CoreError('KEY_FILE', `The key file ${paths.keyFile} changed while the app was starting (another instance?). Start again. Nothing was changed.`);
  }
  const store = new KeyFileStore(paths.keyFile, prepared.protection, options.keyFileHooks);
  let keys = prepared.keys;
  const installationId = readMeta(db, 'installationId');
  if (!keys) {
    if (holdsCiphertext(db)) {
      throw new CoreError(
        'KEY_FILE',
        `The key file ${paths.keyFile} is missing, but the database ${paths.databaseFile} holds encrypted secrets and API keys. ` +
          'Restore encryption-keys.json from the backup you made together with the database, or start with --restore-keys FILE and your recovery kit. Nothing was changed.',
      );
    }
    keys = newKeyFile();
    store.write(keys);
    writeMeta(db, 'installationId', keys.installationId);
  } else if (installationId === undefined) {
    writeMeta(db, 'installationId', keys.installationId);
  } else if (installationId !== keys.installationId) {
    throw new CoreError(
      'KEY_FILE',
      `The key file ${paths.keyFile} belongs to another installation than the database ${paths.databaseFile}. ` +
        'Put back the key file that was backed up with this database. Nothing was changed.',
    );
  }
  // The keychain renewed its wrapping of the key-encryption key: store it (same keys).
  if (prepared.keys && prepared.rewrap) store.write(keys);
  return { ring: new KeyRing(keys), store };
}

/** Opens (creating on first start) a data directory and returns core's services. */
export function openCore(options: OpenCoreOptions): Core {
  const paths = dataPaths(options.dataDir);
  if (!existsSync(paths.dataDir)) mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dataDir, 0o700);
  const releaseLock = options.lock === false ? () => {} : acquireLock(join(paths.dataDir, 'app.lock'), paths.dataDir);
  let db: Db | undefined;
  try {
    const firstStart = !existsSync(paths.databaseFile);
    db = openDatabase(paths.databaseFile, options.nativeBinding);
    const { ring, store: keyFile } = loadKeys(db, paths, options);
    // Before an interrupted rotation is finished: it re-encrypts bound values only.
    migrateData(db, ring);
    const gate = new WriteGate();
    const settings = createSettingsService(db);
    const audit = createAuditLog(db, ring, gate, settings);
    const history = createSecretHistory(db, ring, settings);
    const previews = createDeletePreviewer(db);
    const code = createCodeService(paths.codeDir);
    const groups = createGroupService(db, ring, gate, previews, audit);
    const keys = createKeyService(db, ring, gate, previews, audit);
    const functions = createFunctionService(db, ring, code, gate, previews, audit);
    const store = createSecretStore(db, ring, gate, history, audit);
    const resolver = createResolver(db, store);
    const whatIf = createWhatIf(db, store, history);
    const importExport = createImportExport({ db, store, gate, audit, preview: whatIf.preview });
    const backups = createBackups(db, paths, ring, gate, settings, audit, firstStart);
    const keyProtection = createKeyProtection({ db, ring, store: keyFile, gate, audit, protector: options.protector });
    const rotation = createRotation({
      db,
      ring,
      keyFile,
      databaseFile: paths.databaseFile,
      gate,
      settings,
      hooks: options.rotationHooks,
      parallelFrom: options.rotationParallelFrom,
      helper: options.rotationHelper,
      audit,
    });
    const executions = createExecutionLog(db, ring, gate, settings);
    const overrides = createOverrides(db, resolver);

    // Deno's cache is the function host's (<data-dir>/deno/cache): a check sees the
    // dependencies the last call downloaded, and downloads nothing itself.
    const denoDir = join(paths.dataDir, 'deno');
    const checkCode = async (path: string): Promise<CodeCheck> => {
      const file = code.resolve(path);
      if (!existsSync(file)) throw notFound('Handler file', path);
      let deno: string;
      try {
        deno = findDeno(options.denoPath);
      } catch (e) {
        return { diagnostics: [], typeChecked: false, note: (e as Error).message };
      }
      mkdirSync(denoDir, { recursive: true, mode: 0o700 });
      return checkHandlerFile(file, { deno, codeDir: realpathSync(paths.codeDir), env: denoEnv(join(denoDir, 'cache'), process.env), cwd: denoDir });
    };
    const codeService = { ...code, check: checkCode };
    const servers = createServerStore(db, ring, gate, audit);
    const sync = createSyncService({ db, ring, gate, audit, servers, groups, keys, functions, code: codeService, store, clientFor: options.serverClient });
    // A function's last call is in the execution log, written in batches: flush first so
    // that "last call" is the call that just returned.
    const functionsWithLog = {
      ...functions,
      list: () => {
        executions.flush();
        return functions.list();
      },
      get: (id: number) => {
        executions.flush();
        return functions.get(id);
      },
    };

    groups.ensureManagementGroup();
    rotation.finishInterruptedRotation();
    history.trimAll();
    audit.trim();

    const openDb = db;
    return {
      paths,
      firstStart,
      groups,
      keys,
      functions: functionsWithLog,
      code: codeService,
      settings: {
        get: settings.get,
        set(patch) {
          const result = settings.set(patch);
          audit.append({ action: 'settings.changed', detail: { settings: Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined) } });
          return result;
        },
      },
      rotation,
      keyProtection,
      executions,
      audit: { list: audit.list, verify: audit.verify, exportLines: (f) => audit.exportLines(f), append: audit.append, trim: audit.trim },
      changes: { preview: whatIf.preview },
      backups,
      servers: {
        list: servers.list,
        get: servers.get,
        create: servers.create,
        update: servers.update,
        delete(id) {
          servers.delete(id);
          sync.forget(id);
        },
      },
      sync: {
        test: sync.test,
        compare: sync.compare,
        reveal: sync.reveal,
        pull: sync.pull,
        pushPreview: sync.pushPreview,
        push: sync.push,
      },
      secrets: {
        list: store.list,
        create: store.create,
        update: store.update,
        delete: store.delete,
        reveal: (id, purpose) => store.reveal(id, purpose),
        history(id) {
          const r = store.row(id);
          return history.list(r);
        },
        historyAt: (scope, scopeId, name) => history.list({ scope, scope_id: storedScopeId(scope, scopeId, openDb), name }),
        revealVersion(versionId, purpose = 'reveal') {
          const v = history.row(versionId);
          const value = history.decrypt(v);
          audit.append({ action: purpose === 'copy' ? 'secret.copied' : 'secret.revealed', recordKind: 'secret', recordName: v.name, scope: v.scope, scopeId: v.scope_id, detail: { version: v.n } });
          return value;
        },
        deleted: (scope, scopeId) => history.deleted(scope, storedScopeId(scope, scopeId, openDb)),
        importPreview: importExport.preview,
        importEntries: importExport.apply,
        exportScope: importExport.exportScope,
        restore(versionId) {
          const v = history.row(versionId);
          const value = history.decrypt(v);
          const live = openDb.prepare('SELECT id FROM secrets WHERE scope = ? AND scope_id = ? AND name = ?').get(v.scope, v.scope_id, v.name) as { id: number } | undefined;
          const cause = { change: 'restored' as const, restoredFrom: v.n };
          return live
            ? store.update({ id: live.id, value, comment: v.comment }, cause)
            : store.create({ name: v.name, value, scope: v.scope, scopeId: v.scope === 'global' ? null : v.scope_id, comment: v.comment }, cause);
        },
        names: store.names,
        getSecret: resolver.getSecret,
        getCompleteSecret: resolver.getCompleteSecret,
        explain: resolver.explain,
        callerContext: resolver.callerContext,
        inspect: resolver.inspect,
        matrix: resolver.matrix,
        usesOf: (functionId) => secretUsesOf(functionId, { functions, code, keys, resolver }),
        deletePreview: (kind, id) => previews.preview(kind, id),
        computedCallsOf: (functionId) => computedSecretCallsOf(functionId, { functions, code }),
        overridesIn: overrides.overridesIn,
        inheritedIn: overrides.inheritedIn,
        callerOverview: overrides.callerOverview,
        similarNames: (name) => similarNames(name, store.names()),
      },
      health: () => healthReport({ db: openDb, functions: functionsWithLog, code, executions, resolver, rotation }),
      close() {
        rotation.stopScheduler();
        executions.flush();
        // A rotation still running is abandoned like a crash: rolled back, finished at next start.
        if (openDb.inTransaction) openDb.exec('ROLLBACK');
        openDb.close();
        releaseLock();
      },
    };
  } catch (e) {
    db?.close();
    releaseLock();
    throw e;
  }
}
