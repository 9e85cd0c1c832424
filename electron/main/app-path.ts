// The app:// origin of the renderer and its mapping to files. Free of any
// 'electron' import, so it can be unit-tested under plain Node.
import { resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'griddeck';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Maps app://griddeck/<path> into rendererDir; anything that would leave it is refused. */
export function resolveAppPath(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path === '/' || path === '') path = '/index.html';
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path}`);
  return file.startsWith(root + sep) ? file : null;
}

/**
 * Whether an IPC message comes from our own renderer: the app:// origin, or the
 * electron-vite dev server during development. Anything else (a frame that
 * navigated away, an injected iframe) is refused.
 */
export function isTrustedSender(frameUrl: string | undefined, devServerUrl: string | undefined): boolean {
  if (!frameUrl) return false;
  let origin: string;
  try {
    const url = new URL(frameUrl);
    origin = url.protocol === `${APP_SCHEME}:` ? `${url.protocol}//${url.host}` : url.origin;
  } catch {
    return false;
  }
  if (origin === APP_ORIGIN) return true;
  if (!devServerUrl) return false;
  try {
    return origin === new URL(devServerUrl).origin;
  } catch {
    return false;
  }
}
