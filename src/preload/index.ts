// Preload (sandboxed, CommonJS): exposes `window.crude`, the typed client built from the
// contract, over one IPC channel. Raw ipcRenderer is never exposed.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildClient, type EventName, type RpcResponse } from '../shared/contract';

const INVOKE_CHANNEL = 'crude:invoke';
const EVENT_CHANNEL = 'crude:event';

async function invoke(operation: string, input: unknown): Promise<unknown> {
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

contextBridge.exposeInMainWorld('crude', buildClient(invoke, subscribe));
