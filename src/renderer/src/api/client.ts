// The one door to main: `window.crude`, built here on preload's bridge (Electron) or
// over HTTP (browser mode). Screens import `crude()` from here.
import type { CrudeClient } from '../../../shared/contract';
import { buildClient, RpcError, type CrudeBridge } from '../../../shared/client';
import { createHttpClient } from '../../../shared/http-client';

export { RpcError };
export type { CrudeClient };

type CrudeWindow = Window & { crude?: CrudeClient; crudeBridge?: CrudeBridge };

const TOKEN_KEY = 'crude.session-token';

export function crude(): CrudeClient {
  const c = (window as CrudeWindow).crude;
  if (!c) throw new Error('window.crude is not installed');
  return c;
}

/**
 * Makes sure `window.crude` exists. In browser mode the session token arrives in the URL
 * fragment once; it is moved to sessionStorage and removed from the address bar so it never
 * lingers in history or screenshots. Returns false when no token is available.
 */
export function installClient(): boolean {
  const w = window as CrudeWindow;
  if (w.crude) return true;
  if (w.crudeBridge) {
    // Electron: preload's bridge carries the calls over IPC.
    w.crude = buildClient(w.crudeBridge.call, w.crudeBridge.on);
    return true;
  }
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  let token: string | null = null;
  if (match?.[1]) {
    token = decodeURIComponent(match[1]);
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', location.pathname + location.search);
  } else {
    token = sessionStorage.getItem(TOKEN_KEY);
  }
  if (!token) return false;
  w.crude = createHttpClient(location.origin, token);
  return true;
}

/** A message a person can act on, whatever was thrown. */
// Duck-typed: errors crossing Electron's contextBridge lose their class.
export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}

/** The field an error concerns, when the server named one. */
export function errorField(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'field' in err) {
    const f = (err as { field: unknown }).field;
    return typeof f === 'string' ? f : undefined;
  }
  return undefined;
}

export function errorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err) return String((err as { code: unknown }).code);
  return undefined;
}
