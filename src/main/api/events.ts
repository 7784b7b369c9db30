// One bus for the events main pushes to the renderer (ContractEvents). Core and the
// function host report into it; each transport forwards it (IPC send, SSE stream).
import type { ContractEvents, EventName } from '../../shared/contract';
import type { Core } from '../core/core-api';
import type { FunctionHostApi } from './host-api';

export type BusListener = <E extends EventName>(event: E, payload: ContractEvents[E]) => void;

export class EventBus {
  private readonly listeners = new Set<BusListener>();

  on(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit<E extends EventName>(event: E, payload: ContractEvents[E]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event, payload);
      } catch (err) {
        // One broken subscriber (a closed window, a dropped stream) must not stop the others.
        console.error(`[events] a listener of ${event} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

/** Forwards rotation progress, rotation results, new executions and handler phases into the bus. */
export function connectEvents(bus: EventBus, core: Core, host: FunctionHostApi): () => void {
  const offs = [
    core.rotation.onProgress((p) => bus.emit('rotation.progress', { done: p.done, total: p.total })),
    core.rotation.onFinished((r) => bus.emit('rotation.finished', r)),
    // Only identifiers and the status: console output and traces are fetched with functions.logs.
    host.onExecution((e) =>
      bus.emit('executions.new', { functionId: e.functionId, requestId: e.requestId, status: e.status }),
    ),
    host.onRuntimePhase((functionId, phase) => bus.emit('functions.runtime', { functionId, phase })),
  ];
  return () => {
    for (const off of offs) off();
  };
}
