// The Electron host's hardening decisions (issue 12), free of any 'electron' value
// import so they are unit-tested under plain Node; index.ts applies them.
// - The dev server URL (ELECTRON_RENDERER_URL) is honoured only in an unpackaged app and
//   only on loopback: in a packaged app any user-level program could otherwise point the
//   console at a page of its own that gets the dispatcher's bridge.
// - The packaged app's menu has no DevTools and no reload (a wall runs unattended).
// - A window whose renderer crashed is reloaded, at most a few times a minute: a page that
//   crashes at once must not spin in a reload loop.
import type { MenuItemConstructorOptions } from 'electron';
import { isLoopback } from '../../node-common/net';

/** The renderer's dev server, or undefined: a packaged app never loads one. */
export function devServerUrl(env: Readonly<Record<string, string | undefined>>, packaged: boolean): string | undefined {
  const raw = env.ELECTRON_RENDERER_URL;
  if (packaged || !raw) return undefined;
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && (url.hostname === 'localhost' || isLoopback(url.hostname.replace(/^\[|\]$/g, ''))) ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** The application menu: the packaged app's is minimal (no DevTools, no reload); null keeps Electron's default in development. */
export function appMenuTemplate(packaged: boolean): MenuItemConstructorOptions[] | null {
  if (!packaged) return null;
  return [
    { label: '文件', submenu: [{ role: 'quit', label: '退出' }] },
    {
      label: '编辑',
      submenu: [
        { role: 'undo', label: '撤销' },
        { role: 'redo', label: '重做' },
        { type: 'separator' },
        { role: 'cut', label: '剪切' },
        { role: 'copy', label: '复制' },
        { role: 'paste', label: '粘贴' },
        { role: 'selectAll', label: '全选' },
      ],
    },
    { label: '视图', submenu: [{ role: 'togglefullscreen', label: '全屏' }, { role: 'resetZoom', label: '实际大小' }, { role: 'zoomIn', label: '放大' }, { role: 'zoomOut', label: '缩小' }] },
    { label: '窗口', submenu: [{ role: 'minimize', label: '最小化' }] },
  ];
}

/** Whether a crashed window may be reloaded now: at most `max` reloads in `windowMs`. */
export class CrashReloads {
  private readonly times: number[] = [];

  constructor(
    private readonly max = 3,
    private readonly windowMs = 60_000,
  ) {}

  allow(nowMs: number): boolean {
    while (this.times.length > 0 && nowMs - this.times[0]! > this.windowMs) this.times.shift();
    if (this.times.length >= this.max) return false;
    this.times.push(nowMs);
    return true;
  }
}
