// The county's end of county-link-v1: a Socket.IO server (namespace /town) that
// admits towns, streams each connection its town's changes one acknowledged batch
// at a time, sends positions, and settles the towns' commands. Plus the chaos
// controls and a loopback-only HTTP control endpoint for out-of-process tests.
//
// The one implementation of the protocol's server side: the simulator runs it over its
// SQLite store (a backend that answers at once), the county hub (county/hub) over
// PostgreSQL (a backend that answers with promises). `when` keeps the simulator's path
// synchronous, so its timing is what it always was; the hub's reads are awaited, and a
// connection never has two reads of its next batch under way.
import { WORKER_NOTIFY } from '../../core/emergency/notify';
import { isLoopback } from '../../node-common/net';
import { sameSecret } from '../../node-common/secret';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { PositionFix } from '../../core/model';
import {
  ChangesAckSchema,
  PingSchema,
  TOWN_NAMESPACE,
  checkAuth,
  describeIssues,
  positionItem,
  type Auth,
  type RefusalCode,
} from '../../core/sync/protocol';
import { LIMITS } from '../../core/sync/protocol';
import type { Rng } from '../../county/demo/random';
import { EncodedBatch, encodeWith, nextBatchSize, type BatchRequest, type PreparedBatch } from './batches';
import { refuseControl, type ControlResponse } from './control';
import type { StoredAck } from './store';

/** A value now (the simulator's SQLite store) or later (the hub's PostgreSQL). */
export type Maybe<T> = T | Promise<T>;

/** Run `next` with the value: at once when it is there, after it resolves otherwise; `fail` gets any error. */
/** `f` of the value, as a value when it is there, as a promise otherwise. */
export function chain<T, U>(value: Maybe<T>, f: (v: T) => Maybe<U>): Maybe<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

export function when<T>(value: Maybe<T>, next: (v: T) => void, fail: (error: unknown) => void): void {
  if (value instanceof Promise) value.then(next).catch(fail);
  else next(value);
}

/** What the link server reads and writes: the county's towns, change log and settled commands. */
export interface LinkBackend {
  /** Null when the town may connect with this handshake (its token already checked against the server's), else the refusal. */
  admit(auth: Auth): Maybe<{ code: RefusalCode; message: string } | null>;
  /** The seq a cursor presented by a town stands for, or null when it is unknown. */
  parseCursor(town: string, cursor: string): Maybe<number | null>;
  readBatch(r: BatchRequest): Maybe<PreparedBatch | null>;
  lastNFor(replica: string, town: string, fromSeq: number, toSeq: number): Maybe<number | null>;
  /** Settle a town's `mutate` (dedup, order, validation, transition) in one transaction; its answer. */
  mutate(town: string, replica: string, raw: unknown, now: number): Maybe<StoredAck>;
  /** The head of a town's log when known at once (idle), else null. */
  head(town: string): number | null;
  /** `listener(town)` after every committed change of a town. */
  onChange(listener: (town: string) => void): void;
  /** A town connected or spoke (its last contact). */
  contact?(town: string): void;
  /** A command of the replica was settled here with no change to bring its lastN (rejected, or worker.notify): the hub tells its other processes, whose connections of it owe the lastN. */
  rejected?(replica: string, town: string): void;
}

export interface ChaosSettings {
  /** Probability that a batch, a positions message or a mutate answer is sent twice. */
  duplicate: number;
  /** Each delivery (batch, positions, mutate answer) waits a random time in this range, ms. */
  delayMs: [number, number];
  /** Positions messages are sometimes followed by a stale copy of the previous one (late fixes). */
  reorderPositions: boolean;
  /** Probability that an acknowledgement is lost: a town's changes ack is ignored, a mutate answer is not sent. */
  dropAcks: number;
}

export interface ChaosControl {
  dropLinks(): void;
  pause(): void;
  resume(): void;
  set(opts: { duplicate?: number; delayMs?: [number, number]; reorderPositions?: boolean; dropAcks?: number }): void;
  refuseNext(code: RefusalCode): void;
  /** project: the next town connection gets a reset (a full snapshot), as if the county did not know its cursor. */
  resetNext(): void;
}

export interface LinkServerOptions {
  backend: LinkBackend;
  /** The log lines' prefix: 'county simulator' or 'county hub'. */
  name?: string;
  port: number;
  token?: string;
  /** The control endpoint's token (control.ts); absent: loopback, its Host and JSON only. */
  controlToken?: string;
  /** Max items of a connection's first batch and of a batch of live changes. */
  batchSize: number;
  /** Max items of a batch while the town catches up (the batch size doubles up to it). */
  catchUpBatchSize: number;
  ackTimeoutMs: number;
  now: () => number;
  chaosRng: Rng;
  log: (line: string) => void;
  control: (request: { method: string; path: string; query: URLSearchParams; body: unknown }) => Maybe<ControlResponse>;
  /** GET paths answered without the control token (a health check). */
  openPaths?: readonly string[];
  /** Socket.IO's adapter (the hub's Redis Streams adapter across processes); default in memory. */
  adapter?: ServerOptions['adapter'];
}

interface InFlight {
  /** The batch, encoded; `batch.envelope.to` is the cursor its ack must carry. */
  batch: PreparedBatch;
  toSeq: number;
  timer: NodeJS.Timeout | null;
}

interface Session {
  socket: Socket;
  town: string;
  replica: string;
  presented: string | null;
  cursorSeq: number;
  reset: boolean;
  first: boolean;
  inFlight: InFlight | null;
  /** Max items of the next batch (see nextBatchSize). */
  limit: number;
  /** The batch after the one in flight, read while the town applies that one; sent after its ack. */
  prepared: PreparedBatch | null;
  /** A read of the next batch is scheduled. */
  preparing: boolean;
  /** A command of this replica was rejected: its lastN is due even if no change follows. */
  announce: boolean;
  /** The lastN of the last batch sent on this connection. */
  sentLastN: number | null;
  /** The next batch is being read (the hub's backend answers later): no second read meanwhile. */
  reading: boolean;
  /** Something changed while it was read: pump again after it. */
  again: boolean;
}

const MAX_BODY = 1_000_000;

/** The Socket.IO room of a town's connections (positions go to it, across hub processes). */
export const townRoom = (town: string): string => `town:${town}`;

export class LinkServer implements ChaosControl {
  readonly http: HttpServer;
  readonly io: Server;
  private readonly sessions = new Set<Session>();
  private paused = false;
  private readonly held: (() => void)[] = [];
  private refusal: RefusalCode | null = null;
  private forceReset = false;
  private readonly chaos: ChaosSettings = { duplicate: 0, delayMs: [0, 0], reorderPositions: false, dropAcks: 0 };
  private readonly lastPositions = new Map<string, { at: number; items: unknown[] }>();
  private readonly pumpQueued = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  url = '';

  constructor(private readonly o: LinkServerOptions) {
    this.http = createServer((req, res) => this.onHttp(req, res));
    // A town's message (a mutate: one command) above the bound closes its connection, never fills memory.
    this.io = new Server(this.http, { serveClient: false, maxHttpBufferSize: LIMITS.townMessageBytes, ...(o.adapter ? { adapter: o.adapter } : {}) });
    // Batches go out as the JSON text they were prepared as (before the namespace's adapter takes the encoder).
    (this.io as { encoder: { encode(packet: unknown): unknown[] } }).encoder = encodeWith(this.io.encoder);
    const nsp = this.io.of(TOWN_NAMESPACE);
    nsp.use((socket, next) => {
      const refuse = (code: RefusalCode, message: string): void => {
        const err = new Error(message) as Error & { data?: { code: RefusalCode } };
        err.data = { code };
        this.o.log(`${this.name}: refused a town connection: ${code} (${message})`);
        next(err);
      };
      if (this.refusal !== null) {
        const code = this.refusal;
        this.refusal = null;
        refuse(code, 'refused on purpose (chaos control)');
        return;
      }
      const checked = checkAuth(socket.handshake.auth);
      if (!checked.ok) return refuse(checked.code, checked.message);
      const auth = checked.auth;
      if (this.o.token !== undefined && !sameSecret(auth.token, this.o.token)) return refuse('unauthorized', 'token refused');
      const failed = (error: unknown): void => {
        this.o.log(`${this.name}: could not admit town ${auth.town}: ${error instanceof Error ? error.message : String(error)}`);
        next(new Error('county unavailable'));
      };
      when(
        this.o.backend.admit(auth),
        (refusal) => {
          if (refusal) return refuse(refusal.code, refusal.message);
          if (auth.cursor === null) return this.admitted(socket, auth, null, next);
          when(this.o.backend.parseCursor(auth.town, auth.cursor), (seq) => this.admitted(socket, auth, seq, next), failed);
        },
        failed,
      );
    });
    nsp.on('connection', (socket) => this.onConnection(socket));
    this.o.backend.onChange((town) => this.schedulePump(town));
  }

  private get name(): string {
    return this.o.name ?? 'county simulator';
  }

  private admitted(socket: Socket, auth: Auth, seq: number | null, next: (err?: Error) => void): void {
    const data = socket.data as { auth?: Auth; seq?: number | null };
    data.auth = auth;
    data.seq = seq;
    next();
  }

  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.o.port, '127.0.0.1', () => {
        const { port } = this.http.address() as AddressInfo;
        this.url = `http://127.0.0.1:${port}`;
        resolve(this.url);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sessions) this.clearTimer(s);
    this.sessions.clear();
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => {
      void this.io.close(() => resolve());
    });
    if (this.http.listening) await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Towns that have at least one connection (positions are computed only for them). */
  connectedTowns(): string[] {
    return [...new Set([...this.sessions].map((s) => s.town))].sort();
  }

  get connections(): number {
    return this.sessions.size;
  }

  /**
   * Nothing between the county and this town is under way: the town is connected, every
   * connection of it has acknowledged its batches up to the head of the log, no reset is
   * pending, nothing is paused, held or waiting out a chaos delay. A test that saw this and
   * a caught-up town knows that no batch can still change the town's replica.
   */
  idle(town: string): boolean {
    const mine = [...this.sessions].filter((s) => s.town === town);
    if (mine.length === 0 || this.paused || this.held.length > 0 || this.forceReset || this.timers.size > 0 || this.pumpQueued.has(town)) return false;
    const head = this.o.backend.head(town);
    if (head === null) return false;
    return mine.every((s) => !s.first && !s.reading && s.inFlight === null && s.cursorSeq >= head && s.socket.connected);
  }

  // ---------------------------------------------------------------- chaos

  dropLinks(): void {
    for (const s of [...this.sessions]) s.socket.disconnect(true);
  }

  /** project: close one town's connections here (the hub, when the town's token changed); how many. */
  dropTown(town: string): number {
    const mine = [...this.sessions].filter((s) => s.town === town);
    for (const s of mine) s.socket.disconnect(true);
    return mine.length;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const run of this.held.splice(0)) run();
    for (const s of this.sessions) this.pump(s);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  set(opts: { duplicate?: number; delayMs?: [number, number]; reorderPositions?: boolean; dropAcks?: number }): void {
    const p = (v: number | undefined, old: number): number => (v === undefined ? old : Math.min(1, Math.max(0, Number(v) || 0)));
    this.chaos.duplicate = p(opts.duplicate, this.chaos.duplicate);
    this.chaos.dropAcks = p(opts.dropAcks, this.chaos.dropAcks);
    if (opts.delayMs !== undefined) {
      const [a, b] = opts.delayMs;
      const lo = Math.max(0, Number(a) || 0);
      this.chaos.delayMs = [lo, Math.max(lo, Number(b) || 0)];
    }
    if (opts.reorderPositions !== undefined) this.chaos.reorderPositions = Boolean(opts.reorderPositions);
  }

  refuseNext(code: RefusalCode): void {
    this.refusal = code;
  }

  resetNext(): void {
    this.forceReset = true;
  }

  private chance(p: number): boolean {
    return p > 0 && this.o.chaosRng.next() < p;
  }

  /** Run `fn` after the chaos delay (at once without one). */
  private later(fn: () => void): void {
    const [lo, hi] = this.chaos.delayMs;
    if (hi <= 0) return fn();
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, this.o.chaosRng.float(lo, hi));
    this.timers.add(t);
  }

  // ---------------------------------------------------------------- connections and batches

  private onConnection(socket: Socket): void {
    const { auth, seq: parsed } = socket.data as { auth: Auth; seq: number | null };
    const presented = auth.cursor;
    // A forced reset (chaos) treats any presented cursor as unknown: the full snapshot follows.
    const forced = this.forceReset;
    this.forceReset = false;
    const seq = presented === null || forced ? null : parsed;
    const s: Session = {
      socket,
      town: auth.town,
      replica: auth.replica,
      presented,
      cursorSeq: seq ?? 0,
      reset: forced || (presented !== null && seq === null),
      first: true,
      inFlight: null,
      limit: this.o.batchSize,
      prepared: null,
      preparing: false,
      announce: false,
      sentLastN: null,
      reading: false,
      again: false,
    };
    this.sessions.add(s);
    void socket.join(townRoom(s.town));
    this.o.backend.contact?.(s.town);
    this.o.log(`${this.name}: town ${s.town} connected (replica ${s.replica}, cursor ${presented ?? 'none'}${s.reset ? ', reset' : ''})`);
    socket.on('disconnect', (reason) => {
      this.clearTimer(s);
      this.sessions.delete(s);
      this.o.log(`${this.name}: town ${s.town} disconnected (${reason})`);
    });
    socket.on('mutate', (raw: unknown, ack: unknown) => this.onMutate(s, raw, ack));
    socket.on('ping', (raw: unknown, ack: unknown) => this.onPing(s, raw, ack));
    this.pump(s);
  }

  /** A change of the town was committed (here, or by another process of the hub): its connections read on. */
  changed(town: string): void {
    this.schedulePump(town);
  }

  private schedulePump(town: string): void {
    if (this.pumpQueued.has(town)) return;
    this.pumpQueued.add(town);
    setImmediate(() => {
      this.pumpQueued.delete(town);
      for (const s of this.sessions) if (s.town === town) this.pump(s);
    });
  }

  /**
   * Send the next batch of a connection, if it has none in flight and something to send:
   * the one read ahead when it follows the acknowledged cursor, else one read now. While
   * the town catches up (more), the batch after it is read at once, so that it is ready
   * when the ack comes (still one batch in flight: it is sent only then).
   */
  private pump(s: Session): void {
    if (this.paused || this.closed || s.inFlight || !s.socket.connected) return;
    if (s.reading) {
      s.again = true;
      return;
    }
    s.reading = true;
    s.again = false;
    when(
      this.nextBatch(s),
      (next) => {
        s.reading = false;
        if (next === null || this.closed || !s.socket.connected || s.inFlight || this.paused) {
          // A change that came during the read: read again (a resume pumps by itself).
          if (s.again) this.pump(s);
          return;
        }
        this.dispatch(s, next);
      },
      (error) => {
        s.reading = false;
        this.o.log(`${this.name}: reading the next batch of ${s.town} failed: ${error instanceof Error ? error.message : String(error)}`);
        this.retryLater(s);
      },
    );
  }

  /** After a failed read (the database away): try again in a second, while the connection lasts. */
  private retryLater(s: Session): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed && this.sessions.has(s)) this.pump(s);
    }, 1000);
    t.unref?.();
    this.timers.add(t);
  }

  /**
   * The batch to send next: the one read ahead when it follows the acknowledged cursor, else
   * one read now, else an announcement of a lastN the town has not had. The first batch after
   * a connect always goes out, even empty: it tells the town it is caught up and carries lastN
   * for commands it resent.
   */
  private nextBatch(s: Session): Maybe<PreparedBatch | null> {
    const prepared = s.prepared !== null && !s.first && s.prepared.afterSeq === s.cursorSeq ? s.prepared : null;
    s.prepared = null;
    const announce = s.announce;
    s.announce = false;
    const fresh = (): Maybe<PreparedBatch | null> => {
      const read = this.read(s, s.cursorSeq);
      if (!announce) return read;
      return chain(read, (r) => r ?? this.announcement(s));
    };
    if (prepared === null) return fresh();
    return chain(this.current(s, prepared), (ok) => (ok ? prepared : fresh()));
  }

  /** Send a batch read for this connection: it is in flight until its ack. */
  private dispatch(s: Session, next: PreparedBatch): void {
    s.first = false;
    s.sentLastN = next.envelope.lastN;
    s.limit = nextBatchSize(next.count, next.envelope.more, this.o.batchSize, this.o.catchUpBatchSize);
    s.inFlight = { batch: next, toSeq: next.toSeq, timer: null };
    this.send(s, s.inFlight);
    if (next.envelope.more) this.prepareNext(s, s.inFlight);
  }

  /**
   * A batch read ahead still says what the county holds for its range: its lastN is the
   * one computed now. (A command rejected meanwhile changes no entity but may now be
   * covered; an applied one's changes lie past the batch, so they never are.) Else it is read again.
   */
  private current(s: Session, p: PreparedBatch): Maybe<boolean> {
    return chain(this.o.backend.lastNFor(s.replica, s.town, p.afterSeq, p.toSeq), (n) => n === p.envelope.lastN);
  }

  /**
   * An empty batch (from = to = the acknowledged cursor) when the lastN for it is not the
   * one last sent: a command rejected changes no entity, so no batch would bring its lastN.
   */
  private announcement(s: Session): Maybe<PreparedBatch | null> {
    const read = this.o.backend.readBatch({ town: s.town, replica: s.replica, afterSeq: s.cursorSeq, limit: s.limit, first: null, always: true });
    return chain(read, (p) => (p !== null && p.envelope.lastN !== s.sentLastN ? p : null));
  }

  private read(s: Session, afterSeq: number): Maybe<PreparedBatch | null> {
    const first = s.first ? { presented: s.presented, reset: s.reset } : null;
    return this.o.backend.readBatch({ town: s.town, replica: s.replica, afterSeq, limit: s.limit, first });
  }

  /** Read the batch that follows `f`, after the I/O of this turn (the send of `f`) has gone out. */
  private prepareNext(s: Session, f: InFlight): void {
    if (s.preparing) return;
    s.preparing = true;
    setImmediate(() => {
      s.preparing = false;
      if (this.closed || !this.sessions.has(s) || !s.socket.connected) return;
      // Acknowledged already (the ack beat this turn): pump read it itself.
      if (s.inFlight !== f) return;
      when(
        this.read(s, f.toSeq),
        (p) => {
          if (s.inFlight === f) s.prepared = p;
        },
        () => undefined, // read again by pump after the ack
      );
    });
  }

  private send(s: Session, f: InFlight): void {
    const emit = (): void => {
      if (!s.socket.connected || s.inFlight !== f) return;
      s.socket.emit('changes', new EncodedBatch(f.batch), (ack: unknown) => this.onAck(s, f, ack));
    };
    this.later(() => {
      emit();
      if (this.chance(this.chaos.duplicate)) emit();
    });
    this.arm(s, f);
  }

  /** Resend the batch in flight on the same connection when its ack does not come (not while paused). */
  private arm(s: Session, f: InFlight): void {
    this.clearTimer(s);
    f.timer = setTimeout(() => {
      f.timer = null;
      if (s.inFlight !== f || !s.socket.connected || this.closed) return;
      if (this.paused) return this.arm(s, f);
      this.o.log(`${this.name}: no ack for ${f.batch.envelope.to} from ${s.town} in ${this.o.ackTimeoutMs} ms, resending`);
      this.send(s, f);
    }, this.o.ackTimeoutMs);
    f.timer.unref?.();
  }

  private clearTimer(s: Session): void {
    if (s.inFlight?.timer) {
      clearTimeout(s.inFlight.timer);
      s.inFlight.timer = null;
    }
  }

  private onAck(s: Session, f: InFlight, raw: unknown): void {
    const parsed = ChangesAckSchema.safeParse(raw);
    if (!parsed.success) {
      this.o.log(`${this.name}: dropped an invalid changes ack from ${s.town}: ${describeIssues(parsed.error)}`);
      return;
    }
    if (s.inFlight !== f || parsed.data.cursor !== f.batch.envelope.to) return; // a late or duplicate ack
    if (this.chance(this.chaos.dropAcks)) {
      this.o.log(`${this.name}: lost the ack of ${f.batch.envelope.to} on purpose (chaos)`);
      return;
    }
    this.clearTimer(s);
    s.cursorSeq = f.toSeq;
    s.inFlight = null;
    this.pump(s);
  }

  // ---------------------------------------------------------------- commands

  private onMutate(s: Session, raw: unknown, ack: unknown): void {
    if (typeof ack !== 'function') {
      this.o.log(`${this.name}: dropped a mutate without an acknowledgement callback from ${s.town}`);
      return;
    }
    const failed = (error: unknown): void => {
      // Never crash on a command; a failure here leaves it unsettled, so the town resends it.
      this.o.log(`${this.name}: mutate from ${s.town} failed: ${error instanceof Error ? error.message : String(error)}`);
    };
    const run = (): void => {
      let answer: Maybe<StoredAck>;
      try {
        answer = this.o.backend.mutate(s.town, s.replica, raw, this.o.now());
      } catch (error) {
        failed(error);
        return;
      }
      when(answer, (a) => this.answer(s, a, ack as (a: StoredAck) => void, raw), failed);
    };
    if (this.paused) this.held.push(run);
    else run();
  }

  private answer(s: Session, answer: StoredAck, ack: (a: StoredAck) => void, raw: unknown): void {
    // A rejection, or a command applied without changing an entity (worker.notify), brings no change with its lastN.
    const rejected = answer.status === 'rejected' && answer.code !== 'out-of-order';
    const unchanged = answer.status === 'applied' && (raw as { name?: unknown } | null)?.name === WORKER_NOTIFY;
    if (rejected || unchanged) this.announceLastN(s.replica, s.town);
    if (rejected || unchanged) this.o.backend.rejected?.(s.replica, s.town);
    if (this.chance(this.chaos.dropAcks)) {
      this.o.log(`${this.name}: lost the answer to a mutate from ${s.town} on purpose (chaos)`);
      return;
    }
    this.later(() => ack(answer));
  }

  /** After a rejection: the replica's connections get its lastN, in a batch of their own if no change brings it. */
  announceLastN(replica: string, town: string): void {
    for (const x of this.sessions) if (x.replica === replica) x.announce = true;
    this.schedulePump(town);
  }

  // ---------------------------------------------------------------- liveness

  /**
   * county-link-v1 `ping`: answered at once with the county's clock, also while paused or
   * delayed by chaos (a slow county is not a dead one). Only a hung process stays silent.
   */
  private onPing(s: Session, raw: unknown, ack: unknown): void {
    if (typeof ack !== 'function') {
      this.o.log(`${this.name}: dropped a ping without an acknowledgement callback from ${s.town}`);
      return;
    }
    const parsed = PingSchema.safeParse(raw);
    if (!parsed.success) {
      this.o.log(`${this.name}: dropped an invalid ping from ${s.town}: ${describeIssues(parsed.error)}`);
      return;
    }
    (ack as (a: { at: number }) => void)({ at: this.o.now() });
  }

  // ---------------------------------------------------------------- positions

  /** Send the fixes of one town to its connections (volatile: never acknowledged, may be lost). */
  sendPositions(town: string, at: number, fixes: readonly PositionFix[]): void {
    if (fixes.length === 0) return;
    const message = { at, items: fixes.map(positionItem) };
    const previous = this.lastPositions.get(town);
    this.lastPositions.set(town, message);
    const targets = [...this.sessions].filter((s) => s.town === town);
    this.later(() => {
      for (const s of targets) {
        if (!s.socket.connected) continue;
        s.socket.volatile.emit('positions', message);
        if (this.chance(this.chaos.duplicate)) s.socket.volatile.emit('positions', message);
        // A stale copy after the fresh one: older fixes arriving late.
        if (this.chaos.reorderPositions && previous && this.o.chaosRng.chance(0.5)) s.socket.volatile.emit('positions', previous);
      }
    });
  }

  /**
   * The hub's positions: one volatile message to the town's room, which the Socket.IO
   * adapter (Redis Streams with several hub processes) carries to the town's connections
   * on every process.
   */
  fanOutPositions(town: string, message: { at: number; items: unknown[] }): void {
    this.io.of(TOWN_NAMESPACE).to(townRoom(town)).volatile.emit('positions', message);
  }

  // ---------------------------------------------------------------- HTTP control

  private onHttp(req: IncomingMessage, res: ServerResponse): void {
    const reply = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
    };
    if (!isLoopback(req.socket.remoteAddress)) return reply(403, { ok: false, error: 'loopback only' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const port = (this.http.address() as AddressInfo | null)?.port ?? this.o.port;
    const open = method === 'GET' && (this.o.openPaths ?? []).includes(url.pathname);
    const refused = refuseControl(method, req.headers, { port, ...(this.o.controlToken !== undefined && !open ? { token: this.o.controlToken } : {}) });
    if (refused) return reply(refused.status, refused.body);
    const answer = (body: unknown): void => {
      const failed = (error: unknown): void => reply(500, { ok: false, error: error instanceof Error ? error.message : String(error) });
      try {
        when(this.o.control({ method, path: url.pathname, query: url.searchParams, body }), (r) => reply(r.status, r.body), failed);
      } catch (error) {
        failed(error);
      }
    };
    if (method !== 'POST') return answer(null);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reply(413, { ok: false, error: 'body too large' });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      let body: unknown;
      try {
        body = chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch {
        reply(400, { ok: false, error: 'body is not JSON' });
        return;
      }
      answer(body);
    });
  }
}
