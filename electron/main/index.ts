// The Electron main process, kept thin: windows, displays and the bridge. The
// data lives in the data service (a utilityProcess, restarted if it dies); the
// renderer reaches it only through one IPC channel whose method names are
// checked against CONTRACT. The bridge carries the page's session token and names
// the seat (the window, from the checked sender); the service decides. Pushes go to
// each window as the person at it may see them (one subscription per window,
// window-sessions.ts); the wall window runs as a viewer without a login.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, app, ipcMain, screen, session } from 'electron';
import type { IpcMainInvokeEvent, WebPreferences } from 'electron';
import { IPC } from '../../core/api/channels';
import { apiError, isMethodName, isPushTopic } from '../../core/api/contract';
import { methodLabel } from '../../core/api/validate';
import { isTrustedSender, pageUrl as pageUrlOf } from './app-path';
import { chooseWallDisplay } from './displays';
import { CrashReloads, appMenuTemplate, devServerUrl } from './hardening';
import { handleAppScheme, registerAppScheme } from './renderer-protocol';
import { SETTINGS_FILE, parseSettings, serviceLaunch } from './service-args';
import { ServiceHost } from './service-host';
import type { WindowKind } from './window-sessions';
import { WindowSessions, tokenOf } from './window-sessions';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const RENDERER_DIR = join(HERE, '../renderer');
const PRELOAD = join(HERE, '../preload/index.cjs');
const SERVICE = join(HERE, 'service.js');
/**
 * Set by `electron-vite dev`: the renderer comes from the dev server, with hot reload.
 * Never in a packaged app, where any program of the user could set it (hardening.ts).
 */
const DEV_SERVER = devServerUrl(process.env, app.isPackaged);
const FORCE_WALL = process.argv.includes('--wall');

const webPreferences: WebPreferences = {
  preload: PRELOAD,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  // The wall and the console of a packaged app have no DevTools (also no menu entry for them).
  devTools: !app.isPackaged,
};

registerAppScheme();

// A second console on the same replica would fight over the database: the first one is
// focused ('second-instance' below) and this one exits at once, before it starts anything.
const firstInstance = app.requestSingleInstanceLock();
if (!firstInstance) app.exit(0);

const windows = new Set<BrowserWindow>();
/** Set once the service host runs: each window's session and push subscription. */
let sessions: WindowSessions | null = null;

const pageUrl = (route: string): string => pageUrlOf(route, DEV_SERVER);
const windowId = (win: BrowserWindow): string => String(win.webContents.id);

function track(win: BrowserWindow, kind: WindowKind): BrowserWindow {
  const id = windowId(win);
  windows.add(win);
  sessions?.open(id, kind);
  win.on('closed', () => {
    windows.delete(win);
    sessions?.close(id);
  });
  return win;
}

function createConsoleWindow(): BrowserWindow {
  const win = track(
    new BrowserWindow({
      width: 1440,
      height: 900,
      minWidth: 1024,
      minHeight: 640,
      title: '网格指挥舱 GridDeck',
      backgroundColor: '#eef1f5',
      show: false,
      webPreferences,
    }),
    'console',
  );
  win.once('ready-to-show', () => win.show());
  void win.loadURL(pageUrl(''));
  return win;
}

function createWallWindow(): BrowserWindow | null {
  const display = chooseWallDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay().id, FORCE_WALL);
  if (!display) return null;
  const win = track(
    new BrowserWindow({
      ...display.bounds,
      fullscreen: true,
      frame: false,
      title: '网格指挥舱 GridDeck · 大屏',
      backgroundColor: '#0b1220',
      webPreferences,
    }),
    'wall',
  );
  void win.loadURL(pageUrl('/wall'));
  return win;
}

const crashReloads = new CrashReloads();

function hardenContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    // The app is one page with hash routes: any real navigation is foreign.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    // A crashed console or wall would stay black on a screen nobody watches: reload it (bounded).
    contents.on('render-process-gone', (_e, details) => {
      if (details.reason === 'clean-exit' || contents.isDestroyed()) return;
      const reload = crashReloads.allow(Date.now());
      console.error(`[main] a window's renderer is gone (${details.reason}, exit code ${details.exitCode}); ${reload ? 'reloading it' : 'not reloading: it crashed too often'}`);
      if (reload) contents.reload();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function bridge(host: ServiceHost, windowSessions: WindowSessions): void {
  ipcMain.handle(IPC.invoke, async (event: IpcMainInvokeEvent, method: unknown, args: unknown, token: unknown) => {
    const fromOurWindow = [...windows].some((w) => w.webContents === event.sender);
    if (!fromOurWindow || !isTrustedSender(event.senderFrame?.url, DEV_SERVER)) {
      return apiError('forbidden', '请求来源不可信');
    }
    if (!isMethodName(method)) return apiError('unknown-method', `未知的方法:${methodLabel(method)}`);
    // The seat is the window's, said here, never by the page; the token is the page's
    // session; who that is and what they may do is the data service's decision.
    const id = String(event.sender.id);
    const context = windowSessions.contextFor(id, tokenOf(token));
    if (!context) return apiError('forbidden', '请求来源不可信');
    const response = await host.invoke(method, args, context);
    windowSessions.answered(id, method, response);
    return response;
  });
}

/** A push for one window's subscription goes to that window only. */
function deliver(subscription: string, topic: string, payload: unknown): void {
  if (!isPushTopic(topic)) return;
  const win = [...windows].find((w) => !w.isDestroyed() && windowId(w) === subscription);
  if (!win) return;
  win.webContents.send(IPC.push, topic, payload);
  if (topic === 'auth.ended') sessions?.ended(subscription);
}

void app.whenReady().then(() => {
  if (!firstInstance) return;
  const menu = appMenuTemplate(app.isPackaged);
  if (menu) Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
  hardenContents();

  // The replica lives in userData; the county comes from --county/GRIDDECK_COUNTY, else the
  // data service runs the bundled simulator in its own process (service-args.ts).
  const userData = app.getPath('userData');
  const settingsFile = join(userData, SETTINGS_FILE);
  const { settings, error } = parseSettings(existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : null);
  if (error) console.error(`[main] ${error}`);
  const launch = serviceLaunch({ argv: process.argv, env: process.env, userData, version: app.getVersion(), settings });
  for (const warning of launch.warnings) console.error(`[main] ${warning}`);
  // The base map of the settings file, for this process's app:// handler too.
  if (launch.env.GRIDDECK_BASEMAP) process.env.GRIDDECK_BASEMAP = launch.env.GRIDDECK_BASEMAP;
  handleAppScheme(RENDERER_DIR);
  const host: ServiceHost = new ServiceHost({
    modulePath: SERVICE,
    args: launch.args,
    env: launch.env,
    onPush: deliver,
    onStart: () => sessions?.resubscribeAll(),
    log: (line) => console.error(`[main] ${line}`),
  });
  sessions = new WindowSessions((message) => host.subscription(message));
  host.start();
  bridge(host, sessions);

  createConsoleWindow();
  createWallWindow();

  app.on('second-instance', () => {
    const first = [...windows][0];
    if (first) {
      if (first.isMinimized()) first.restore();
      first.focus();
    }
  });
  app.on('activate', () => {
    if (windows.size === 0) createConsoleWindow();
  });
  app.on('before-quit', () => host.stop());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
