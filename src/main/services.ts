// The main-process services both shells run: core, the function host, the key rotation
// scheduler, the event bus and the registry's dispatcher. Plain Node (no electron).
import { openCore } from './core';
import type { Core } from './core/core-api';
import { createFunctionHost, seedExamples } from './core/host';
import { createDispatcher, type Dispatch } from './api/registry';
import { connectEvents, EventBus } from './api/events';
import type { FunctionHostApi } from './api/host-api';

export interface Services {
  core: Core;
  host: FunctionHostApi;
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
}

export async function startServices(options: StartServicesOptions): Promise<Services> {
  const core = openCore({ dataDir: options.dataDir, nativeBinding: options.nativeBinding, denoPath: options.handlerRuntime?.denoPath });
  let host: FunctionHostApi;
  try {
    if (core.firstStart) seedExamples(core);
    host = createFunctionHost(core, { ...(options.hostPort === undefined ? {} : { port: options.hostPort }), ...options.handlerRuntime });
  } catch (err) {
    core.close();
    throw err;
  }
  const bus = new EventBus();
  const disconnect = connectEvents(bus, core, host);
  const dispatch = createDispatcher({ core, host, mode: options.mode, bus });
  const status = await host.start();
  bus.emit('host.status', status);
  if (status.error) console.error(status.error);
  core.rotation.startScheduler();

  let stopping: Promise<void> | null = null;
  return {
    core,
    host,
    bus,
    dispatch,
    stop: () =>
      (stopping ??= (async () => {
        disconnect();
        core.rotation.stopScheduler();
        try {
          await host.stop();
        } catch (err) {
          console.error(`The function host did not stop cleanly: ${(err as Error).message}`);
        }
        core.close();
      })()),
  };
}
