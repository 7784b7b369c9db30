// The Electron transport: one channel, 'crude:invoke' (operation, input) → RpcResponse,
// answered only for the app's own frame. Events go out as 'crude:event' (name, payload).
// Electron is not imported here: the shell passes ipcMain, so tests use a stand-in.
import type { RpcResponse } from '../../shared/contract';
import type { EventBus } from './events';
import type { Dispatch } from './registry';

export const INVOKE_CHANNEL = 'crude:invoke';
export const EVENT_CHANNEL = 'crude:event';

/** The part of an IpcMainInvokeEvent the transport reads. */
export interface InvokeEventLike {
  senderFrame?: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** Registers the invoke channel; returns the function that removes it. */
export function registerIpc(
  ipcMain: IpcMainLike,
  dispatch: Dispatch,
  isTrustedSender: (frameUrl: string) => boolean,
): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, operation, input): Promise<RpcResponse<unknown>> => {
    const url = event.senderFrame?.url;
    if (!url || !isTrustedSender(url)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This frame may not call the app.' } };
    }
    return dispatch(typeof operation === 'string' ? operation : String(operation), input, { via: 'window' });
  });
  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}

export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** Forwards every bus event to a window's web contents; returns the unsubscribe. */
export function forwardEvents(bus: EventBus, webContents: WebContentsLike): () => void {
  return bus.on((name, payload) => {
    if (!webContents.isDestroyed()) webContents.send(EVENT_CHANNEL, name, payload);
  });
}
