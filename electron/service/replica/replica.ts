// The town's local replica of the county's data (county-link-v1), in one SQLite file:
// the replicated entities, each event's county base and optimistic view, the outbox
// of the dispatchers' commands, worker positions with a bounded track history, and
// the sync position (cursor, lastN). Every write is one synchronous better-sqlite3
// transaction through the one writer (writer.ts), so a batch and its cursor, or a
// command and its optimistic effect, are stored together or not at all.
//
// `Replica` is the facade the data service and the county link call; each job lives
// in its own module over the same writer:
//   sync.ts       a `changes` batch: validation, revision rule, rows, cursor
//   overlay.ts    the optimistic views (unsettled commands replayed)
//   outbox.ts     the dispatchers' commands and the county's answers
//   positions.ts  worker positions and tracks
//   queries.ts    what the screens read
//   event-rows.ts the event tables and the queue's counters (the only writer of both)
import { TOWN_CODE_PATTERN } from '../../../core/grid/codes';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ParsedArgsOf, ResultOf } from '../../../core/api/contract';
import type { Actor, Category, Department, Grid, GridEvent, PositionFix, Worker } from '../../../core/model';
import { WorkCalendar } from '../../../core/sla/calendar';
import type { MutateAck } from '../../../core/sync/protocol';
import { openDatabase, type SqliteDatabase } from '../db/sqlite';
import type { EventFilter } from './event-index';
import { EventRows } from './event-rows';
import { Lookups } from './lookups';
import { Outbox } from './outbox';
import type { Device } from '../../../core/devices/device';
import type { MaskLevel } from '../../../core/privacy/mask';
import { Overlay } from './overlay';
import { Positions } from './positions';
import { backfillFacts } from '../assessment/facts-store';
import { Queries, type EventsAfterArgs, type EventsAfterPage, type QueueCursor } from './queries';
import { Sync } from './sync';
import type {
  BatchInput,
  BatchResult,
  CommandOutcome,
  EventCounts,
  InboundReject,
  OutboundCommand,
  PendingCommand,
  PositionsResult,
  RejectedCommand,
  ReplicaLog,
  ReplicaOptions,
  ReplicaState,
} from './types';
import { ReplicaWriter, type MetaRow } from './writer';
import { RegisterTables } from '../registers/tables';

export type * from './types';
export { oneLine, reportedLastN } from './sync';

const DAY_MS = 86_400_000;
/** Events masked per step of the background fill (one write of a few tens of milliseconds). */
const MASK_FILL_STEP = 500;

const silentLog: ReplicaLog = {
  info: () => undefined,
  warn: (msg, detail) => console.warn(msg, detail ?? ''),
};

export class Replica {
  readonly replicaId: string;
  readonly town: string;

  private readonly writer: ReplicaWriter;
  private readonly rows: EventRows;
  private readonly lookups: Lookups;
  private readonly overlay: Overlay;
  private readonly sync: Sync;
  private readonly outbox: Outbox;
  private readonly tracks: Positions;
  private readonly queries: Queries;
  private readonly log: ReplicaLog;
  private maskFill: NodeJS.Timeout | null = null;
  /** Masks missing after an upgrade or a catch-up are stored in the background (not in tests that say 'off'). */
  private readonly backgroundMaskFill: boolean;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly db: SqliteDatabase,
    opts: ReplicaOptions,
    meta: MetaRow,
  ) {
    this.replicaId = meta.replica_id;
    this.town = meta.town;
    const now = opts.now ?? Date.now;
    const log = opts.log ?? silentLog;
    this.log = log;
    this.backgroundMaskFill = opts.maskFill !== 'off';
    this.writer = new ReplicaWriter(db, meta);
    this.rows = new EventRows(this.writer);
    this.lookups = new Lookups(db, opts.calendar ?? new WorkCalendar());
    this.overlay = new Overlay(this.writer, this.rows, this.lookups);
    this.queries = new Queries(this.writer, this.rows);
    this.sync = new Sync(this.writer, this.rows, this.overlay, this.lookups, {
      now,
      log,
      rejectsMax: Math.max(1, Math.floor(opts.inboundRejectsMax ?? 10_000)),
      registers: new RegisterTables(db),
      deferMasks: this.backgroundMaskFill,
    });
    this.outbox = new Outbox(this.writer, this.rows, this.overlay, this.lookups, {
      replicaId: this.replicaId,
      now,
      getEvent: (id) => this.queries.getEvent(id),
    });
    this.tracks = new Positions(this.writer, this.lookups, {
      now,
      retentionMs: opts.trackRetentionMs ?? DAY_MS,
      maxPerWorker: Math.max(1, Math.floor(opts.trackMaxPerWorker ?? 5000)),
      pruneEvery: Math.max(1, Math.floor(opts.trackPruneEvery ?? 2000)),
      maxFixAheadMs: opts.maxFixAheadMs ?? DAY_MS,
    });
  }

  /**
   * Opens the replica file (creating it and running the migrations when needed). The
   * replica id is generated the first time and kept for ever; a file made for another
   * town is refused rather than silently mixed.
   */
  static async open(opts: ReplicaOptions): Promise<Replica> {
    if (!TOWN_CODE_PATTERN.test(opts.town)) throw new Error(`town code must have 9 digits: ${JSON.stringify(opts.town)}`);
    const { dataSource, db } = await openDatabase(opts.file);
    try {
      let meta = db.prepare<MetaRow>('SELECT * FROM meta WHERE id = 1').get();
      if (meta === undefined) {
        db.prepare('INSERT INTO meta (id, replica_id, town, next_n) VALUES (1, ?, ?, 1)').run(randomUUID(), opts.town);
        meta = db.prepare<MetaRow>('SELECT * FROM meta WHERE id = 1').get() as MetaRow;
      } else if (meta.town !== opts.town) {
        throw new Error(`the replica file ${opts.file} serves town ${meta.town}, not ${opts.town}`);
      }
      const replica = new Replica(dataSource, db, opts, meta);
      backfillFacts(db);
      replica.pruneTracks(true);
      if (replica.rows.masks.open() && replica.backgroundMaskFill) replica.scheduleMaskFill();
      return replica;
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
  }

  state(): ReplicaState {
    return { ...this.writer.meta };
  }

  // ---------------------------------------------------------------- downstream: changes (sync.ts)

  /**
   * Applies one `changes` batch (its envelope already validated) with its cursor in one
   * transaction. A batch that does not follow the stored cursor stores nothing.
   */
  applyBatch(batch: BatchInput): BatchResult {
    const result = this.sync.applyBatch(batch);
    // Caught up: the masks the catch-up left out are stored in the background (event-masks.ts).
    if (result.status === 'applied' && !batch.more && this.maskFill === null && this.backgroundMaskFill && this.rows.masks.fillDue()) {
      this.scheduleMaskFill();
    }
    return result;
  }

  // ---------------------------------------------------------------- upstream: the outbox (outbox.ts)

  /**
   * A dispatcher's command: run on the current view and, when accepted, queued with the
   * new view; `alongside(n)` runs in the same transaction (its audit entry).
   */
  command(name: string, args: unknown, actor: Actor, atMs: number, alongside?: (n: number) => void): CommandOutcome {
    return this.outbox.command(name, args, actor, atMs, alongside);
  }

  /** project: the county's sensors and cameras (`device` entities), by id. */
  devices(): Device[] {
    return this.sync.devices.list();
  }

  /** A command that changes no event (worker.notify), queued as the next n (outbox.ts enqueue). */
  enqueue(name: string, args: unknown, actor: Actor, atMs: number, alongside?: (n: number) => void): ReturnType<Outbox['enqueue']> {
    return this.outbox.enqueue(name, args, actor, atMs, alongside);
  }

  /** The state of outbox command n (queued, applied, rejected with its code), or null. */
  commandState(n: number): ReturnType<Outbox['stateOf']> {
    return this.outbox.stateOf(n);
  }

  /**
   * The replica's connection and its one serial writer, for the tables of the same file
   * that are not the county's (accounts, sessions, the audit trail: electron/service/people/).
   */
  store(): { db: SqliteDatabase; write<T>(fn: () => T): T } {
    return { db: this.db, write: (fn) => this.writer.write(fn) };
  }

  /** project: a command outside the workflow (the registers' edits), queued with the town's own view of it (Outbox.queue). */
  queueCommand(name: string, args: unknown, actor: Actor, atMs: number, key: string, alongside: (n: number) => void): number {
    return this.outbox.queue(name, args, actor, atMs, key, alongside);
  }

  /** project: several such commands in one transaction (Outbox.queueMany). */
  queueCommands(commands: readonly { name: string; args: unknown; key: string }[], actor: Actor, atMs: number, alongside: (n: number, index: number) => void): number[] {
    return this.outbox.queueMany(commands, actor, atMs, alongside);
  }

  /** The lowest command the county has not acknowledged (sent or not: a restart resends it). */
  nextOutbound(): OutboundCommand | null {
    return this.outbox.nextOutbound();
  }

  /** The county's answer to command n (applied: kept until lastN reaches n; rejected: rolled back). */
  acknowledge(n: number, ack: MutateAck): { changedEventIds: string[] } {
    return this.outbox.acknowledge(n, ack);
  }

  /** Commands not yet settled by the county: unacknowledged, or applied with n > lastN. */
  queueLength(): number {
    return this.outbox.queueLength();
  }

  /** Commands not yet acknowledged. */
  unsentCount(): number {
    return this.outbox.unsentCount();
  }

  /** The dispatcher has dealt with a rejected command: it leaves commands.rejected. */
  dismissRejected(n: number): boolean {
    return this.outbox.dismissRejected(n);
  }

  /** Commands the county rejected (final) and not dismissed, the latest rejection first. */
  rejectedCommands(limit: number): RejectedCommand[] {
    return this.outbox.rejectedCommands(limit);
  }

  /** The unsettled commands of one event, in n order. */
  pendingCommands(eventId: string): PendingCommand[] {
    return this.outbox.pendingCommands(eventId);
  }

  // ---------------------------------------------------------------- downstream: positions (positions.ts)

  /** Stores a `positions` message: every valid fix in the track, the newest per worker as its position. */
  applyPositions(items: unknown[]): PositionsResult {
    return this.tracks.applyPositions(items);
  }

  /** Drops track points beyond the retention and the per-worker cap; returns how many. */
  pruneTracks(all = false): number {
    return this.tracks.pruneTracks(all);
  }

  positions(): PositionFix[] {
    return this.tracks.positions();
  }

  track(workerId: string, fromMs: number, toMs: number): PositionFix[] {
    return this.tracks.track(workerId, fromMs, toMs);
  }

  // ---------------------------------------------------------------- queries (queries.ts)

  /**
   * One page of events (their views) by filters, sorted by risk or newest report. With a
   * mask level (core/privacy/mask.ts maskLevel), the views as that level shows them, from
   * the masks stored with each event (event-masks.ts), vouched for as masked.
   */
  listEvents(args: ParsedArgsOf<'events.list'> & Pick<EventFilter, 'scope'>, nowMs: number, level?: MaskLevel): ResultOf<'events.list'> {
    return this.queries.listEvents(args, nowMs, level);
  }

  /** The events after a cursor in the queue's order, page by page, read as iterated (keyset paging: see Queries.eventsAfter). */
  eventsAfter(args: EventsAfterArgs, after: QueueCursor | null, limit: number, nowMs: number, level?: MaskLevel): EventsAfterPage {
    return this.queries.eventsAfter(args, after, limit, nowMs, level);
  }

  /** The queue's tab counts under a filter (unfiltered: from the counters). */
  countEvents(filter: EventFilter, nowMs: number): EventCounts {
    return this.queries.countEvents(filter, nowMs);
  }

  /** Events (views) of one category reported between fromMs and toMs, in the given statuses, other than excludeId. */
  eventsOfCategoryBetween(category: string, fromMs: number, toMs: number, statuses: readonly string[], excludeId: string, limit: number): GridEvent[] {
    return this.queries.eventsOfCategoryBetween(category, fromMs, toMs, statuses, excludeId, limit);
  }

  /** The event as the dispatchers see it: the county's state with the unsettled commands replayed; with a mask level, as listEvents. */
  getEvent(id: string, level?: MaskLevel): GridEvent | null {
    return this.queries.getEvent(id, level);
  }

  // ---------------------------------------------------------------- the stored masks (event-masks.ts)

  /**
   * Masks now every event that has no stored masks (a replica from before migration 0014,
   * or masked by other rules); returns how many steps it took. Otherwise done in the
   * background after open, a step at a time; reads mask such events on the fly meanwhile.
   */
  fillMasks(): number {
    let steps = 0;
    while (this.writer.write(() => this.rows.masks.fillStep(MASK_FILL_STEP))) steps++;
    return steps + 1;
  }

  private scheduleMaskFill(): void {
    this.maskFill = setTimeout(() => {
      this.maskFill = null;
      if (this.writer.closed) return;
      try {
        if (this.writer.write(() => this.rows.masks.fillStep(MASK_FILL_STEP))) this.scheduleMaskFill();
      } catch (error) {
        // Reads still mask these events on the fly; the next open resumes where this stopped.
        this.log.warn('[replica] storing the masked views stopped', { error: String(error) });
      }
    }, 0);
    this.maskFill.unref();
  }

  grids(level?: 1 | 2 | 3): Grid[] {
    return this.queries.grids(level);
  }

  gridTree(): ResultOf<'grids.tree'> {
    return this.queries.gridTree();
  }

  departments(): Department[] {
    return this.queries.departments();
  }

  categories(): Category[] {
    return this.queries.categories();
  }

  /** Workers, optionally those responsible for a grid or any grid below it (code prefix), or on duty. */
  workers(filter: { grid?: string; onDuty?: boolean }): Worker[] {
    return this.queries.workers(filter);
  }

  /** The county's state as replicated: base entities only, sorted by id. */
  snapshot(): ReturnType<Queries['snapshot']> {
    return this.queries.snapshot();
  }

  /** Change items the replica refused, newest first. */
  inboundRejects(limit: number): InboundReject[] {
    return this.queries.inboundRejects(limit);
  }

  // ---------------------------------------------------------------- integrity, closing

  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }

  /** Where the queue's counters differ from a recount of the events (empty: they agree). */
  counterMismatches(): string[] {
    return this.rows.counterMismatches();
  }

  async close(): Promise<void> {
    if (this.writer.closed) return;
    if (this.maskFill) clearTimeout(this.maskFill);
    this.maskFill = null;
    this.writer.close();
    try {
      this.db.pragma('optimize');
    } catch {
      // Only a hint to the planner; closing matters more.
    }
    await this.dataSource.destroy();
  }
}
