// The county's end of county-link-v1: a Socket.IO server (namespace /town) that
// admits towns, streams each connection its town's changes one acknowledged batch
// at a time, sends positions, and settles the towns' commands. Plus the chaos
// controls and a loopback-only HTTP control endpoint for out-of-process tests.
import { WORKER_NOTIFY } from '../../core/emergency/notify';
import { isLoopback } from '../../node-common/net';
import { sameSecret } from '../../node-common/secret';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
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
import { EncodedBatch, encodeWith, nextBatchSize, readBatch, type PreparedBatch } from './batches';
import { refuseControl } from './control';
import type { County } from './county';
import type { StoredAck } from './store';

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
  county: County;
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
  control: (request: { method: string; path: string; query: URLSearchParams; body: unknown }) => { status: number; body: unknown };
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
}

const MAX_BODY = 1_000_000;

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
    this.io = new Server(this.http, { serveClient: false, maxHttpBufferSize: LIMITS.townMessageBytes });
    // Batches go out as the JSON text they were prepared as (before the namespace's adapter takes the encoder).
    (this.io as { encoder: { encode(packet: unknown): unknown[] } }).encoder = encodeWith(this.io.encoder);
    const nsp = this.io.of(TOWN_NAMESPACE);
    nsp.use((socket, next) => {
      const refuse = (code: RefusalCode, message: string): void => {
        const err = new Error(message) as Error & { data?: { code: RefusalCode } };
        err.data = { code };
        this.o.log(`county simulator: refused a town connection: ${code} (${message})`);
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
      if (!this.o.county.hasTown(auth.town)) return refuse('unknown-town', `town ${auth.town} is not served here`);
      (socket.data as { auth?: Auth }).auth = auth;
      next();
    });
    nsp.on('connection', (socket) => this.onConnection(socket));
    this.o.county.onChange((town) => this.schedulePump(town));
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
    const head = this.o.county.store.head();
    return mine.every((s) => !s.first && s.inFlight === null && s.cursorSeq >= head && s.socket.connected);
  }

  // ---------------------------------------------------------------- chaos

  dropLinks(): void {
    for (const s of [...this.sessions]) s.socket.disconnect(true);
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
    const auth = (socket.data as { auth: Auth }).auth;
    const presented = auth.cursor;
    // A forced reset (chaos) treats any presented cursor as unknown: the full snapshot follows.
    const forced = this.forceReset;
    this.forceReset = false;
    const seq = presented === null || forced ? null : this.o.county.store.parseCursor(presented);
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
    };
    this.sessions.add(s);
    this.o.log(`county simulator: town ${s.town} connected (replica ${s.replica}, cursor ${presented ?? 'none'}${s.reset ? ', reset' : ''})`);
    socket.on('disconnect', (reason) => {
      this.clearTimer(s);
      this.sessions.delete(s);
      this.o.log(`county simulator: town ${s.town} disconnected (${reason})`);
    });
    socket.on('mutate', (raw: unknown, ack: unknown) => this.onMutate(s, raw, ack));
    socket.on('ping', (raw: unknown, ack: unknown) => this.onPing(s, raw, ack));
    this.pump(s);
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
    const ready = s.prepared !== null && !s.first && s.prepared.afterSeq === s.cursorSeq && this.current(s, s.prepared) ? s.prepared : null;
    s.prepared = null;
    // The first batch after a connect always goes out, even empty: it tells the
    // town it is caught up and carries lastN for commands it resent.
    const next = ready ?? this.read(s, s.cursorSeq) ?? (s.announce ? this.announcement(s) : null);
    s.announce = false;
    if (next === null) return;
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
  private current(s: Session, p: PreparedBatch): boolean {
    return this.o.county.store.lastNFor(s.replica, s.town, p.afterSeq, p.toSeq) === p.envelope.lastN;
  }

  /**
   * An empty batch (from = to = the acknowledged cursor) when the lastN for it is not the
   * one last sent: a command rejected changes no entity, so no batch would bring its lastN.
   */
  private announcement(s: Session): PreparedBatch | null {
    const p = readBatch(this.o.county.store, { town: s.town, replica: s.replica, afterSeq: s.cursorSeq, limit: s.limit, first: null, always: true });
    return p !== null && p.envelope.lastN !== s.sentLastN ? p : null;
  }

  private read(s: Session, afterSeq: number): PreparedBatch | null {
    const first = s.first ? { presented: s.presented, reset: s.reset } : null;
    return readBatch(this.o.county.store, { town: s.town, replica: s.replica, afterSeq, limit: s.limit, first });
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
      s.prepared = this.read(s, f.toSeq);
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
      this.o.log(`county simulator: no ack for ${f.batch.envelope.to} from ${s.town} in ${this.o.ackTimeoutMs} ms, resending`);
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
      this.o.log(`county simulator: dropped an invalid changes ack from ${s.town}: ${describeIssues(parsed.error)}`);
      return;
    }
    if (s.inFlight !== f || parsed.data.cursor !== f.batch.envelope.to) return; // a late or duplicate ack
    if (this.chance(this.chaos.dropAcks)) {
      this.o.log(`county simulator: lost the ack of ${f.batch.envelope.to} on purpose (chaos)`);
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
      this.o.log(`county simulator: dropped a mutate without an acknowledgement callback from ${s.town}`);
      return;
    }
    const run = (): void => {
      let answer: StoredAck;
      try {
        answer = this.o.county.mutate(s.town, s.replica, raw, this.o.now());
      } catch (error) {
        // Never crash on a command; a failure here leaves it unsettled, so the town resends it.
        this.o.log(`county simulator: mutate from ${s.town} failed: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      // A rejection, or a command applied without changing an entity (worker.notify), brings no change with its lastN.
      const noChange = answer.status === 'rejected' ? answer.code !== 'out-of-order' : (raw as { name?: unknown } | null)?.name === WORKER_NOTIFY;
      if (noChange) this.announceLastN(s);
      if (this.chance(this.chaos.dropAcks)) {
        this.o.log(`county simulator: lost the answer to a mutate from ${s.town} on purpose (chaos)`);
        return;
      }
      this.later(() => (ack as (a: StoredAck) => void)(answer));
    };
    if (this.paused) this.held.push(run);
    else run();
  }

  /** After a rejection: the replica's connections get its lastN, in a batch of their own if no change brings it. */
  private announceLastN(s: Session): void {
    for (const x of this.sessions) if (x.replica === s.replica) x.announce = true;
    this.schedulePump(s.town);
  }

  // ---------------------------------------------------------------- liveness

  /**
   * county-link-v1 `ping`: answered at once with the county's clock, also while paused or
   * delayed by chaos (a slow county is not a dead one). Only a hung process stays silent.
   */
  private onPing(s: Session, raw: unknown, ack: unknown): void {
    if (typeof ack !== 'function') {
      this.o.log(`county simulator: dropped a ping without an acknowledgement callback from ${s.town}`);
      return;
    }
    const parsed = PingSchema.safeParse(raw);
    if (!parsed.success) {
      this.o.log(`county simulator: dropped an invalid ping from ${s.town}: ${describeIssues(parsed.error)}`);
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
    const refused = refuseControl(method, req.headers, { port, ...(this.o.controlToken !== undefined ? { token: this.o.controlToken } : {}) });
    if (refused) return reply(refused.status, refused.body);
    if (method !== 'POST') {
      try {
        const r = this.o.control({ method, path: url.pathname, query: url.searchParams, body: null });
        reply(r.status, r.body);
      } catch (error) {
        reply(500, { ok: false, error: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
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
      try {
        const r = this.o.control({ method, path: url.pathname, query: url.searchParams, body });
        reply(r.status, r.body);
      } catch (error) {
        reply(500, { ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    });
  }
}
