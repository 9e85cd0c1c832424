// The renderer's only way to the data service. In Electron the preload bridge
// (`window.griddeck`) carries calls over IPC; in a browser (the web shell) a
// Socket.IO connection to this page's origin, namespace /api. Views get the
// same typed client either way and never see the transport.
import { io } from 'socket.io-client';
import type { ApiClient, Invoke, Subscribe } from '../../../core/api/client';
import { createClient } from '../../../core/api/client';
import type { GriddeckBridge } from '../../../core/api/channels';
import { BRIDGE_KEY, SOCKET } from '../../../core/api/channels';
import type { ApiResponse } from '../../../core/api/contract';
import { isWallRoute } from '../wall/route';
import type { Services } from './context';
import { createEventStore, type EventStore } from './event-store';
import { createTokenStore, type TokenKind, type TokenStore } from './session-store';

declare global {
  interface Window {
    [BRIDGE_KEY]?: GriddeckBridge;
  }
}

/** The transport's own state, separate from the county link's. */
export type Connection =
  | { state: 'connected' }
  | { state: 'connecting' }
  | { state: 'disconnected'; reason: string }
  | { state: 'refused'; reason: string };

/**
 * The page's session as the transport carries it: the token it presents (the Socket.IO
 * handshake's `auth.token`, each IPC call's token) and the end of it. Who is logged in
 * is auth.me's answer (renderer/src/session); this only holds and drops the token.
 */
export interface SessionPort {
  token(): string | undefined;
  /** Keeps the token of a successful auth.login / auth.device (the socket it came over is bound to it already). */
  begin(token: string, kind: TokenKind): void;
  /** Forgets the token and starts the transport afresh without it (after logout). */
  end(): void;
  /** The session ended under the page (auth.ended pushed, or a call answered `unauthorized`): the message says why. */
  onEnded(listener: (message: string) => void): () => void;
}

export interface Platform {
  api: ApiClient;
  shell: 'electron' | 'web';
  connection(): Connection;
  onConnection(listener: (connection: Connection) => void): () => void;
  session: SessionPort;
}

const CALL_TIMEOUT_MS = 15_000;
export const LOST_SESSION = '登录已失效（长时间未操作、在别处退出或账号已停用），请重新登录。';

type LosableSession = SessionPort & { lost(message: string): void };

/** The token store and the session-ended listeners, shared by both transports; `restart` renews the transport without the token. */
function sessionPort(tokens: TokenStore, restart: () => void): LosableSession {
  const listeners = new Set<(message: string) => void>();
  const port: LosableSession = {
    token: () => tokens.token(),
    begin: (token, kind) => tokens.save(token, kind),
    end: () => {
      tokens.clear();
      restart();
    },
    onEnded: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    lost: (message) => {
      if (tokens.token() === undefined) return;
      port.end();
      listeners.forEach((l) => l(message));
    },
  };
  return port;
}

function clientOver(invoke: Invoke, subscribe: Subscribe, session: LosableSession, onReconnect?: (listener: () => void) => () => void): ApiClient {
  const api = createClient(invoke, {
    subscribe,
    // A command whose answer was lost goes out again, under its key, as soon as the socket is back.
    ...(onReconnect ? { onReconnect } : {}),
    onDropped: (topic, e) => console.warn(`push ${topic} dropped: ${e.message}`),
    onUnauthorized: () => session.lost(LOST_SESSION),
  });
  api.on('auth.ended', (ended) => session.lost(ended.message || LOST_SESSION));
  return api;
}

function fromBridge(bridge: GriddeckBridge, tokens: TokenStore): Platform {
  const session = sessionPort(tokens, () => undefined);
  const invoke: Invoke = (method, args) => bridge.invoke(method, args, tokens.token()) as Promise<ApiResponse>;
  const subscribe: Subscribe = (topic, listener) => bridge.on(topic, listener);
  const connection: Connection = { state: 'connected' };
  return {
    api: clientOver(invoke, subscribe, session),
    shell: 'electron',
    connection: () => connection,
    onConnection: () => () => undefined,
    session,
  };
}

function fromSocket(tokens: TokenStore, wall: boolean): Platform {
  // The handshake is built at each (re)connection, with the token held then. The wall asks
  // for a read-only view whoever opened it (the service narrows the session).
  const socket = io(`${window.location.origin}${SOCKET.namespace}`, {
    auth: (cb) => {
      const token = tokens.token();
      cb({ ...(token ? { token } : {}), ...(wall ? { view: 'wall' } : {}) });
    },
    transports: ['websocket', 'polling'],
    // A screen comes back within about two seconds of a restarted data service (a meeting's
    // wall and followers, issue 10), not after Socket.IO's default backoff of up to five.
    reconnectionDelay: 500,
    reconnectionDelayMax: 2000,
  });
  let connection: Connection = { state: 'connecting' };
  const listeners = new Set<(c: Connection) => void>();
  const set = (next: Connection): void => {
    connection = next;
    listeners.forEach((l) => l(next));
  };
  const session = sessionPort(tokens, () => {
    socket.disconnect();
    socket.connect();
  });
  socket.on('connect', () => set({ state: 'connected' }));
  socket.on('disconnect', (reason) => {
    set({ state: 'disconnected', reason: `连接中断(${reason})` });
    // The server ends the socket of a session that ended (after pushing auth.ended): connect again, without it.
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 200);
  });
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    if (error.data?.code !== 'unauthorized') {
      set({ state: 'disconnected', reason: `无法连接数据服务(${error.message})` });
    } else if (tokens.token() !== undefined) {
      // The token presented is no longer valid: drop it and connect without one (the login screen).
      session.lost(LOST_SESSION);
    } else {
      // Retrying with the same credentials cannot succeed: stop and say why.
      socket.disconnect();
      set({ state: 'refused', reason: `数据服务拒绝连接:${error.message}` });
    }
  });

  const invoke: Invoke = (method, args) =>
    socket.timeout(CALL_TIMEOUT_MS).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;
  const subscribe: Subscribe = (topic, listener) => {
    const handler = (t: unknown, payload: unknown): void => {
      if (t === topic) listener(payload);
    };
    socket.on(SOCKET.push, handler);
    return () => socket.off(SOCKET.push, handler);
  };
  const onReconnect = (listener: () => void): (() => void) => {
    socket.on('connect', listener);
    return () => void socket.off('connect', listener);
  };
  return {
    api: clientOver(invoke, subscribe, session, onReconnect),
    shell: 'web',
    connection: () => connection,
    onConnection: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    session,
  };
}

let platform: Platform | undefined;

/** The app's services for the React tree (context.tsx): the platform's client, its session, and an event store over its pushes. */
export function createServices(): Services {
  const p = getPlatform();
  return {
    api: p.api,
    store: newEventStore(p.api),
    connection: p.connection,
    onConnection: p.onConnection,
    session: p.session,
  };
}

/** An event store over the client's pushes (one per session: a new login starts with nothing of the last one's). */
export function newEventStore(api: ApiClient): EventStore {
  return createEventStore(api, (listener) => api.on('entities.changed', listener));
}

/** The app's platform, created on first use: the Electron bridge when present, else the web shell's socket. Views get it through context (context.tsx). */
function getPlatform(): Platform {
  const wall = isWallRoute(window.location.pathname, window.location.hash);
  const tokens = createTokenStore(window.sessionStorage, window.localStorage, wall);
  platform ??= window[BRIDGE_KEY] ? fromBridge(window[BRIDGE_KEY], tokens) : fromSocket(tokens, wall);
  return platform;
}

export type { ApiClient } from '../../../core/api/client';
export { ApiCallError } from '../../../core/api/client';
