// The web shell's HTTP side: the Host check (DNS rebinding), security headers, the base
// map, the built renderer and its app routes. Nothing here logs a request's URL: a page's
// query string stays out of the logs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';
import { contentSecurityPolicy, isPlainHost } from '../../core/api/csp';
import type { BasemapConfig } from '../../core/api/basemap';
import { basemapFromEnv } from '../../core/api/basemap';
import { basemapHandler, isAppRoute } from './basemap';
import type { HostPolicy } from './hosts';

export const WRONG_HOST = '此地址不由本服务提供(主机名不符)';

/** The renderer's policy (core/api/csp.ts), with this server's own WebSocket origin. */
export function contentSecurityPolicyFor(host: string | undefined, secure = false): string {
  return contentSecurityPolicy({ connect: isPlainHost(host) ? [`${secure ? 'wss' : 'ws'}://${host}`] : [] });
}

export interface HttpOptions {
  rendererDir: string;
  servesRenderer: boolean;
  secure: boolean;
  /** Read per request: the policy is known once the server listens (its port). */
  hosts: () => HostPolicy;
  basemap?: BasemapConfig;
  basemapDir?: string;
}

/** The request handler of the HTTP(S) server (Socket.IO's own paths never reach it). */
export function requestHandler(options: HttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const serveStatic = options.servesRenderer ? sirv(options.rendererDir, { etag: true }) : null;
  const serveBasemap = basemapHandler({
    config: options.basemap ?? basemapFromEnv(process.env),
    ...(options.basemapDir ? { dir: options.basemapDir } : {}),
    log: (line) => console.error(line),
  });
  return (req, res) => {
    if (!options.hosts().hostAllowed(req.headers.host)) {
      // 421 Misdirected Request: this server does not answer for that name.
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end(`${WRONG_HOST}\n`);
      return;
    }
    res.setHeader('Content-Security-Policy', contentSecurityPolicyFor(req.headers.host, options.secure));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // Module workers (maplibre's) refuse any other type for .mjs.
    if (path.endsWith('.mjs')) res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (serveBasemap(req, res)) return;
    if (!serveStatic) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('界面尚未构建:请先运行 npm run build(npx electron-vite build)。\n');
      return;
    }
    // The wall has its own URL (/wall): the same single page, which routes by path.
    if (isAppRoute(path)) req.url = '/index.html';
    serveStatic(req, res, () => {
      res.removeHeader('Content-Type');
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('未找到\n');
    });
  };
}
