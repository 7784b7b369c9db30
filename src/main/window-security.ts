// The Electron window's security settings, as a pure module (no electron import) so
// tests can assert them and browser mode can send the same CSP.

/** Strict CSP for the renderer: only the app's own scripts, no eval, no remote content. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // CodeMirror and React set inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  spellcheck: false;
  /** Middle-click (auxclick) could open links past the navigation guards. */
  disableBlinkFeatures: 'Auxclick';
}

export function secureWebPreferences(preloadPath: string): SecureWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    disableBlinkFeatures: 'Auxclick',
  };
}

/**
 * Whether `url` belongs to the app: the built renderer (file:// below `rendererDir`'s
 * index.html) or, in `npm run dev`, the dev server's origin.
 */
export function isAppUrl(url: string, app: { rendererIndexUrl: string; devServerUrl?: string | null }): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (app.devServerUrl) {
    try {
      if (u.origin === new URL(app.devServerUrl).origin && u.protocol.startsWith('http')) return true;
    } catch {
      // ignore a malformed dev URL
    }
  }
  if (u.protocol !== 'file:') return false;
  const index = new URL(app.rendererIndexUrl);
  return u.pathname === index.pathname;
}

/** What to do with a link the page tries to open or navigate to. */
export type LinkDecision = { action: 'deny' } | { action: 'deny'; openExternal: string };

/** Navigation and window.open are always denied; http(s) links go to the OS browser. */
export function decideLink(url: string): LinkDecision {
  try {
    const u = new URL(url);
    if (u.protocol === 'https:' || u.protocol === 'http:') return { action: 'deny', openExternal: u.toString() };
  } catch {
    // not a URL: just deny
  }
  return { action: 'deny' };
}

/** Navigation inside the window: only reloads of the app itself. */
export function allowNavigation(url: string, app: { rendererIndexUrl: string; devServerUrl?: string | null }): boolean {
  return isAppUrl(url, app);
}

/** Every permission request (camera, notifications, clipboard, …) is refused. */
export function allowPermission(_permission: string): boolean {
  return false;
}

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized?: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820 };

/** Sanitises a remembered window state read from window-state.json. */
export function parseWindowState(raw: unknown): WindowState {
  if (!raw || typeof raw !== 'object') return { ...DEFAULT_WINDOW_STATE };
  const r = raw as Record<string, unknown>;
  const num = (v: unknown, min: number, max: number) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? Math.round(v) : undefined;
  const width = num(r.width, 400, 10000) ?? DEFAULT_WINDOW_STATE.width;
  const height = num(r.height, 300, 10000) ?? DEFAULT_WINDOW_STATE.height;
  const x = num(r.x, -20000, 20000);
  const y = num(r.y, -20000, 20000);
  const state: WindowState = { width, height };
  if (x !== undefined && y !== undefined) {
    state.x = x;
    state.y = y;
  }
  if (r.maximized === true) state.maximized = true;
  return state;
}
