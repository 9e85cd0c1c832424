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
import { createEventStore } from './event-store';

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

export interface Platform {
  api: ApiClient;
  shell: 'electron' | 'web';
  connection(): Connection;
  onConnection(listener: (connection: Connection) => void): () => void;
}

const CALL_TIMEOUT_MS = 15_000;
const TOKEN_KEY = 'griddeck.token';

/**
 * The LAN token arrives once in the URL (?token=…, as printed by the web shell);
 * it is kept for the tab's session and removed from the address bar, so it does
 * not end up in screenshots or bookmarks.
 */
function takeToken(): string | undefined {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

function fromBridge(bridge: GriddeckBridge): Platform {
  const invoke: Invoke = (method, args) => bridge.invoke(method, args) as Promise<ApiResponse>;
  const subscribe: Subscribe = (topic, listener) => bridge.on(topic, listener);
  const connection: Connection = { state: 'connected' };
  return {
    api: createClient(invoke, { subscribe, onDropped: (topic, e) => console.warn(`push ${topic} dropped: ${e.message}`) }),
    shell: 'electron',
    connection: () => connection,
    onConnection: () => () => undefined,
  };
}

function fromSocket(): Platform {
  const token = takeToken();
  // The wall asks for a read-only session whatever its token (electron/web/server.ts narrowRole).
  const wall = isWallRoute(window.location.pathname, window.location.hash);
  const socket = io(`${window.location.origin}${SOCKET.namespace}`, {
    auth: { ...(token ? { token } : {}), ...(wall ? { view: 'wall' } : {}) },
    transports: ['websocket', 'polling'],
  });
  let connection: Connection = { state: 'connecting' };
  const listeners = new Set<(c: Connection) => void>();
  const set = (next: Connection): void => {
    connection = next;
    listeners.forEach((l) => l(next));
  };
  socket.on('connect', () => set({ state: 'connected' }));
  socket.on('disconnect', (reason) => set({ state: 'disconnected', reason: `连接中断(${reason})` }));
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    if (error.data?.code === 'unauthorized') {
      // Retrying with the same credentials cannot succeed: stop and say why.
      socket.disconnect();
      set({ state: 'refused', reason: `数据服务拒绝连接:${error.message}。请使用带令牌的地址打开本页。` });
    } else {
      set({ state: 'disconnected', reason: `无法连接数据服务(${error.message})` });
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
  return {
    api: createClient(invoke, { subscribe, onDropped: (topic, e) => console.warn(`push ${topic} dropped: ${e.message}`) }),
    shell: 'web',
    connection: () => connection,
    onConnection: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

let platform: Platform | undefined;

/** The app's services for the React tree (context.tsx): the platform's client and the one event store over its pushes. */
export function createServices(): Services {
  const p = getPlatform();
  return {
    api: p.api,
    store: createEventStore(p.api, (listener) => p.api.on('entities.changed', listener)),
    connection: p.connection,
    onConnection: p.onConnection,
  };
}

/** The app's platform, created on first use: the Electron bridge when present, else the web shell's socket. Views get it through context (context.tsx). */
function getPlatform(): Platform {
  platform ??= window[BRIDGE_KEY] ? fromBridge(window[BRIDGE_KEY]) : fromSocket();
  return platform;
}


export type { ApiClient } from '../../../core/api/client';
export { ApiCallError } from '../../../core/api/client';
