// The town's side of county-link v1 (../shared/county-link-v1.md): one Socket.IO
// connection to the county's /town namespace that feeds `changes` and `positions`
// into the replica and drains the replica's outbox with `mutate`, one command at a
// time. Every message from the county is validated before it touches the replica;
// an invalid one is dropped and logged with its reason (logger + bounded memory log).
//
// What the link owns: connection state, backoff, the one command in flight, the
// watchdog. What it does not own: anything durable. The cursor, lastN, the outbox
// and the rejected list live in the replica, so a restart of the process loses
// nothing and the link can always be rebuilt from the replica's state.
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { LinkState, LinkStatus } from '../../../core/api/contract';
import type { PositionFix } from '../../../core/model';
import type { OutboundCommand, RefusalCode, WireBatch } from '../../../core/sync/protocol';
import {
  ChangesBatchSchema,
  MutateAckSchema,
  PositionsEnvelopeSchema,
  PROTOCOL_VERSION,
  RefusalCodeSchema,
  TOWN_NAMESPACE,
  describeIssues,
} from '../../../core/sync/protocol';
import { LIMITS } from '../../../core/sync/protocol';
import { isoOrNull, toIso } from '../../../core/time/shanghai';
import { clip } from '../../../core/util/text';
import type { Replica } from '../replica/replica';
import { DISK_FULL_LINK_DETAIL, isDiskFull } from '../ops/disk';
import { Heartbeat } from './liveness';

/** The longest wait of a disk-full pause between two tries. */
const DISK_WAIT_MAX_MS = 15 * 60_000;

// ---------------------------------------------------------------- what the link needs from the replica

/**
 * The part of the replica (electron/service/replica/replica.ts) the link uses, derived
 * from the class so the two cannot drift apart. Still structural: the link's unit tests
 * run against a small in-memory double of these members.
 */
export type LinkReplica = Pick<
  Replica,
  'replicaId' | 'town' | 'state' | 'applyBatch' | 'applyPositions' | 'nextOutbound' | 'acknowledge' | 'queueLength' | 'unsentCount'
>;

// ---------------------------------------------------------------- public types

export type LinkLogLevel = 'info' | 'warn' | 'error';

export interface LinkLogEntry {
  at: string;
  level: LinkLogLevel;
  /** What the entry is about: changes, positions, mutate, connection (also its liveness: ping), watchdog. */
  topic: 'changes' | 'positions' | 'mutate' | 'connection' | 'watchdog';
  message: string;
}

export interface LinkLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface BatchAppliedInfo {
  changed: readonly { type: string; ids: readonly string[]; all?: boolean }[];
  lastN: number | null;
  reset: boolean;
  more: boolean;
}

export interface CommandSettledInfo {
  n: number;
  status: 'applied' | 'rejected';
  code?: string;
  message?: string;
  changedEventIds: readonly string[];
}

export interface LinkEventMap {
  status: LinkStatus;
  /** A `changes` batch was committed (and acknowledged). */
  batch: BatchAppliedInfo;
  /** Positions accepted from one `positions` message: the fixes that became the latest of their worker. */
  positions: readonly PositionFix[];
  /** The county answered a command finally (applied, or rejected other than out-of-order). */
  settled: CommandSettledInfo;
}

export interface CountyLinkOptions {
  /** The county's base URL, e.g. http://127.0.0.1:4300 (the /town namespace is appended). */
  url: string;
  token: string;
  replica: LinkReplica;
  now?: () => number;
  logger?: LinkLogger;
  /** A mutate without an answer after this long is treated as lost: reconnect, resend. Default 15 s. */
  mutateTimeoutMs?: number;
  /** Backoff of reconnections and retries: from min, doubling, to max (with jitter). Defaults 500 ms, 30 s. */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Liveness (county-link-v1 `ping`): time between two pings. Default 2 s. */
  pingIntervalMs?: number;
  /** How long each ping is waited for; two unanswered in a row make a dead link. Default 3 s. */
  pingTimeoutMs?: number;
  /** Connected, commands waiting, no settled command for this long: the watchdog reports a stall. Default 30 s. */
  stallMs?: number;
  /** How often the watchdog looks. Default min(stallMs / 3, 5 s). */
  watchdogIntervalMs?: number;
  /** Entries kept by the in-memory log. Default 200. */
  logSize?: number;
  /** Socket.IO transports; default Socket.IO's own (polling, then upgrade). */
  transports?: ('polling' | 'websocket')[];
  /**
   * A full disk (SQLITE_FULL, ENOSPC) pauses the link instead of downloading the same batch
   * again and again: it closes the connection and asks this probe every diskRetryMs
   * whether there is room again (default: yes, i.e. try again after the wait).
   */
  diskProbe?: () => boolean;
  /** The first wait of a disk-full pause; it doubles (to 15 min) while writes keep failing. Default 60 s. */
  diskRetryMs?: number;
  /** PEM certificates of a private CA the county's TLS certificate is checked against (county-connection.ts). */
  ca?: string;
  /** Jitter source in [0, 1) for the backoff; Math.random by default. */
  random?: () => number;
}

// ---------------------------------------------------------------- helpers

const REFUSAL_TEXT: Record<RefusalCode, string> = {
  unauthorized: '县级平台拒绝连接:令牌无效或未获授权,请检查令牌配置',
  'unsupported-version': '县级平台不支持本客户端的联网协议版本,请升级',
  'unknown-town': '县级平台不认识本镇代码,请检查镇街代码配置',
};

const silentLogger: LinkLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The error under a Socket.IO connect_error (engine.io's TransportError.description), and whether it is a TLS certificate check. */
function transportCause(error: Error & { description?: unknown }): { message: string; certificate: boolean } | null {
  const description = error.description as { message?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
  const message = description?.error?.message ?? description?.message;
  if (typeof message !== 'string' || message === '') return null;
  const code = String(description?.error?.code ?? '');
  return { message, certificate: /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code) || /certificate/i.test(message) };
}

interface InFlight {
  n: number;
  epoch: number;
}

type Listener<K extends keyof LinkEventMap> = (payload: LinkEventMap[K]) => void;

// ---------------------------------------------------------------- the link

export class CountyLink {
  private readonly replica: LinkReplica;
  private readonly now: () => number;
  private readonly logger: LinkLogger;
  private readonly mutateTimeoutMs: number;
  private readonly backoffMinMs: number;
  private readonly backoffMaxMs: number;
  private readonly stallMs: number;
  private readonly pingIntervalMs: number;
  private readonly pingTimeoutMs: number;
  private readonly watchdogIntervalMs: number;
  private readonly logSize: number;
  private readonly transports: CountyLinkOptions['transports'];
  private readonly ca: string | undefined;
  private readonly diskProbe: () => boolean;
  private readonly diskRetryMs: number;
  /** Set while the link waits for room on the disk. */
  private diskFullSinceMs: number | null = null;
  private diskWaitMs = 0;
  private diskTimer: NodeJS.Timeout | null = null;
  private readonly random: () => number;

  private url: string;
  private token: string;
  private socket: Socket | null = null;
  private started = false;

  private state: LinkState = 'none';
  private sinceMs: number;
  private offlineSinceMs: number | null = null;
  private refusal: RefusalCode | undefined;
  private detail: string | undefined;
  private catchingUp: boolean;
  private stalled = false;

  /** Bumped at every (re)connection, so an answer from an older connection is never taken for a newer one. */
  private epoch = 0;
  /** Valid `changes` batches received on the current connection: only the first may carry `reset`. */
  private batchesThisConnection = 0;
  private inFlight: InFlight | null = null;
  private attempts = 0;
  private outageReported = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryAttempts = 0;
  private watchdog: NodeJS.Timeout | null = null;
  private heartbeat: Heartbeat | null = null;
  private lastProgressMs: number;
  private lastSeenLastN: number | null;

  private readonly entries: LinkLogEntry[] = [];
  private readonly listeners: { [K in keyof LinkEventMap]: Set<Listener<K>> } = {
    status: new Set(),
    batch: new Set(),
    positions: new Set(),
    settled: new Set(),
  };
  private lastStatusKey = '';

  constructor(options: CountyLinkOptions) {
    this.replica = options.replica;
    this.url = options.url;
    this.token = options.token;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.mutateTimeoutMs = options.mutateTimeoutMs ?? 15_000;
    this.backoffMinMs = options.backoffMinMs ?? 500;
    this.backoffMaxMs = Math.max(options.backoffMaxMs ?? 30_000, this.backoffMinMs);
    this.stallMs = options.stallMs ?? 30_000;
    this.pingIntervalMs = Math.max(1, options.pingIntervalMs ?? 2_000);
    this.pingTimeoutMs = Math.max(1, options.pingTimeoutMs ?? 3_000);
    this.watchdogIntervalMs = options.watchdogIntervalMs ?? Math.max(10, Math.min(Math.floor(this.stallMs / 3), 5_000));
    this.logSize = options.logSize ?? 200;
    this.transports = options.transports;
    this.ca = options.ca;
    this.diskProbe = options.diskProbe ?? (() => true);
    this.diskRetryMs = Math.max(1, options.diskRetryMs ?? 60_000);
    this.random = options.random ?? Math.random;
    this.sinceMs = this.now();
    this.lastProgressMs = this.sinceMs;
    const state = this.replica.state();
    this.catchingUp = state.catchingUp;
    this.lastSeenLastN = state.lastN;
  }

  // ------------------------------------------------------------ public surface

  /** Opens the connection; the link then keeps itself connected until stop(). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.offlineSinceMs = this.now();
    this.setState('connecting');
    this.openSocket();
    this.watchdog = setInterval(() => this.checkStall(), this.watchdogIntervalMs);
    this.watchdog.unref();
  }

  /** Closes the connection for good (until start() again). Durable state stays in the replica. */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.clearTimers();
    this.clearDiskWait();
    this.stopHeartbeat();
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.closeSocket();
    this.inFlight = null;
    this.setState('none');
  }

  /** A new command was queued: send it now when the link is idle. */
  kick(): void {
    this.pump();
    this.emitStatus();
  }

  /**
   * Tries again now, after a refusal or during a backoff: the operator's "reconnect"
   * button. A refusal is the one state the link never leaves on its own.
   */
  reconnect(): void {
    if (!this.started) return;
    this.refusal = undefined;
    this.detail = undefined;
    this.attempts = 0;
    this.clearTimers();
    // The operator says there is room again: try now (a write that still fails pauses again).
    if (this.diskTimer) this.clearDiskWait();
    if (this.socket?.connected) return;
    this.setState('connecting');
    this.closeSocket();
    this.openSocket();
  }

  /** A new county address or token (settings): reconnects with it, also out of a refusal. */
  configure(change: { url?: string; token?: string }): void {
    const urlChanged = change.url !== undefined && change.url !== this.url;
    const tokenChanged = change.token !== undefined && change.token !== this.token;
    if (change.url !== undefined) this.url = change.url;
    if (change.token !== undefined) this.token = change.token;
    if (!this.started || (!urlChanged && !tokenChanged)) return;
    this.refusal = undefined;
    this.detail = undefined;
    this.attempts = 0;
    this.clearTimers();
    this.closeSocket();
    this.setState('connecting');
    this.openSocket();
  }

  status(): LinkStatus {
    const replicaState = this.replica.state();
    const status: LinkStatus = {
      state: this.state,
      since: toIso(this.sinceMs),
      queueLength: this.replica.queueLength(),
      lastSyncAt: isoOrNull(replicaState.lastSyncAt),
      catchingUp: this.catchingUp,
      stalled: this.stalled,
      offlineSince: this.offlineSinceMs === null ? null : toIso(this.offlineSinceMs),
      unsent: this.replica.unsentCount(),
    };
    if (this.diskFullSinceMs !== null) status.diskFull = true;
    if (this.refusal) status.refusal = this.refusal;
    if (this.detail) status.detail = this.detail;
    return status;
  }

  /** The most recent log entries (dropped messages with their reasons, refusals, timeouts, stalls), newest first. */
  log(limit = this.logSize): LinkLogEntry[] {
    return this.entries.slice(-limit).reverse();
  }

  on<K extends keyof LinkEventMap>(event: K, listener: Listener<K>): () => void {
    const set = this.listeners[event] as Set<Listener<K>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  // ------------------------------------------------------------ connection

  private openSocket(): void {
    const socket = io(`${this.url.replace(/\/+$/, '')}${TOWN_NAMESPACE}`, {
      forceNew: true,
      // The cursor is re-read at every (re)connection: the server resends everything after it.
      auth: (cb) =>
        cb({ v: PROTOCOL_VERSION, town: this.replica.town, replica: this.replica.replicaId, token: this.token, cursor: this.replica.state().cursor }),
      reconnection: true,
      reconnectionDelay: this.backoffMinMs,
      reconnectionDelayMax: this.backoffMaxMs,
      randomizationFactor: 0.5,
      timeout: Math.max(this.mutateTimeoutMs, 5_000),
      ...(this.transports ? { transports: this.transports } : {}),
      // A private CA: passed to both transports' TLS (engine.io-client's `ca`); certificates stay checked.
      ...(this.ca ? { ca: this.ca, rejectUnauthorized: true } : {}),
      // The WebSocket transport (ws) closes the connection on a message above this; the
      // option is passed through to ws but missing from socket.io-client's types, hence the
      // spread. HTTP long-polling has no such cap: what it brings is bounded per item.
      ...({ maxPayload: LIMITS.countyMessageBytes } as object),
    });
    this.socket = socket;
    socket.on('connect', () => this.onConnect(socket));
    socket.on('disconnect', (reason) => this.onDisconnect(socket, reason));
    socket.on('connect_error', (error) => this.onConnectError(socket, error));
    socket.on('changes', (batch: unknown, ack: unknown) => this.onChanges(socket, batch, ack));
    socket.on('positions', (message: unknown) => this.onPositions(socket, message));
    // county-link-v1: a message the client does not know is dropped and logged with its reason, never silently.
    socket.onAny((event: unknown) => {
      if (socket !== this.socket || event === 'changes' || event === 'positions') return;
      this.record('info', 'connection', `ignored an unknown message ${JSON.stringify(clip(String(event), 80))} from the county`);
    });
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.epoch++;
    this.inFlight = null;
    this.stopHeartbeat();
    if (!socket) return;
    socket.removeAllListeners();
    socket.disconnect();
  }

  private onConnect(socket: Socket): void {
    if (socket !== this.socket) return;
    this.epoch++;
    this.batchesThisConnection = 0;
    this.inFlight = null;
    this.refusal = undefined;
    this.detail = undefined;
    this.offlineSinceMs = null;
    this.outageReported = false;
    // A fresh connection gets a full stall window before the watchdog judges it.
    this.lastProgressMs = this.now();
    this.setState('online');
    this.startHeartbeat(socket);
    this.record('info', 'connection', `connected to ${this.url} as town ${this.replica.town}, cursor ${JSON.stringify(this.replica.state().cursor)}`);
    this.pump();
  }

  private onDisconnect(socket: Socket, reason: string): void {
    if (socket !== this.socket) return;
    this.epoch++;
    this.inFlight = null;
    this.stopHeartbeat();
    if (this.state === 'online') this.offlineSinceMs = this.now();
    // Logged also when the connection never came online: a packet the decoder refuses in the
    // same read as the county's CONNECT closes the socket before 'connect' is delivered.
    if (this.state === 'online' || reason !== 'io client disconnect') this.record('warn', 'connection', `link dropped: ${reason}`);
    if (this.state !== 'refused') this.setState('offline');
    // Our own disconnect() schedules its reconnection itself; "io server disconnect" is the
    // one drop Socket.IO does not recover from on its own.
    if (reason !== 'io client disconnect' && !socket.active) this.scheduleReconnect(`server closed the connection (${reason})`);
  }

  private onConnectError(socket: Socket, error: Error & { data?: unknown }): void {
    if (socket !== this.socket) return;
    const code = RefusalCodeSchema.safeParse((error.data as { code?: unknown } | undefined)?.code);
    if (code.success) {
      // Refusals are final until the operator acts: retrying a bad token in a loop only fills the county's logs.
      this.refusal = code.data;
      this.detail = REFUSAL_TEXT[code.data];
      this.clearTimers();
      this.stopHeartbeat();
      this.socket = null;
      socket.removeAllListeners();
      socket.disconnect();
      this.record('error', 'connection', `county refused the connection: ${code.data} (${clip(error.message)})`);
      this.setState('refused');
      return;
    }
    // The transport's cause (a TLS error says which certificate check failed) behind Socket.IO's "websocket error".
    const cause = transportCause(error);
    const reason = cause ? `${error.message}: ${cause.message}` : error.message;
    // One line per outage, not one per attempt: a county down for an hour must not flood the log.
    if (!this.outageReported) this.record('warn', 'connection', `cannot reach the county: ${clip(reason)}`);
    this.outageReported = true;
    this.detail = cause?.certificate
      ? `无法连接县级平台:其证书不受信任(${clip(cause.message, 80)});如县级平台使用私有证书,请用 --county-ca 指定其根证书`
      : `无法连接县级平台:${clip(reason, 120)}`;
    this.setState('offline');
    // A middleware error without a refusal code: Socket.IO does not retry those itself.
    if (!socket.active) this.scheduleReconnect(`connection error: ${clip(error.message, 120)}`);
  }

  /** Drops the connection and opens it again after the backoff, so the county resends from the stored cursor. */
  private forceReconnect(reason: string): void {
    const socket = this.socket;
    if (!socket || !this.started) return;
    this.record('warn', 'connection', `reconnecting: ${reason}`);
    this.epoch++;
    this.inFlight = null;
    this.stopHeartbeat();
    // Fires 'disconnect' ("io client disconnect") when connected; Socket.IO then does not retry by itself.
    socket.disconnect();
    this.setState('offline');
    this.scheduleReconnect(null);
  }

  // ------------------------------------------------------------ liveness (ping)

  /** Pings the county on this connection; two unanswered pings after an answered one: the link is dead. */
  private startHeartbeat(socket: Socket): void {
    this.stopHeartbeat();
    const epoch = this.epoch;
    const current = (): boolean => socket === this.socket && epoch === this.epoch && socket.connected;
    const heartbeat = new Heartbeat({
      intervalMs: this.pingIntervalMs,
      timeoutMs: this.pingTimeoutMs,
      misses: 2,
      now: this.now,
      send: (payload, answer) => {
        if (!current()) return;
        // Socket.IO's own timeout only forgets the callback (an older county never answers); the judgment is the heartbeat's.
        socket.timeout(this.pingTimeoutMs * 4).emit('ping', payload, (error: Error | null, raw: unknown) => {
          if (!error && current()) answer(raw);
        });
      },
      onFirstAnswer: ({ roundTripMs, offsetMs }) =>
        this.record('info', 'connection', `the county answers pings (round trip ${roundTripMs} ms, its clock ${offsetMs >= 0 ? '+' : ''}${offsetMs} ms from ours)`),
      onNoAnswer: () =>
        this.record('info', 'connection', `no answer to the first ping within ${this.pingTimeoutMs} ms: an older county without ping; its silence is not taken for a dead link`),
      onInvalid: (reason) => this.record('warn', 'connection', `dropped an invalid answer to a ping: ${clip(reason)}`),
      onDead: ({ misses, timeoutMs, lastAnswerMs }) => {
        if (!current() || heartbeat !== this.heartbeat) return;
        this.heartbeat = null;
        this.record('warn', 'connection', `the county answered none of the last ${misses} pings (${timeoutMs} ms each; last answer at ${toIso(lastAnswerMs)}): the link is dead`);
        this.detail = '县级平台无响应(心跳未回复),正在重新连接';
        this.forceReconnect('the county stopped answering pings');
      },
    });
    this.heartbeat = heartbeat;
    heartbeat.start();
  }

  private stopHeartbeat(): void {
    this.heartbeat?.stop();
    this.heartbeat = null;
  }

  private scheduleReconnect(reason: string | null): void {
    if (this.reconnectTimer || !this.started || this.state === 'refused') return;
    const delay = this.backoff(this.attempts++);
    if (reason) this.record('info', 'connection', `${reason}; retrying in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      const socket = this.socket;
      if (!this.started || !socket || this.state === 'refused' || socket.connected) return;
      socket.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.backoffMaxMs, this.backoffMinMs * 2 ** Math.min(attempt, 20));
    // Jitter keeps many towns from reconnecting to the county in lockstep after its restart.
    return Math.round(base * (0.75 + 0.5 * this.random()));
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.reconnectTimer = null;
    this.retryTimer = null;
  }

  // ------------------------------------------------------------ downstream

  private onChanges(socket: Socket, raw: unknown, ack: unknown): void {
    if (socket !== this.socket) return;
    const envelope = ChangesBatchSchema.safeParse(raw);
    if (!envelope.success) {
      // No ack: the county keeps the batch in flight; a reconnect makes it resend from our cursor.
      this.record('warn', 'changes', `dropped an invalid changes batch: ${describeIssues(envelope.error)}`);
      this.forceReconnect('invalid changes batch');
      return;
    }
    const batch: WireBatch = envelope.data;
    const first = this.batchesThisConnection++ === 0;
    if (batch.reset && !first) {
      // county-link-v1: `reset` belongs to the first batch after a connect. A later one is
      // a duplicate or a stale copy of it; applying it would drop the replica's entities
      // and move the cursor back to the start of a snapshot.
      const cursor = this.replica.state().cursor;
      if (batch.to === cursor) {
        if (typeof ack === 'function') (ack as (a: { cursor: string }) => void)({ cursor: batch.to });
        this.record('info', 'changes', `reset batch ${clip(batch.to, 80)} arrived again on the same connection; acknowledged, not applied`);
        return;
      }
      this.record('warn', 'changes', `dropped a reset batch to ${JSON.stringify(clip(batch.to, 80))} that is not the first of its connection (stored cursor ${JSON.stringify(cursor)})`);
      this.forceReconnect('reset batch out of sequence');
      return;
    }
    let result: ReturnType<LinkReplica['applyBatch']>;
    try {
      result = this.replica.applyBatch(batch);
    } catch (error) {
      if (this.pauseForDisk(`batch ${clip(batch.to, 80)}`, error)) return;
      this.record('error', 'changes', `could not apply batch ${clip(batch.to, 80)}: ${clip(errorMessage(error))}`);
      this.forceReconnect('batch not applied');
      return;
    }
    this.diskRoomAgain();
    // The replica's own log already has a line per ignored item: here they go to the API's log only.
    for (const item of result.ignored.slice(0, 20)) {
      this.record(item.unknownType ? 'info' : 'warn', 'changes', `ignored item ${item.index} of batch ${clip(batch.to, 80)}: ${clip(item.reason)}`, false);
    }
    if (result.ignored.length > 20) {
      this.record('warn', 'changes', `ignored ${result.ignored.length - 20} more items of batch ${clip(batch.to, 80)}`, false);
    }
    if (result.status === 'out-of-sequence') {
      this.record('warn', 'changes', `batch from ${JSON.stringify(clip(batch.from ?? 'null', 80))} does not follow the stored cursor ${JSON.stringify(this.replica.state().cursor)}`);
      this.forceReconnect('batch out of sequence');
      return;
    }
    // The batch and its cursor are committed (or were already): only now acknowledge.
    if (typeof ack === 'function') (ack as (a: { cursor: string }) => void)({ cursor: batch.to });
    if (result.status === 'duplicate') {
      this.record('info', 'changes', `batch ${clip(batch.to, 80)} was already applied; acknowledged again`);
      return;
    }
    this.attempts = 0;
    this.catchingUp = batch.more;
    if (batch.reset) this.record('info', 'changes', 'the county sent a reset: the replica was rebuilt from its snapshot');
    if (batch.lastN !== null && batch.lastN !== this.lastSeenLastN) {
      this.lastSeenLastN = batch.lastN;
      this.progress();
    }
    this.emit('batch', { changed: result.changed, lastN: batch.lastN, reset: batch.reset, more: batch.more });
    this.emitStatus();
  }

  private onPositions(socket: Socket, raw: unknown): void {
    if (socket !== this.socket) return;
    const envelope = PositionsEnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      this.record('warn', 'positions', `dropped an invalid positions message: ${describeIssues(envelope.error)}`);
      return;
    }
    let result: ReturnType<LinkReplica['applyPositions']>;
    try {
      result = this.replica.applyPositions(envelope.data.items);
    } catch (error) {
      if (this.pauseForDisk('positions', error)) return;
      this.record('error', 'positions', `could not store positions: ${clip(errorMessage(error))}`);
      return;
    }
    this.diskRoomAgain();
    if (result.invalid.length > 0) {
      const first = result.invalid[0];
      this.record(
        'warn',
        'positions',
        `dropped ${result.invalid.length} invalid position item(s); first #${first?.index}: ${clip(first?.reason ?? '')}`,
      );
    }
    if (result.latest.length > 0) this.emit('positions', result.latest);
  }

  // ------------------------------------------------------------ upstream

  /** Sends the lowest unacknowledged command when connected and nothing is in flight. */
  private pump(): void {
    const socket = this.socket;
    // Only emit on a live connection: Socket.IO would otherwise buffer the emit and replay it later on its own.
    if (!socket?.connected || this.inFlight || this.retryTimer || this.state !== 'online') return;
    let command: OutboundCommand | null;
    try {
      command = this.replica.nextOutbound();
    } catch (error) {
      this.record('error', 'mutate', `could not read the outbox: ${clip(errorMessage(error))}`);
      return;
    }
    if (!command) return;
    const flight: InFlight = { n: command.n, epoch: this.epoch };
    this.inFlight = flight;
    const message: Record<string, unknown> = {
      id: command.id,
      n: command.n,
      name: command.name,
      args: command.args,
      at: typeof command.at === 'number' ? toIso(command.at) : command.at,
    };
    if (command.actor) message.actor = command.actor;
    socket.timeout(this.mutateTimeoutMs).emit('mutate', message, (error: Error | null, answer: unknown) => {
      if (this.inFlight !== flight || flight.epoch !== this.epoch) return; // from an older connection
      this.inFlight = null;
      if (error) {
        if (/disconnected/.test(error.message)) return; // the drop itself resends after reconnecting
        this.record('warn', 'mutate', `no answer to command ${command.n} (${command.name}) within ${this.mutateTimeoutMs} ms`);
        this.forceReconnect(`mutate ${command.n} timed out`);
        return;
      }
      this.onMutateAck(command, answer);
    });
  }

  private onMutateAck(command: OutboundCommand, raw: unknown): void {
    const parsed = MutateAckSchema.safeParse(raw);
    if (!parsed.success) {
      // Not a rejection: the same command goes again after reconnecting.
      this.record('warn', 'mutate', `dropped an invalid answer to command ${command.n}: ${describeIssues(parsed.error)}`);
      this.forceReconnect(`invalid answer to mutate ${command.n}`);
      return;
    }
    const ack = parsed.data;
    if (ack.status === 'rejected' && ack.code === 'out-of-order') {
      // The one rejection that is not final: resend from the lowest unacknowledged command, after a pause.
      const delay = this.backoff(this.retryAttempts++);
      this.record('warn', 'mutate', `county says command ${command.n} is out of order (${clip(ack.message, 120)}); resending in ${delay} ms`);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.pump();
      }, delay);
      this.retryTimer.unref();
      return;
    }
    let changedEventIds: readonly string[];
    try {
      changedEventIds = this.replica.acknowledge(command.n, ack).changedEventIds;
    } catch (error) {
      if (this.pauseForDisk(`the answer to command ${command.n}`, error)) return;
      this.record('error', 'mutate', `could not record the answer to command ${command.n}: ${clip(errorMessage(error))}`);
      this.forceReconnect('acknowledgement not recorded');
      return;
    }
    this.diskRoomAgain();
    this.retryAttempts = 0;
    this.attempts = 0;
    this.progress();
    if (ack.status === 'rejected') {
      this.record('warn', 'mutate', `county rejected command ${command.n} (${command.name}): ${ack.code} ${clip(ack.message, 200)}`);
      this.emit('settled', { n: command.n, status: 'rejected', code: ack.code, message: ack.message, changedEventIds });
    } else {
      this.emit('settled', { n: command.n, status: 'applied', changedEventIds });
    }
    this.emitStatus();
    this.pump();
  }

  // ------------------------------------------------------------ watchdog

  private progress(): void {
    this.lastProgressMs = this.now();
    if (this.stalled) {
      this.stalled = false;
      this.record('info', 'watchdog', 'the outbox moves again');
      this.emitStatus();
    }
  }

  private checkStall(): void {
    if (this.state !== 'online') return;
    let waiting: boolean;
    try {
      waiting = this.replica.queueLength() > 0;
    } catch {
      return;
    }
    if (!waiting) {
      this.lastProgressMs = this.now();
      if (this.stalled) {
        this.stalled = false;
        this.emitStatus();
      }
      return;
    }
    if (!this.stalled && this.now() - this.lastProgressMs >= this.stallMs) {
      this.stalled = true;
      this.record(
        'error',
        'watchdog',
        `connected, but the outbox (${this.replica.queueLength()} command(s)) has made no progress for ${Math.round((this.now() - this.lastProgressMs) / 1000)} s`,
      );
      this.emitStatus();
    }
  }

  // ------------------------------------------------------------ a full disk

  /**
   * A write that found no room: the link closes the connection and waits (the county
   * keeps the batch unacknowledged; nothing is lost), then asks the probe. Returns false
   * for any other error.
   */
  private pauseForDisk(what: string, error: unknown): boolean {
    if (!isDiskFull(error)) return false;
    const first = this.diskFullSinceMs === null;
    this.diskFullSinceMs ??= this.now();
    this.diskWaitMs = first ? this.diskRetryMs : Math.min(this.diskWaitMs * 2, DISK_WAIT_MAX_MS);
    this.record(
      first ? 'error' : 'warn',
      'connection',
      `the disk is full (${clip(errorMessage(error))}) while storing ${what}: the link pauses for ${this.diskWaitMs} ms instead of downloading it again`,
    );
    this.detail = DISK_FULL_LINK_DETAIL;
    this.clearTimers();
    this.clearDiskWait();
    this.closeSocket();
    this.setState('offline');
    this.waitForDisk();
    return true;
  }

  private waitForDisk(): void {
    this.diskTimer = setTimeout(() => {
      this.diskTimer = null;
      if (!this.started) return;
      if (!this.probeDisk()) return this.waitForDisk();
      this.record('info', 'connection', 'trying again after the disk was full');
      this.setState('connecting');
      this.openSocket();
    }, this.diskWaitMs);
    this.diskTimer.unref();
  }

  private probeDisk(): boolean {
    try {
      return this.diskProbe();
    } catch {
      return false;
    }
  }

  private clearDiskWait(): void {
    if (this.diskTimer) clearTimeout(this.diskTimer);
    this.diskTimer = null;
  }

  /** A batch was stored: a disk-full pause is over. */
  private diskRoomAgain(): void {
    if (this.diskFullSinceMs === null) return;
    this.record('info', 'connection', `the disk has room again: the link resumed (paused since ${toIso(this.diskFullSinceMs)})`);
    this.diskFullSinceMs = null;
    if (this.detail === DISK_FULL_LINK_DETAIL) this.detail = undefined;
  }

  // ------------------------------------------------------------ state, log and events

  private setState(state: LinkState): void {
    if (state !== this.state) {
      this.state = state;
      this.sinceMs = this.now();
      if (state !== 'online') this.stalled = false;
    }
    this.emitStatus();
  }

  private emitStatus(): void {
    let status: LinkStatus;
    try {
      status = this.status();
    } catch {
      return; // the replica is closing
    }
    const key = JSON.stringify(status);
    if (key === this.lastStatusKey) return;
    this.lastStatusKey = key;
    this.emit('status', status);
  }

  private record(level: LinkLogLevel, topic: LinkLogEntry['topic'], text: string, toLogger = true): void {
    // One entry, one line: a county's cursor or reason with line breaks must not forge log lines.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    const message = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    this.entries.push({ at: toIso(this.now()), level, topic, message });
    if (this.entries.length > this.logSize) this.entries.splice(0, this.entries.length - this.logSize);
    if (toLogger) this.logger[level](`[county-link] ${topic}: ${message}`);
  }

  private emit<K extends keyof LinkEventMap>(event: K, payload: LinkEventMap[K]): void {
    for (const listener of this.listeners[event] as Set<Listener<K>>) {
      try {
        listener(payload);
      } catch (error) {
        this.logger.error(`[county-link] a ${event} listener failed: ${errorMessage(error)}`);
      }
    }
  }
}

export function createCountyLink(options: CountyLinkOptions): CountyLink {
  return new CountyLink(options);
}
