// Preload (sandboxed, CommonJS): exposes `window.crudeBridge`, the contract's two calls
// over one IPC channel (call an operation, listen to an event); the renderer builds the
// typed client `window.crude` on it, as it does over HTTP in browser mode. Raw
// ipcRenderer is never exposed. A sandboxed preload can require only 'electron', so this
// file imports no package (test/electron/preload.test.ts checks the build).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CrudeBridge } from '../shared/client';
import type { EventName, OperationName, RpcResponse } from '../shared/contract';

const INVOKE_CHANNEL = 'crude:invoke';
const EVENT_CHANNEL = 'crude:event';

async function call(operation: OperationName, input: unknown): Promise<unknown> {
  const res = (await ipcRenderer.invoke(INVOKE_CHANNEL, operation, input)) as RpcResponse<unknown>;
  if (res.ok) return res.data;
  // contextBridge copies only an Error's message, so a plain object carries code and field;
  // the renderer reads errors by duck type (errorMessage / errorField / errorCode).
  const e = res.error;
  throw e.field === undefined
    ? { name: 'RpcError', code: e.code, message: e.message }
    : { name: 'RpcError', code: e.code, message: e.message, field: e.field };
}

function subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
  const handler = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
    if (name === event) listener(payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  };
}

const bridge: CrudeBridge = { call: (operation, input) => call(operation, input ?? {}), on: subscribe };
contextBridge.exposeInMainWorld('crudeBridge', bridge);
