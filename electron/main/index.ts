// The Electron main process, kept thin: windows, displays and the bridge. The
// data lives in the data service (a utilityProcess, restarted if it dies); the
// renderer reaches it only through one IPC channel whose method names are
// checked against CONTRACT. The bridge names the caller (by window) and decides
// nothing else: the service's role gate does.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, ipcMain, screen, session } from 'electron';
import type { IpcMainInvokeEvent, WebContents, WebPreferences } from 'electron';
import { IPC } from '../../core/api/channels';
import type { CallContext } from '../../core/api/channels';
import { apiError, isMethodName, isPushTopic } from '../../core/api/contract';
import { methodLabel } from '../../core/api/validate';
import { isTrustedSender, pageUrl as pageUrlOf } from './app-path';
import { chooseWallDisplay } from './displays';
import { handleAppScheme, registerAppScheme } from './renderer-protocol';
import { serviceLaunch } from './service-args';
import { ServiceHost } from './service-host';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const RENDERER_DIR = join(HERE, '../renderer');
const PRELOAD = join(HERE, '../preload/index.cjs');
const SERVICE = join(HERE, 'service.js');
/** Set by `electron-vite dev`: the renderer comes from the dev server, with hot reload. */
const DEV_SERVER = process.env.ELECTRON_RENDERER_URL;
const FORCE_WALL = process.argv.includes('--wall');

const webPreferences: WebPreferences = {
  preload: PRELOAD,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
  spellcheck: false,
};

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // A second console on the same replica would fight over the database.
  app.quit();
}

const windows = new Set<BrowserWindow>();
/** The wall's pages: read-only viewers, whose answers carry no residents' personal data. */
const wallContents = new WeakSet<WebContents>();

const pageUrl = (route: string): string => pageUrlOf(route, DEV_SERVER);

function track(win: BrowserWindow): BrowserWindow {
  windows.add(win);
  win.on('closed', () => windows.delete(win));
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
  );
  wallContents.add(win.webContents);
  void win.loadURL(pageUrl('/wall'));
  return win;
}

function hardenContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    // The app is one page with hash routes: any real navigation is foreign.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function bridge(host: ServiceHost): void {
  ipcMain.handle(IPC.invoke, async (event: IpcMainInvokeEvent, method: unknown, args: unknown) => {
    const fromOurWindow = [...windows].some((w) => w.webContents === event.sender);
    if (!fromOurWindow || !isTrustedSender(event.senderFrame?.url, DEV_SERVER)) {
      return apiError('forbidden', '请求来源不可信');
    }
    if (!isMethodName(method)) return apiError('unknown-method', `未知的方法:${methodLabel(method)}`);
    // Who calls is the window's, said here, never by the page; what that role may do is
    // the data service's decision (core/api/access.ts), the same as for the web shell.
    const wall = wallContents.has(event.sender);
    const context: CallContext = wall ? { seat: { kind: 'window', window: 'wall' }, view: 'wall' } : { seat: { kind: 'window', window: 'console' } };
    return host.invoke(method, args, context);
  });
}

function broadcast(topic: string, payload: unknown): void {
  if (!isPushTopic(topic)) return;
  for (const win of windows) {
    if (!win.isDestroyed()) win.webContents.send(IPC.push, topic, payload);
  }
}

void app.whenReady().then(() => {
  hardenContents();
  handleAppScheme(RENDERER_DIR);

  // The replica lives in userData; the county comes from --county/GRIDDECK_COUNTY, else the
  // data service runs the bundled simulator in its own process (service-args.ts).
  const launch = serviceLaunch({ argv: process.argv, env: process.env, userData: app.getPath('userData'), version: app.getVersion() });
  const host = new ServiceHost({
    modulePath: SERVICE,
    args: launch.args,
    env: launch.env,
    onPush: broadcast,
    log: (line) => console.error(`[main] ${line}`),
  });
  host.start();
  bridge(host);

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
