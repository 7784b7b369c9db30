// Core: the encrypted store, resolution, API keys, functions, rotation and execution log.
// Plain Node only: this folder never imports electron (lint and a test enforce it).
import { chmodSync, existsSync, mkdirSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Core, DataPaths } from './core-api';
import { KEY_FILE_NAME, newKeyFile, readKeyFile, removeStaleTempFiles, writeKeyFile, type KeyFile } from './crypto/key-file';
import { KeyRing } from './crypto/key-ring';
import { CoreError, notFound } from './errors';
import { createExecutionLog } from './executions/execution-log';
import { createCodeService } from './functions/code';
import { createFunctionService } from './functions/functions';
import { createGroupService } from './keys/groups';
import { createKeyService } from './keys/keys';
import { createRotation, type RotationHooks } from './rotation/rotation';
import type { AesHelper } from './rotation/rotation-helper';
import { createDeletePreviewer } from './secrets/delete-preview';
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

export type { Core } from './core-api';
export { CoreError, isCoreError } from './errors';

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

/** Loads the key file, or creates one for a new installation; never creates keys over existing ciphertext. */
function loadKeys(db: Db, paths: DataPaths): KeyRing {
  removeStaleTempFiles(paths.keyFile);
  let keys = readKeyFile(paths.keyFile);
  const installationId = readMeta(db, 'installationId');
  if (!keys) {
    if (holdsCiphertext(db)) {
      throw new CoreError(
        'KEY_FILE',
        `The key file ${paths.keyFile} is missing, but the database ${paths.databaseFile} holds encrypted secrets and API keys. ` +
          'Restore encryption-keys.json from the backup you made together with the database. Nothing was changed.',
      );
    }
    keys = newKeyFile();
    writeKeyFile(paths.keyFile, keys);
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
  return new KeyRing(keys);
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
    const ring = loadKeys(db, paths);
    // Before an interrupted rotation is finished: it re-encrypts bound values only.
    migrateData(db, ring);
    const gate = new WriteGate();
    const settings = createSettingsService(db);
    const previews = createDeletePreviewer(db);
    const code = createCodeService(paths.codeDir);
    const groups = createGroupService(db, ring, gate, previews);
    const keys = createKeyService(db, ring, gate, previews);
    const functions = createFunctionService(db, ring, code, gate, previews);
    const store = createSecretStore(db, ring, gate);
    const resolver = createResolver(db, store);
    const rotation = createRotation({
      db,
      ring,
      keyFilePath: paths.keyFile,
      databaseFile: paths.databaseFile,
      gate,
      settings,
      hooks: options.rotationHooks,
      parallelFrom: options.rotationParallelFrom,
      helper: options.rotationHelper,
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

    const openDb = db;
    return {
      paths,
      firstStart,
      groups,
      keys,
      functions: functionsWithLog,
      code: { ...code, check: checkCode },
      settings,
      rotation,
      executions,
      secrets: {
        list: store.list,
        create: store.create,
        update: store.update,
        delete: store.delete,
        reveal: (id) => store.decrypt(store.row(id)),
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
