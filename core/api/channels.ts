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
 * Where a call comes from, as the transport knows it (never taken from the page): an
 * Electron window (its sender checked by the main process), a remote address of the web
 * shell, or the service's own process (tests, command-line tools). Recorded in the audit
 * trail with every login, command and reveal.
 */
export type Seat =
  | { kind: 'window'; window: 'console' | 'wall' }
  | { kind: 'remote'; address: string }
  | { kind: 'local'; name: string };

/**
 * What a transport hands the data service with each call (ApiService.call): the session
 * token the client presented, if any, and the seat. The service turns it into a Caller
 * (or answers `unauthorized`); the transports decide nothing.
 */
export interface CallContext {
  token?: string;
  seat: Seat;
  /** The page asks for less than its session gives: the wall runs as a viewer whoever opened it. */
  view?: 'wall';
}

/**
 * Who is calling, as the data service resolved it from a CallContext (or as an
 * in-process caller states it): the role decides which methods (core/api/access.ts, else
 * `forbidden`) and whose personal data is shown (core/privacy); `grids` and
 * `departmentId` confine a scoped role's answers; `user` and `seat` sign commands and
 * audit entries. Without `user`: an in-process caller (tests, the service's own tools).
 */
export interface Caller {
  role: ActorRole;
  user?: { id: string; name: string; username?: string; departmentId?: string; deviceId?: string };
  /** Basic grid codes the caller is confined to (a village's grids, a grid scope); absent: the whole town. */
  grids?: readonly string[];
  /** A department operator's department: only events assigned to it (or cooperating). */
  departmentId?: string;
  seat?: Seat;
  /** The session the caller came with (transports cut off its connections when it ends). */
  sessionId?: string;
}

/**
 * Messages between the Electron main process and the data service's utilityProcess. A
 * request carries the window's context (the page's session token, the window as seat).
 * Pushes are per window: main keeps one subscription per window in the service, made
 * with that window's context and made again when its page logs in or out (a `subscribe`
 * with the same id replaces the earlier one); each push names its subscription, so a
 * window receives the pushes as the person at it may see them.
 */
export type ServiceRequest = { id: number; method: string; args: unknown; context: CallContext };
export type ServiceSubscription = { subscribe: string; context: CallContext } | { unsubscribe: string };
/** Everything main sends the service. */
export type ServiceInbound = ServiceRequest | ServiceSubscription;
export type ServiceMessage =
  | { id: number; response: { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } } }
  | { push: { topic: string; payload: unknown }; subscription: string };

/** The object the preload script exposes as `window.griddeck`. */
export interface GriddeckBridge {
  /** `token`: the session the page logged in with (auth.login / auth.device); the main process adds the window as the seat. */
  invoke(method: string, args: unknown, token?: string): Promise<unknown>;
  on(topic: string, listener: (payload: unknown) => void): () => void;
}

/** The name of the bridge on `window`. */
export const BRIDGE_KEY = 'griddeck';
