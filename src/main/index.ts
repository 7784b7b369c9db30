// The Electron shell: single instance, data directory, core + host + scheduler (services.ts),
// the IPC transport, one secure window, the menu, deep links, and cleanup on quit.
// Everything else lives in plain-Node modules so browser mode and tests share it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, session, shell } from 'electron';
import { DEEP_LINK_SCHEME, findDeepLink } from '../shared/deep-link';
import { forwardEvents, registerIpc } from './api/ipc-transport';
import { menuTemplate } from './app-menu';
import { CliError, parseCliArgs } from './cli-args';
import { findDeno } from './core/host/runtime/deno/deno-binary';
import { instanceProfileDir, resolveDataDir } from './data-dir';
import { LinkInbox } from './deep-links';
import { aboutDetail, denoVersion, docsLocation } from './help';
import { packagedPaths } from './packaged-paths';
import { electronKeyProtector } from './key-protector';
import { restoreFromFlag, restoreKeysFromFlag } from './restore-flag';
import { startServices, type Services } from './services';
import { openFailureMessage, showsErrorBox } from './startup-failure';
import {
  allowNavigation,
  allowPermission,
  CONTENT_SECURITY_POLICY,
  decideLink,
  isAppUrl,
  secureWebPreferences,
} from './window-security';
import { loadWindowState, saveWindowState } from './window-state';

const here = dirname(fileURLToPath(import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const rendererIndex = join(here, '../renderer/index.html');
const devServerUrl = !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;
const appUrls = { rendererIndexUrl: pathToFileURL(rendererIndex).toString(), devServerUrl };

let services: Services | null = null;
let mainWindow: BrowserWindow | null = null;
let dataDir = '';
/** Deep links wait here until a page can be sent them (src/main/deep-links.ts). */
const links = new LinkInbox();

/** Says why on stderr (and in an error box unless under a test: CRUDE_UNDER_TEST=1), then exits. */
function fail(message: string): never {
  console.error(message);
  if (showsErrorBox(process.env, app.isReady())) dialog.showErrorBox('Crude Functions Desktop could not start', message);
  app.exit(1);
  throw new Error(message);
}

/**
 * A packaged app carries the Deno binary in resources/deno/ and the handler runtime
 * unpacked from the asar archive (Deno cannot read inside it); in development both are
 * found in node_modules and out/main (docs/handler-runtime.md).
 */
function packagedHandlerRuntime(): { denoPath?: string; runtimeFile?: string } | undefined {
  if (!app.isPackaged) return undefined;
  const { denoPath, runtimeFile } = packagedPaths(process.resourcesPath);
  return { denoPath, runtimeFile };
}

/**
 * better-sqlite3 built for Electron's ABI (scripts/native-electron.mjs), when present and
 * built for this Electron version; otherwise better-sqlite3's default lookup.
 */
function electronNativeBinding(): string | undefined {
  const dir = join(app.getAppPath(), '.native/electron');
  const binding = join(dir, 'better_sqlite3.node');
  try {
    const builtFor = readFileSync(join(dir, 'electron-version.txt'), 'utf8').trim();
    if (builtFor === process.versions.electron && existsSync(binding)) return binding;
  } catch {
    // not built yet
  }
  // A packaged app ships its Electron build in its resources.
  const packaged = packagedPaths(process.resourcesPath).nativeBinding;
  return app.isPackaged && existsSync(packaged) ? packaged : undefined;
}

function openExternal(url: string): void {
  const d = decideLink(url);
  if ('openExternal' in d) void shell.openExternal(d.openExternal);
}

function createWindow(): BrowserWindow {
  const state = loadWindowState(dataDir);
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Crude Functions Desktop',
    // The isolation switches are restated literally so static scanners (Electronegativity,
    // `npm run lint:electron`) can see them; the values come from window-security.ts, which
    // test/electron/window-security.test.ts checks.
    webPreferences: { ...secureWebPreferences(preloadPath), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  win.webContents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (allowNavigation(url, appUrls)) return;
    event.preventDefault();
    openExternal(url);
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!allowNavigation(url, appUrls)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());

  const stopForwarding = services ? forwardEvents(services.bus, win.webContents) : () => {};
  // Links that arrive from now on go to this page as app.navigate events (ContractEvents).
  win.webContents.on('did-finish-load', () => links.open((navigation) => services?.bus.emit('app.navigate', navigation)));
  win.on('close', () => {
    const b = win.getNormalBounds();
    saveWindowState(dataDir, { width: b.width, height: b.height, x: b.x, y: b.y, maximized: win.isMaximized() });
  });
  win.on('closed', () => {
    stopForwarding();
    links.close();
    if (mainWindow === win) mainWindow = null;
  });

  // A link that started the app (or reopened its window on macOS) opens the page at its
  // route: the renderer reads location.hash, as in browser mode.
  const route = links.takeInitialRoute();
  if (devServerUrl) void win.loadURL(`${devServerUrl}${route ?? ''}`);
  else void win.loadFile(rendererIndex, route ? { hash: route.slice(1) } : undefined);
  return win;
}

function denoPath(): string | null {
  try {
    return findDeno(packagedHandlerRuntime()?.denoPath);
  } catch {
    return null;
  }
}

async function showAbout(): Promise<void> {
  const detail = aboutDetail({
    app: app.getVersion(),
    electron: process.versions.electron ?? '?',
    chrome: process.versions.chrome,
    node: process.versions.node,
    deno: await denoVersion(denoPath()),
  });
  const options = { type: 'info' as const, title: 'About Crude Functions Desktop', message: 'Crude Functions Desktop', detail, buttons: ['OK'] };
  await (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
}

async function openDocs(): Promise<void> {
  const docs = docsLocation({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath ?? '' });
  // openPath answers with an error text (no app for .md files, say): the folder then.
  if (await shell.openPath(docs.file)) await shell.openPath(docs.folder);
}

function buildMenu(): void {
  const template = menuTemplate({
    platform: process.platform,
    isPackaged: app.isPackaged,
    actions: {
      about: () => void showAbout(),
      openDataFolder: () => void shell.openPath(dataDir),
      openDocs: () => void openDocs(),
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/**
 * A deep link from the OS (argv of this or a second instance, macOS open-url). Refused
 * links are reported by their notice, which never repeats what the link carried.
 */
function receiveLink(link: string): void {
  const navigation = links.receive(link);
  if ('notice' in navigation) console.error(navigation.notice);
  if (!services) return; // still starting: the first window opens at it
  if (!mainWindow) {
    mainWindow = createWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(allowPermission(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => allowPermission(permission));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternal(url);
      return { action: 'deny' };
    });
  });
}

/**
 * Test hook (test/electron/smoke.test.ts): once the page has loaded, asks the renderer
 * whether window.crude answers and prints one `CRUDE_SMOKE {...}` line, then quits.
 */
function runSmokeCheck(win: BrowserWindow): void {
  win.webContents.once('did-finish-load', () => {
    void win.webContents
      .executeJavaScript(
        `(async () => ({ crude: typeof window.crude, require: typeof window.require, process: typeof window.process,
           groups: (await window.crude.groups.list({})).map((g) => g.name) }))()`,
      )
      .then(
        (r: unknown) => console.log(`CRUDE_SMOKE ${JSON.stringify({ ok: true, ...(r as object) })}`),
        (e: unknown) => console.log(`CRUDE_SMOKE ${JSON.stringify({ ok: false, message: String(e) })}`),
      )
      .finally(() => app.quit());
  });
}

async function main(): Promise<void> {
  // macOS hands links to the running app (also the one a link starts) as open-url, which
  // may come before 'ready'; Windows and Linux pass them on the command line.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    receiveLink(url);
  });
  let args;
  try {
    args = parseCliArgs(process.argv.slice(1));
  } catch (err) {
    if (err instanceof CliError) fail(err.message);
    throw err;
  }
  const defaultUserData = app.getPath('userData');
  dataDir = resolveDataDir({ flag: args.dataDir, env: process.env, userDataDir: () => defaultUserData });
  // One instance per data directory (the lock lives in Chromium's profile folder).
  const profile = instanceProfileDir(defaultUserData, dataDir, Boolean(args.dataDir || process.env.CRUDE_DATA_DIR));
  if (profile !== defaultUserData) app.setPath('userData', profile);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', (_event, argv) => {
    const link = findDeepLink(argv);
    if (link) receiveLink(link);
    else if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  const firstLink = findDeepLink(process.argv);
  if (firstLink) receiveLink(firstLink);
  // Only an installed app claims the scheme: a checkout (npm start, tests) must not point
  // the system's crude-functions:// links at itself. The Linux packages' .desktop file and
  // the macOS bundle declare it too (electron-builder.yml).
  if (app.isPackaged) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);

  await app.whenReady();
  hardenSessions();
  try {
    if (args.restore) console.error(await restoreFromFlag(args.restore, dataDir, process.env));
    const keysRestored = args.restoreKeys ? await restoreKeysFromFlag(args.restoreKeys, dataDir, process.env, electronNativeBinding()) : null;
    if (keysRestored) console.error(keysRestored.message);
    services = await startServices({
      dataDir,
      mode: 'electron',
      nativeBinding: electronNativeBinding(),
      hostPort: args.hostPort,
      handlerRuntime: packagedHandlerRuntime(),
      // safeStorage is usable once the app is ready (it is here).
      protector: electronKeyProtector(safeStorage),
    });
    if (keysRestored) services.core.audit.append({ action: 'recovery-kit.restored', detail: { kitCreatedAt: keysRestored.restored.kitCreatedAt, keyVersion: keysRestored.restored.keyVersion } });
  } catch (err) {
    fail(openFailureMessage(err, dataDir));
  }
  registerIpc(ipcMain, services.dispatch, (url) => isAppUrl(url, appUrls));
  buildMenu();
  mainWindow = createWindow();
  if (process.env.CRUDE_SMOKE_TEST === '1') runSmokeCheck(mainWindow);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let cleanedUp = false;
  app.on('before-quit', (event) => {
    if (cleanedUp || !services) return;
    event.preventDefault();
    const s = services;
    void s.stop().finally(() => {
      cleanedUp = true;
      services = null;
      app.quit();
    });
  });
}

void main();
