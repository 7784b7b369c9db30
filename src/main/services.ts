// The main-process services both shells run: core, the function host, the key rotation
// scheduler, the event bus and the registry's dispatcher. Plain Node (no electron).
//
// Restoring a backup replaces core and the host under a running app, so the shells never
// hold them directly: `dispatch` is stable, and `core`/`host` are getters that answer the
// installation that is open now.
import type { RpcResponse } from '../shared/contract';
import { dataPaths, openCore, prepareKeys, type KeyProtector } from './core';
import type { Core } from './core/core-api';
import { isCoreError, validation } from './core/errors';
import { moveInstallationAside, openBackup, putInstallationBack, removeRestoredInstallation, writeSnapshot } from './core/backup';
import { createFunctionHost, seedExamples } from './core/host';
import { createDispatcher, type Dispatch } from './api/registry';
import { connectEvents, EventBus } from './api/events';
import type { FunctionHostApi } from './api/host-api';

export interface Services {
  readonly core: Core;
  readonly host: FunctionHostApi;
  bus: EventBus;
  dispatch: Dispatch;
  /** Stops the scheduler and the host, then closes core. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartServicesOptions {
  dataDir: string;
  mode: 'electron' | 'browser';
  nativeBinding?: string;
  hostPort?: number;
  /** Where a packaged app carries Deno and the bundled handler runtime (docs/handler-runtime.md). */
  handlerRuntime?: { denoPath?: string; runtimeFile?: string };
  /**
   * The OS keychain (Electron: safeStorage, src/main/key-protector.ts). With it, keys it
   * wrapped are unwrapped at open and a new installation's keys are wrapped from the start;
   * without it (browser mode) a data folder whose keys are wrapped is refused, saying why.
   */
  protector?: KeyProtector;
}

/** One open installation: its core, its host, its dispatcher and its event wiring. */
interface Installation {
  core: Core;
  host: FunctionHostApi;
  dispatch: Dispatch;
  disconnect: () => void;
}

const RESTORE_WAIT_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startServices(options: StartServicesOptions): Promise<Services> {
  const bus = new EventBus();
  let current: Installation;
  let restoring: Promise<unknown> | null = null;
  let inFlight = 0;

  /** `hostPort`: the port to serve on (a restore keeps the one callers already use). */
  async function open(seed: boolean, hostPort = options.hostPort): Promise<Installation> {
    // The keychain is asynchronous and openCore is not: unwrap first, then open.
    const keys = await prepareKeys(dataPaths(options.dataDir).keyFile, options.protector, { newInstallation: 'keychain' });
    const core = openCore({ dataDir: options.dataDir, nativeBinding: options.nativeBinding, keys, protector: options.protector, denoPath: options.handlerRuntime?.denoPath });
    let host: FunctionHostApi;
    try {
      if (seed && core.firstStart) seedExamples(core);
      host = createFunctionHost(core, { ...(hostPort === undefined ? {} : { port: hostPort }), ...options.handlerRuntime });
    } catch (err) {
      core.close();
      throw err;
    }
    const disconnect = connectEvents(bus, core, host);
    const dispatch = createDispatcher({ core, host, mode: options.mode, bus, restore });
    const status = await host.start();
    bus.emit('host.status', status);
    if (status.error) console.error(status.error);
    core.rotation.startScheduler();
    return { core, host, dispatch, disconnect };
  }

  async function close(installation: Installation): Promise<void> {
    installation.disconnect();
    installation.core.rotation.stopScheduler();
    try {
      await installation.host.stop();
    } catch (err) {
      console.error(`The function host did not stop cleanly: ${(err as Error).message}`);
    }
    installation.core.close();
  }

  /**
   * Replaces the open installation with a backup's. The passphrase and the file are checked
   * before anything is touched; the current installation is moved aside (not deleted), and
   * moved back if the restored one does not open.
   */
  async function restore(content: string, passphrase: string): Promise<{ restoredFrom: string; previousDataKeptIn: string }> {
    const snapshot = openBackup(content, passphrase);
    const run = (async () => {
      // Other calls already running finish first (new ones wait for the restore).
      const deadline = Date.now() + RESTORE_WAIT_MS;
      while (inFlight > 1 && Date.now() < deadline) await sleep(20);
      const paths = current.core.paths;
      // The functions URL stays what it was: callers and the status bar keep working.
      const port = current.host.status().port ?? options.hostPort;
      // A backup carries its keys in the portable form; the protection in force is kept.
      const protectionBefore = (await current.core.keyProtection.status()).protection;
      await close(current);
      const aside = moveInstallationAside(paths);
      try {
        writeSnapshot(paths, snapshot);
        current = await open(false, port);
      } catch (err) {
        removeRestoredInstallation(paths);
        putInstallationBack(paths, aside);
        current = await open(false, port);
        if (isCoreError(err)) throw err;
        throw validation('file', `The backup's installation does not open (${(err as Error).message}); your installation was put back unchanged.`);
      }
      current.core.audit.append({ action: 'backup.restored', detail: { backupCreatedAt: snapshot.createdAt, previousDataKeptIn: aside } });
      if (protectionBefore === 'keychain') {
        try {
          await current.core.keyProtection.set('keychain');
        } catch (err) {
          // Restored and open; Settings shows the keys under file protection, and why.
          console.error(`The restored keys stay protected by file permissions: ${(err as Error).message}`);
        }
      }
      bus.emit('data.changed', { operation: 'backup.restore' });
      return { restoredFrom: snapshot.createdAt, previousDataKeptIn: aside };
    })();
    restoring = run;
    try {
      return await run;
    } finally {
      restoring = null;
    }
  }

  current = await open(true);

  const dispatch: Dispatch = async (operation, rawInput, actor): Promise<RpcResponse<unknown>> => {
    while (restoring) await restoring.catch(() => {});
    inFlight++;
    try {
      return await current.dispatch(operation, rawInput, actor);
    } finally {
      inFlight--;
    }
  };

  let stopping: Promise<void> | null = null;
  return {
    get core() {
      return current.core;
    },
    get host() {
      return current.host;
    },
    bus,
    dispatch,
    stop: () =>
      (stopping ??= (async () => {
        while (restoring) await restoring.catch(() => {});
        await close(current);
      })()),
  };
}
