// The app:// origin of the renderer and its mapping to files. Free of any
// 'electron' import, so it can be unit-tested under plain Node.
import { resolve, sep } from 'node:path';
import { BASEMAP_PATHS, parseTilePath } from '../../core/api/basemap';

export const APP_SCHEME = 'app';
export const APP_HOST = 'griddeck';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The decoded path of an app://griddeck URL; 'foreign' when the request is no such URL
 * (another scheme or host, or not a URL at all), 'undecodable' when it is ours but its
 * path holds a malformed %-escape.
 */
function appUrlPath(requestUrl: string): { path: string } | 'foreign' | 'undecodable' {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return 'foreign';
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return 'foreign';
  try {
    return { path: decodeURIComponent(url.pathname) };
  } catch {
    return 'undecodable';
  }
}

/** Maps app://griddeck/<path> into rendererDir; anything that would leave it is refused. */
export function resolveAppPath(rendererDir: string, requestUrl: string): string | null {
  const at = appUrlPath(requestUrl);
  if (typeof at === 'string') return null;
  let path = at.path;
  // The single page answers its own routes: the wall's window opens app://griddeck/wall.
  if (path === '/' || path === '' || isPageRoute(path)) path = '/index.html';
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path}`);
  return file.startsWith(root + sep) ? file : null;
}

/**
 * The URL of a page of the renderer by its path ('' or '/': the console; '/wall': the wall),
 * on app://griddeck or on electron-vite's dev server, the same paths the web shell serves.
 */
export function pageUrl(route: string, devServer?: string): string {
  const base = devServer ? devServer.replace(/\/*$/, '/') : `${APP_ORIGIN}/`;
  return `${base}${route.replace(/^\/+/, '')}`;
}

/** Routes of the single page (not files): the wall. */
export function isPageRoute(pathname: string): boolean {
  return pathname === '/wall' || pathname.startsWith('/wall/');
}

export type BasemapRequest =
  | { kind: 'file'; file: string }
  | { kind: 'tile'; z: number; x: number; y: number }
  | { kind: 'pmtiles' }
  | { kind: 'refused' };

/**
 * app://griddeck/basemap/… (core/api/basemap.ts BASEMAP_PATHS): the demo map's files
 * inside basemapDir, a remote tile, or the configured PMTiles file; null for any
 * other request.
 */
export function resolveBasemapRequest(basemapDir: string, requestUrl: string): BasemapRequest | null {
  const at = appUrlPath(requestUrl);
  if (at === 'foreign') return null;
  if (at === 'undecodable') return { kind: 'refused' };
  const { path } = at;
  if (!path.startsWith('/basemap/')) return null;
  if (path === BASEMAP_PATHS.pmtiles) return { kind: 'pmtiles' };
  const tile = parseTilePath(path);
  if (tile) return { kind: 'tile', ...tile };
  const root = resolve(basemapDir);
  const file = resolve(root, `.${path.slice('/basemap'.length)}`);
  return file.startsWith(root + sep) ? { kind: 'file', file } : { kind: 'refused' };
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
