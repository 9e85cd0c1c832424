// The web shell: the built renderer over HTTP(S) and the app API over Socket.IO
// (namespace /api), for the wall PCs and meeting screens on the center's LAN, other
// desks' browsers, and the end-to-end tests. No one is trusted for where they connect
// from: every browser needs a session (auth.login) or a device's session (auth.device),
// on loopback too. The shell answers only under the host names it serves (DNS
// rebinding), only to pages of its own origin (cross-site WebSocket hijacking), over
// HTTPS on the LAN (plain HTTP on loopback only), with a cap on connections per address
// and rate limits on calls and logins. Who calls and what they may do is the data
// service's decision (SessionService.call); the shell carries the context.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { SOCKET } from '../../core/api/channels';
import type { BasemapConfig } from '../../core/api/basemap';
import type { ApiLimits, ShellService } from './api';
import { DEFAULT_API_LIMITS, seatAddress, serveApi } from './api';
import { ConnectionCap } from './connection-cap';
import type { HostPolicy } from './hosts';
import { createHostPolicy, hostForUrl, isLoopbackHost } from './hosts';
import { WRONG_HOST, requestHandler } from './http';

export type { ShellService } from './api';

export interface WebServerOptions {
  service: ShellService;
  /** 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1; any other address needs `tls`. */
  host?: string;
  /** Names the LAN screens reach the shell by (besides its addresses). */
  lanNames?: readonly string[];
  /** Certificate and key (PEM): required, and used, when bound to a non-loopback address. */
  tls?: { cert: string; key: string };
  /** The built renderer (electron-vite's out/renderer). */
  rendererDir?: string;
  limits?: Partial<ApiLimits>;
  /** Socket.IO connections one remote address may hold at once. */
  maxConnectionsPerAddress?: number;
  /** The base map served under /basemap/ (electron/web/basemap.ts); default: GRIDDECK_BASEMAP, else the demo map. */
  basemap?: BasemapConfig;
  /** The demo map's files; default resources/basemap. */
  basemapDir?: string;
  /** The machine's addresses, for a wildcard bind (tests). */
  interfaces?: () => readonly string[];
}

export interface WebServer {
  url: string;
  port: number;
  host: string;
  /** HTTPS and WSS (a LAN bind). */
  secure: boolean;
  /** The host names and addresses the shell answers to. */
  names: readonly string[];
  /** False when rendererDir has no index.html: the API still answers. */
  servesRenderer: boolean;
  close(): Promise<void>;
}

export const DEFAULT_MAX_CONNECTIONS = 20;
const DEFAULT_RENDERER = join(process.cwd(), 'out', 'renderer');
const FOREIGN_ORIGIN = '来源页面不属于本服务,拒绝连接';
const TOO_MANY_CONNECTIONS = '本机连接数过多,请关闭多余的页面后重试';

/** The engine's gate for a Socket.IO handshake: Host, Origin, the connection cap. */
function handshakeGate(hosts: () => HostPolicy, cap: ConnectionCap) {
  return (req: { headers: Record<string, string | string[] | undefined>; socket: { remoteAddress?: string | undefined } }, callback: (error: string | null | undefined, ok: boolean) => void): void => {
    const policy = hosts();
    const origin = req.headers.origin;
    if (!policy.hostAllowed(typeof req.headers.host === 'string' ? req.headers.host : undefined)) return callback(WRONG_HOST, false);
    if (origin !== undefined && !policy.originAllowed(typeof origin === 'string' ? origin : '')) return callback(FOREIGN_ORIGIN, false);
    if (!cap.admits(seatAddress(req.socket.remoteAddress))) return callback(TOO_MANY_CONNECTIONS, false);
    callback(null, true);
  };
}

/** Counts each address's engine connections; one opened past the cap in a race is closed. */
function countConnections(io: Server, cap: ConnectionCap): void {
  io.engine.on('connection', (socket: { remoteAddress: string; close(): void; once(event: 'close', listener: () => void): void }) => {
    const address = seatAddress(socket.remoteAddress);
    if (!cap.admits(address)) {
      socket.close();
      return;
    }
    cap.opened(address);
    socket.once('close', () => cap.closed(address));
  });
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const secure = !isLoopbackHost(host);
  if (secure && !options.tls) throw new Error(`serving on ${host} (not loopback) needs HTTPS: a certificate and its key`);
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER;
  const servesRenderer = existsSync(join(rendererDir, 'index.html'));
  let policy: HostPolicy | null = null;
  const hosts = (): HostPolicy => {
    if (!policy) throw new Error('the web shell is not listening yet');
    return policy;
  };
  const handler = requestHandler({ rendererDir, servesRenderer, secure, hosts, ...(options.basemap ? { basemap: options.basemap } : {}), ...(options.basemapDir ? { basemapDir: options.basemapDir } : {}) });
  const http = secure && options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createServer(handler);
  const cap = new ConnectionCap(options.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS);
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: 1_000_000, allowRequest: handshakeGate(hosts, cap) });
  countConnections(io, cap);
  // Nothing lives on the default namespace: refuse it rather than keep idle sockets.
  io.of('/').use((_socket, next) => next(new Error('use the /api namespace')));
  const api = serveApi(io.of(SOCKET.namespace), options.service, { ...DEFAULT_API_LIMITS, ...options.limits });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  policy = createHostPolicy({ bound: host, port, secure, ...(options.lanNames ? { lanNames: options.lanNames } : {}), ...(options.interfaces ? { interfaces: options.interfaces } : {}) });
  return {
    url: `${secure ? 'https' : 'http'}://${hostForUrl(host)}:${port}`,
    port,
    host,
    secure,
    names: policy.names,
    servesRenderer,
    close: async () => {
      api.close();
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
