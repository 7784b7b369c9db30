// What the api layer needs from the function host. The real host
// (src/main/core/host: createFunctionHost) satisfies it; tests may pass a stand-in.
import type { InvokeResult, OperationParsedInput } from '../../shared/contract';
import type { ExecutionLogEntry, HandlerPhase, HostStatus } from '../../shared/types';

export interface FunctionHostApi {
  start(): Promise<HostStatus>;
  stop(): Promise<void>;
  status(): HostStatus;
  invoke(input: OperationParsedInput<'functions.invoke'>): Promise<InvokeResult>;
  onExecution(listener: (entry: ExecutionLogEntry) => void): () => void;
  onRuntimePhase(listener: (functionId: number, phase: HandlerPhase) => void): () => void;
}

/** A host that is not running; for tests and for shells started without one. */
export function stubHost(): FunctionHostApi {
  const status: HostStatus = { url: null, port: null, running: false, requestedPort: 0 };
  return {
    start: async () => status,
    stop: async () => {},
    status: () => status,
    invoke: async () => {
      const { CoreError } = await import('../core/errors');
      throw new CoreError('HOST_UNAVAILABLE', 'The function host is not running.');
    },
    onExecution: () => () => {},
    onRuntimePhase: () => () => {},
  };
}
