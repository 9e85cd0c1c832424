// The /api namespace of the web shell: every call goes to the data service with the
// socket's context (the session token it presented or opened, its remote address as
// the seat, the wall's narrower view), and the service decides. A socket without a
// session may connect: the service answers `unauthorized` to all but PUBLIC_METHODS.
// A login over the socket binds the new session to it; a logout unbinds it; a session
// that ends (logout elsewhere, expiry, a disabled account, a revoked device) is told
// with `auth.ended` and its sockets are cut off.
import type { Namespace, Socket } from 'socket.io';
import { SOCKET } from '../../core/api/channels';
import type { CallContext, Caller } from '../../core/api/channels';
import type { ApiResponse, PayloadOf } from '../../core/api/contract';
import { apiError } from '../../core/api/contract';
import { methodLabel } from '../../core/api/validate';
import type { TransportService } from '../service/ipc';
import { KeyedBuckets, TokenBucket } from '../../node-common/token-bucket';

/** What the shell needs of the data service: sessions, and pushes as a caller may see them. */
export type ShellService = TransportService;

export interface ApiLimits {
  /** Calls per second a socket may make, steadily, and in a burst. */
  callsPerSecond: number;
  callBurst: number;
  /** Failed credential attempts (auth.login, auth.device, auth.password) per remote address per minute. */
  loginsPerMinute: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = { callsPerSecond: 50, callBurst: 100, loginsPerMinute: 10 };

/** Methods that try a credential: a guesser is slowed per address, whatever its sockets. */
const CREDENTIAL_METHODS: ReadonlySet<string> = new Set(['auth.login', 'auth.device', 'auth.password']);
/** A cut-off socket keeps this long to receive its `auth.ended` before it is disconnected. */
const ENDED_GRACE_MS = 200;

const TOO_MANY_CALLS = '请求过于频繁,请稍后再试';
const TOO_MANY_LOGINS = '登录尝试过于频繁,请一分钟后再试';

/** The remote address as the audit trail records it (IPv4 without its IPv6-mapped prefix). */
export function seatAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** A session token as presented in a handshake: a non-empty string of sane length, else none. */
function tokenOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 512 ? value : undefined;
}

/** The token an answer opens a session with (auth.login, auth.device, a first admin's setup). */
function openedToken(method: string, response: ApiResponse): string | undefined {
  if (!method.startsWith('auth.') || !response.ok) return undefined;
  const result = response.result as { token?: unknown } | null;
  return typeof result === 'object' && result !== null ? tokenOf(result.token) : undefined;
}

/** One socket: its context, its push subscription, and the session it is bound to. */
class Connection {
  private token: string | undefined;
  private readonly view: 'wall' | undefined;
  private readonly address: string;
  private unsubscribe: (() => void) | null = null;
  private caller: Caller | null = null;
  private endedSent = false;
  private closed = false;

  constructor(
    readonly socket: Socket,
    private readonly service: ShellService,
    private readonly sessions: SessionSockets,
  ) {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; view?: unknown };
    this.token = tokenOf(auth.token);
    this.view = auth.view === 'wall' ? 'wall' : undefined;
    this.address = seatAddress(socket.handshake.address);
  }

  context(): CallContext {
    return { ...(this.token !== undefined ? { token: this.token } : {}), seat: { kind: 'remote', address: this.address }, ...(this.view ? { view: this.view } : {}) };
  }

  /** (Re)subscribes the pushes as the current session may see them; none without one. */
  subscribe(): void {
    this.dropSubscription();
    if (this.closed) return;
    this.endedSent = false;
    const caller = this.service.resolve(this.context());
    if (!caller) return;
    this.caller = caller;
    if (caller.sessionId !== undefined) this.sessions.add(caller.sessionId, this);
    // Positions are lossy by design: a slow screen skips fixes rather than queueing them.
    this.unsubscribe = this.service.subscribe((topic, payload) => {
      if (topic === 'auth.ended') this.endedSent = true;
      (topic === 'positions' ? this.socket.volatile : this.socket).emit(SOCKET.push, topic, payload);
    }, caller);
  }

  bind(token: string): void {
    this.token = token;
    this.subscribe();
  }

  unbind(): void {
    this.token = undefined;
    this.dropSubscription();
  }

  /** The session ended: say so (once) and cut the socket off. */
  end(reason: PayloadOf<'auth.ended'>): void {
    if (!this.endedSent) this.socket.emit(SOCKET.push, 'auth.ended', reason);
    this.endedSent = true;
    this.unbind();
    setTimeout(() => this.socket.disconnect(true), ENDED_GRACE_MS).unref();
  }

  close(): void {
    this.closed = true;
    this.dropSubscription();
  }

  private dropSubscription(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.caller?.sessionId !== undefined) this.sessions.remove(this.caller.sessionId, this);
    this.caller = null;
  }
}

/** The sockets of each session, to cut them off when it ends. */
class SessionSockets {
  private readonly bySession = new Map<string, Set<Connection>>();

  add(sessionId: string, connection: Connection): void {
    let set = this.bySession.get(sessionId);
    if (!set) this.bySession.set(sessionId, (set = new Set()));
    set.add(connection);
  }

  remove(sessionId: string, connection: Connection): void {
    const set = this.bySession.get(sessionId);
    set?.delete(connection);
    if (set?.size === 0) this.bySession.delete(sessionId);
  }

  take(sessionId: string): Connection[] {
    const list = [...(this.bySession.get(sessionId) ?? [])];
    this.bySession.delete(sessionId);
    return list;
  }
}

export interface ApiNamespace {
  /** Stops listening to the service (the sockets are closed with the server). */
  close(): void;
}

/** Serves the app API on `api` (the /api namespace). */
export function serveApi(api: Namespace, service: ShellService, limits: ApiLimits = DEFAULT_API_LIMITS): ApiNamespace {
  const sessions = new SessionSockets();
  const logins = new KeyedBuckets({ ratePerSecond: limits.loginsPerMinute / 60, burst: limits.loginsPerMinute });
  const stopEnded = service.onSessionEnded((sessionId, reason) => {
    for (const connection of sessions.take(sessionId)) connection.end(reason);
  });
  api.on('connection', (socket) => {
    const connection = new Connection(socket, service, sessions);
    const calls = new TokenBucket({ ratePerSecond: limits.callsPerSecond, burst: limits.callBurst });
    connection.subscribe();
    socket.on('disconnect', () => connection.close());
    socket.on(SOCKET.invoke, (method: unknown, args: unknown, ack: unknown) => {
      // Allow invoke(method, ack) for methods without arguments.
      if (typeof ack !== 'function' && typeof args === 'function') {
        ack = args;
        args = undefined;
      }
      if (typeof ack !== 'function') return;
      const reply = ack as (response: ApiResponse) => void;
      if (!calls.take()) return reply(apiError('unavailable', TOO_MANY_CALLS));
      // The service takes a string; any string goes on, and the service judges it (unknown-method, unauthorized, forbidden, invalid).
      if (typeof method !== 'string') return reply(apiError('unknown-method', `未知的方法:${methodLabel(method)}`));
      const address = seatAddress(socket.handshake.address);
      const credential = CREDENTIAL_METHODS.has(method);
      // Taken before the call (parallel guesses count at once), given back when it succeeds:
      // a screen that logs in often is not slowed, a guesser is.
      if (credential && !logins.take(address)) return reply(apiError('locked', TOO_MANY_LOGINS));
      void call(connection, service, method, args).then((response) => {
        if (credential && response.ok) logins.refund(address);
        reply(response);
      });
    });
  });
  return { close: stopEnded };
}

/** One call with the socket's context; binds or unbinds the session the answer opens or ends. */
async function call(connection: Connection, service: ShellService, method: string, args: unknown): Promise<ApiResponse> {
  const context = connection.context();
  // Unbound first: the session's end must not cut off the socket that ended it.
  if (method === 'auth.logout') connection.unbind();
  let response: ApiResponse;
  try {
    response = await service.call(method, args, context);
  } catch {
    // call() never throws by contract; if it ever does, the caller gets an answer and
    // the process lives on (a rejected promise here would be unhandled and end it).
    return apiError('internal', '数据服务内部错误,请查看日志');
  }
  const opened = openedToken(method, response);
  if (opened !== undefined) connection.bind(opened);
  return response;
}
