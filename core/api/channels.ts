// Transport names of the app API, declared once. Deliberately free of runtime
// imports: the sandboxed preload script bundles this file and cannot load zod.
// Method names are never channels: one channel carries the method name, which
// the receiving side checks against CONTRACT.
import type { ActorRole } from '../model';

/** Electron IPC channels (preload ↔ main). */
export const IPC = {
  /** renderer → main: invoke(method, args) → ApiResponse. */
  invoke: 'api:invoke',
  /** main → renderer: (topic, payload). */
  push: 'api:push',
} as const;

/** The web shell's Socket.IO namespace and events. */
export const SOCKET = {
  namespace: '/api',
  /** client → server: (method, args, ack(ApiResponse)). */
  invoke: 'invoke',
  /** server → client: (topic, payload). */
  push: 'push',
} as const;

/**
 * Who is calling, as the transport knows it (the web shell from the token, the Electron
 * main process from the window): never taken from the page itself. The transports
 * only pass it; the data service decides with it: which methods the role may call
 * (core/api/access.ts, else `forbidden`) and whose personal data it may see (core/privacy).
 */
export interface Caller {
  role: ActorRole;
}

/** Messages between the Electron main process and the data service's utilityProcess. */
export type ServiceRequest = { id: number; method: string; args: unknown; caller?: Caller };
export type ServiceMessage =
  | { id: number; response: { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } } }
  | { push: { topic: string; payload: unknown } };

/** The object the preload script exposes as `window.griddeck`. */
export interface GriddeckBridge {
  invoke(method: string, args: unknown): Promise<unknown>;
  on(topic: string, listener: (payload: unknown) => void): () => void;
}

/** The name of the bridge on `window`. */
export const BRIDGE_KEY = 'griddeck';
