// The town's liveness check of county-link v1 (../shared/county-link-v1.md, "Liveness:
// ping"): TCP alone shows a hung county or a cut cable only after tens of seconds
// (Socket.IO's own heartbeat: 25 s + 20 s), so the link pings the county and declares
// the connection dead after `misses` unanswered pings in a row. A county that never
// answered a ping on the connection is an older one: its silence proves nothing.
//
// One Heartbeat per connection; the link makes a new one at every connect. It only
// measures and judges: sending, logging and reconnecting belong to the link.
import { PingSchema, describeIssues } from '../../../core/sync/protocol';

export interface HeartbeatOptions {
  /** Time between the sending of two pings (a ping is sent at once when the previous one was missed). */
  intervalMs: number;
  /** How long each ping is waited for before it counts as unanswered. */
  timeoutMs: number;
  /** Unanswered pings in a row that make a dead link. */
  misses: number;
  /** The town's clock (ms), sent in each ping and compared with the county's. Intervals are measured on a monotonic clock. */
  now: () => number;
  /** Sends one `ping`; `answer` is called with the county's reply, whenever it comes (never, from an older county). */
  send(payload: { at: number }, answer: (raw: unknown) => void): void;
  /** The first answer of the connection: the county implements ping, its silence now counts. */
  onFirstAnswer(info: { roundTripMs: number; offsetMs: number }): void;
  /** The first ping of the connection went unanswered: an older county, or one hung already. */
  onNoAnswer(): void;
  /** An answer that fails validation (still a sign of life). */
  onInvalid(reason: string): void;
  /** `misses` unanswered pings in a row after an answered one: the heartbeat has stopped itself. */
  onDead(info: { misses: number; timeoutMs: number; lastAnswerMs: number }): void;
}

export class Heartbeat {
  private stopped = true;
  private seq = 0;
  private answered = false;
  private silenceReported = false;
  private invalidReported = false;
  private missed = 0;
  private lastAnswerMs = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: HeartbeatOptions) {}

  /** Sends the first ping at once, then one per interval. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.beat();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The county has answered a ping on this connection: from now on its silence counts. */
  get armed(): boolean {
    return this.answered;
  }

  private beat(): void {
    if (this.stopped) return;
    const id = ++this.seq;
    const sentAt = this.o.now();
    const sentMono = performance.now();
    let settled = false;
    const next = (): void => {
      settled = true;
      if (this.timer) clearTimeout(this.timer);
      this.schedule(Math.max(0, this.o.intervalMs - (performance.now() - sentMono)));
    };
    this.o.send({ at: sentAt }, (raw) => {
      if (this.stopped) return;
      // Even a late answer (after its ping was judged) shows the county alive.
      this.onAnswer(raw, sentAt, performance.now() - sentMono);
      if (id === this.seq && !settled) next();
    });
    this.timer = setTimeout(() => {
      this.timer = null;
      // Judged after this turn's I/O: an answer that arrived while the town's own event
      // loop was busy (a big batch applied) is read first, so a busy town never calls a live county dead.
      setImmediate(() => {
        if (this.stopped || settled || id !== this.seq) return;
        this.onMiss();
        next();
      });
    }, this.o.timeoutMs);
    this.timer.unref();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.beat();
    }, delayMs);
    this.timer.unref();
  }

  private onAnswer(raw: unknown, sentAt: number, elapsedMs: number): void {
    const parsed = PingSchema.safeParse(raw);
    if (!parsed.success && !this.invalidReported) {
      this.invalidReported = true;
      this.o.onInvalid(describeIssues(parsed.error));
    }
    this.missed = 0;
    this.lastAnswerMs = this.o.now();
    if (this.answered) return;
    this.answered = true;
    const roundTripMs = Math.max(0, Math.round(elapsedMs));
    this.o.onFirstAnswer({ roundTripMs, offsetMs: parsed.success ? Math.round(parsed.data.at - (sentAt + roundTripMs / 2)) : 0 });
  }

  private onMiss(): void {
    if (!this.answered) {
      if (!this.silenceReported) this.o.onNoAnswer();
      this.silenceReported = true;
      return;
    }
    this.missed++;
    if (this.missed < this.o.misses) return;
    this.stop();
    this.o.onDead({ misses: this.missed, timeoutMs: this.o.timeoutMs, lastAnswerMs: this.lastAnswerMs });
  }
}
