// The web shell: the built renderer over HTTP and the app API over Socket.IO
// (namespace /api), for the wall PC and meeting screens on the center's LAN and
// for the end-to-end tests. A product feature, so it is guarded: any client not
// on loopback needs a token, and pages from another origin cannot open the socket
// (cross-site WebSocket hijacking). The shell says who calls (a token's Caller); what
// that caller may do is the data service's decision (core/api/access.ts), not the shell's.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sirv from 'sirv';
import { isLoopback } from '../../node-common/net';
import { sameSecret } from '../../node-common/secret';
import { Server } from 'socket.io';
import { SOCKET } from '../../core/api/channels';
import { contentSecurityPolicy, isPlainHost } from '../../core/api/csp';
import type { Caller } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';
import { apiError } from '../../core/api/contract';
import { methodLabel } from '../../core/api/validate';
import type { ApiService } from '../service/service';
import type { BasemapConfig } from '../../core/api/basemap';
import { basemapFromEnv } from '../../core/api/basemap';
import { basemapHandler, isAppRoute } from './basemap';

export type Role = 'full' | 'readOnly';
export interface Tokens {
  /** A dispatcher: the console on another PC of the center. */
  full: string;
  /** A viewer (the wall and meeting screens): the service lets it query and listen only. */
  readOnly: string;
}

export type Authorization = { ok: true; role: Role } | { ok: false; reason: string };

/**
 * Who may connect, and with which role. A token, when given, decides the role
 * (also on loopback, so a read-only screen stays read-only); without one, only
 * loopback is admitted, with full rights (the operator's own machine).
 */
export function authorize(address: string | undefined, token: unknown, tokens: Tokens): Authorization {
  if (typeof token === 'string' && token !== '') {
    if (sameSecret(token, tokens.full)) return { ok: true, role: 'full' };
    if (sameSecret(token, tokens.readOnly)) return { ok: true, role: 'readOnly' };
    return { ok: false, reason: '令牌无效' };
  }
  if (token !== undefined && token !== null && token !== '') return { ok: false, reason: '令牌无效' };
  return isLoopback(address) ? { ok: true, role: 'full' } : { ok: false, reason: '非本机访问需要令牌' };
}

/**
 * The caller the data service sees: a full token (or the operator's own machine) is a
 * dispatcher; a read-only token is a viewer, whose answers carry no personal data.
 */
export function callerOf(role: Role): Caller {
  return { role: role === 'full' ? 'dispatcher' : 'viewer' };
}

/**
 * A page may ask for less than its token gives: the wall (`auth.view: 'wall'`) is
 * read-only whoever opens it, so a wall left open on the operator's own machine
 * cannot act and never receives personal data. A page can never ask for more.
 */
export function narrowRole(role: Role, view: unknown): Role {
  return view === 'wall' ? 'readOnly' : role;
}

/** The renderer's policy (core/api/csp.ts), with this server's own WebSocket origin. */
export function contentSecurityPolicyFor(host: string | undefined): string {
  return contentSecurityPolicy({ connect: isPlainHost(host) ? [`ws://${host}`] : [] });
}

/** A browser's Origin must be this server; clients without one (Node, tests) are judged by address and token. */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

export interface WebServerOptions {
  service: ApiService;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** The built renderer (electron-vite's out/renderer). */
  rendererDir?: string;
  /** Fixed tokens (tests); generated with crypto.randomUUID otherwise. */
  tokens?: Tokens;
  /** The base map served under /basemap/ (electron/web/basemap.ts); default: GRIDDECK_BASEMAP, else the demo map. */
  basemap?: BasemapConfig;
  /** The demo map's files; default resources/basemap. */
  basemapDir?: string;
}

export interface WebServer {
  url: string;
  port: number;
  host: string;
  tokens: Tokens;
  /** False when rendererDir has no index.html: the API still answers. */
  servesRenderer: boolean;
  close(): Promise<void>;
}

const DEFAULT_RENDERER = join(process.cwd(), 'out', 'renderer');

/** The HTTP side: security headers, the base map, the built renderer and its app routes. */
function requestHandler(options: WebServerOptions, rendererDir: string, servesRenderer: boolean): (req: IncomingMessage, res: ServerResponse) => void {
  const serveStatic = servesRenderer ? sirv(rendererDir, { etag: true }) : null;
  const serveBasemap = basemapHandler({
    config: options.basemap ?? basemapFromEnv(process.env),
    ...(options.basemapDir ? { dir: options.basemapDir } : {}),
    log: (line) => console.error(line),
  });
  return (req, res) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicyFor(req.headers.host));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    // Module workers (maplibre's) refuse any other type for .mjs.
    if ((req.url ?? '').split('?')[0]?.endsWith('.mjs')) res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
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
    if (isAppRoute((req.url ?? '/').split('?')[0] ?? '/')) req.url = '/index.html';
    serveStatic(req, res, () => {
      res.removeHeader('Content-Type');
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('未找到\n');
    });
  };
}

/**
 * The /api namespace: a token names the caller, each socket gets the pushes as its role
 * may see them, and every call goes to the service, which decides (the shell is a pipe).
 */
function serveApi(io: Server, service: WebServerOptions['service'], tokens: Tokens): void {
  // Nothing lives on the default namespace: refuse it rather than keep idle sockets.
  io.of('/').use((_socket, next) => next(new Error('use the /api namespace')));
  const api = io.of(SOCKET.namespace);
  api.use((socket, next) => {
    const auth = authorize(socket.handshake.address, (socket.handshake.auth as { token?: unknown }).token, tokens);
    if (!auth.ok) {
      next(Object.assign(new Error(auth.reason), { data: { code: 'unauthorized' } }));
      return;
    }
    socket.data.role = narrowRole(auth.role, (socket.handshake.auth as { view?: unknown }).view);
    next();
  });
  api.on('connection', (socket) => {
    const caller = callerOf(socket.data.role as Role);
    // Positions are lossy by design: a slow screen skips fixes rather than queueing them.
    socket.on('disconnect', service.subscribe((topic, payload) => (topic === 'positions' ? socket.volatile : socket).emit(SOCKET.push, topic, payload), caller));
    socket.on(SOCKET.invoke, async (method: unknown, args: unknown, ack: unknown) => {
      // Allow invoke(method, ack) for methods without arguments.
      if (typeof ack !== 'function' && typeof args === 'function') {
        ack = args;
        args = undefined;
      }
      if (typeof ack !== 'function') return;
      const reply = ack as (response: ApiResponse) => void;
      // handle() takes a string; any string goes on, and the service judges it (unknown-method, forbidden, invalid).
      if (typeof method !== 'string') {
        reply(apiError('unknown-method', `未知的方法:${methodLabel(method)}`));
        return;
      }
      try {
        reply(await service.handle(method, args, caller));
      } catch {
        // handle() never throws by contract; if it ever does, the caller gets an answer and
        // the process lives on (a rejected promise here would be unhandled and end it).
        reply(apiError('internal', '数据服务内部错误,请查看日志'));
      }
    });
  });
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const tokens = options.tokens ?? { full: randomUUID(), readOnly: randomUUID() };
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER;
  const servesRenderer = existsSync(join(rendererDir, 'index.html'));

  const http = createServer(requestHandler(options, rendererDir, servesRenderer));
  const io = new Server(http, {
    serveClient: false,
    maxHttpBufferSize: 1_000_000,
    allowRequest: (req, callback) => callback(null, originAllowed(req.headers.origin, req.headers.host)),
  });
  serveApi(io, options.service, tokens);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    tokens,
    servesRenderer,
    close: async () => {
      // io.close() also closes the HTTP server and disconnects every socket.
      const closed = new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      // A browser's idle keep-alive connection must not hold the shutdown.
      http.closeAllConnections();
      await closed;
    },
  };
}
