// The town's local replica of the county's data (county-link-v1), in one SQLite file:
// the replicated entities, each event's county base and optimistic view, the outbox
// of the dispatchers' commands, worker positions with a bounded track history, and
// the sync position (cursor, lastN). Every write is one synchronous better-sqlite3
// transaction, so a batch and its cursor, or a command and its optimistic effect,
// are stored together or not at all, and the single JS thread makes the writer serial.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CommandReceipt, ParsedArgsOf, ResultOf } from '../../../core/api/contract';
import { parseCommand, type EventCommand } from '../../../core/events/commands';
import { transition } from '../../../core/events/transition';
import { applyEffects } from '../../../core/events/effects';
import type { TransitionContext } from '../../../core/events/types';
import type { Actor, Category, Department, Grid, GridEvent, PositionFix, Worker } from '../../../core/model';
import { WorkCalendar } from '../../../core/sla/calendar';
import {
  LIMITS,
  WireActorSchema,
  parseChangeItem,
  parsePositionItem,
  type Entity,
  type EntityType,
  type MutateAck,
} from '../../../core/sync/protocol';
import { toIso } from '../../../core/time/shanghai';
import { openDatabase, type SqlValue, type SqliteDatabase, type Statement } from '../db/sqlite';
import { buildGridTreeNodes } from '../grid-tree';
import { eventColumns, eventFilterSql, overdueRiskBound, prefixRange, searchText, type EventFilter } from './event-index';

export interface ReplicaLog {
  info(msg: string, detail?: unknown): void;
  warn(msg: string, detail?: unknown): void;
}

export interface ReplicaOptions {
  /** SQLite file (created if missing); ':memory:' allowed for tests. */
  file: string;
  /** 9-digit town code this replica serves. */
  town: string;
  calendar?: WorkCalendar;
  /** Only for receivedAt, lastSyncAt, rejectedAt and pruning; a command's time comes in as a parameter. */
  now?: () => number;
  /** Track history kept per worker, counted back from now(). Default 24 h. */
  trackRetentionMs?: number;
  /** Fixes kept per worker. Default 5000. */
  trackMaxPerWorker?: number;
  /** Track pruning runs after this many stored fixes (amortised, not on every insert). Default 2000. */
  trackPruneEvery?: number;
  /** A fix timed further than this ahead of now() is refused (it would stay "latest" for ever). Default 24 h. */
  maxFixAheadMs?: number;
  /** Inbound rejects kept for the operator. Default 10,000. */
  inboundRejectsMax?: number;
  log?: ReplicaLog;
}

export interface ReplicaState {
  cursor: string | null;
  lastN: number | null;
  nextN: number;
  lastSyncAt: number | null;
  catchingUp: boolean;
}

export interface BatchInput {
  from: string | null;
  to: string;
  more: boolean;
  reset: boolean;
  lastN: number | null;
  items: unknown[];
}

/** Entities of one type that changed; `all` (after a reset) means any of that type may have changed. */
export interface ChangedEntities {
  type: EntityType;
  ids: string[];
  all?: boolean;
}

export interface BatchResult {
  status: 'applied' | 'duplicate' | 'out-of-sequence';
  applied: number;
  ignored: { index: number; reason: string; unknownType: boolean }[];
  changed: ChangedEntities[];
}

export interface PositionsResult {
  /** Fixes that became their worker's current position (one per worker). */
  latest: PositionFix[];
  /** Valid fixes stored in the track history only (older than, or equal to, the worker's current fix). */
  historyOnly: number;
  invalid: { index: number; reason: string }[];
}

export interface OutboundCommand {
  n: number;
  id: string;
  name: string;
  args: unknown;
  at: string;
  actor: Actor;
}

export type CommandOutcome = { ok: true; receipt: CommandReceipt } | { ok: false; code: string; message: string };
export type RejectedCommand = ResultOf<'commands.rejected'>[number];

export interface InboundReject {
  at: number;
  batchTo: string | null;
  index: number;
  unknownType: boolean;
  reason: string;
  excerpt: string | null;
}

export interface PendingCommand {
  n: number;
  name: string;
  state: 'queued' | 'applied';
}

const DAY_MS = 86_400_000;
const TEXT_CODE_MAX = 64;

interface MetaRow {
  replica_id: string;
  town: string;
  cursor: string | null;
  last_n: number | null;
  next_n: number;
  last_sync_at: number | null;
  catching_up: number;
}

interface OutboxRow {
  n: number;
  id: string;
  name: string;
  args: string;
  at: string;
  at_ms: number;
  actor: string;
  event_id: string;
  target_id: string | null;
  state: 'queued' | 'applied' | 'rejected';
  code: string | null;
  message: string | null;
  rejected_at: string | null;
}

interface EventRow {
  seq: number;
  /** Null exactly when the replica holds no county base for the event. */
  base_rev: number | null;
  pending: number;
}

interface EventDoc {
  base: string | null;
  /** Null when the view is the base. */
  view: string | null;
}

type PutEntity = Exclude<Entity, { type: 'event' }>;

/** Per-type storage of the non-event entities: their revision, put and delete. */
interface EntityTable {
  rev: Statement<{ rev: number }>;
  put(id: string, rev: number, entity: PutEntity): void;
  del(id: string): void;
}

const silentLog: ReplicaLog = {
  info: () => undefined,
  warn: (msg, detail) => console.warn(msg, detail ?? ''),
};

/** A short, safe excerpt of a refused item, for the operator's table. */
function excerpt(raw: unknown): string | null {
  try {
    const text = JSON.stringify(raw);
    return text === undefined ? null : text.slice(0, 500);
  } catch {
    return null;
  }
}

const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}…` : s);

/** A log line stays one line whatever a county puts in a cursor or a reason (no forged log lines). */
export const oneLine = (s: string): string =>
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * A batch's lastN as the replica may take it: never beyond the last command it issued
 * (nextN - 1). A county cannot have settled a command that was never sent; a larger
 * value (a hostile or confused county, another replica's numbers) would otherwise be
 * kept for ever (lastN never goes back) and hide every later command's overlay.
 */
export function reportedLastN(lastN: number | null, nextN: number): number | null {
  return lastN === null ? null : Math.min(lastN, nextN - 1);
}

export class Replica {
  readonly replicaId: string;
  readonly town: string;

  private readonly calendar: WorkCalendar;
  private readonly now: () => number;
  private readonly log: ReplicaLog;
  private readonly retentionMs: number;
  private readonly maxPerWorker: number;
  private readonly pruneEvery: number;
  private readonly maxFixAheadMs: number;
  private readonly rejectsMax: number;

  private meta: ReplicaState;
  private closed = false;
  private readonly s: ReturnType<typeof prepareStatements>;
  private readonly tables: Record<Exclude<EntityType, 'event'>, EntityTable>;
  private readonly listStatements = new Map<string, Statement>();

  // Lookups for the workflow's context, read from the tables and dropped whenever
  // a batch touches their type (or rolls back), so a replay sees the replica's data.
  private categoryCache: Map<string, Category> | null = null;
  private departmentCache: Map<string, Department> | null = null;
  private workerCache: Map<string, Worker> | null = null;

  private fixesSincePrune = 0;
  private readonly touchedWorkers = new Set<string>();

  private constructor(
    private readonly dataSource: DataSource,
    private readonly db: SqliteDatabase,
    opts: ReplicaOptions,
    meta: MetaRow,
  ) {
    this.replicaId = meta.replica_id;
    this.town = meta.town;
    this.calendar = opts.calendar ?? new WorkCalendar();
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? silentLog;
    this.retentionMs = opts.trackRetentionMs ?? DAY_MS;
    this.maxPerWorker = Math.max(1, Math.floor(opts.trackMaxPerWorker ?? 5000));
    this.pruneEvery = Math.max(1, Math.floor(opts.trackPruneEvery ?? 2000));
    this.maxFixAheadMs = opts.maxFixAheadMs ?? DAY_MS;
    this.rejectsMax = Math.max(1, Math.floor(opts.inboundRejectsMax ?? 10_000));
    this.meta = {
      cursor: meta.cursor,
      lastN: meta.last_n,
      nextN: meta.next_n,
      lastSyncAt: meta.last_sync_at,
      catchingUp: meta.catching_up !== 0,
    };
    this.s = prepareStatements(db);
    this.tables = entityTables(db);
  }

  /**
   * Opens the replica file (creating it and running the migrations when needed). The
   * replica id is generated the first time and kept for ever; a file made for another
   * town is refused rather than silently mixed.
   */
  static async open(opts: ReplicaOptions): Promise<Replica> {
    if (!/^\d{9}$/.test(opts.town)) throw new Error(`town code must have 9 digits: ${JSON.stringify(opts.town)}`);
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
      replica.pruneTracks(true);
      return replica;
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
  }

  state(): ReplicaState {
    return { ...this.meta };
  }

  // ------------------------------------------------------------------ downstream: changes

  /**
   * Applies one `changes` batch (its envelope already validated) with its cursor in one
   * transaction. A batch that does not follow the stored cursor stores nothing.
   */
  applyBatch(batch: BatchInput): BatchResult {
    const prev = this.meta;
    if (!batch.reset && batch.from !== prev.cursor) {
      const status = batch.to === prev.cursor ? 'duplicate' : 'out-of-sequence';
      return { status, applied: 0, ignored: [], changed: [] };
    }
    const now = this.now();
    let outcome: { result: BatchResult; lastN: number | null };
    try {
      outcome = this.write(() => this.applyBatchTx(batch, now));
    } finally {
      this.dropCaches();
    }
    this.meta = { ...this.meta, cursor: batch.to, lastN: outcome.lastN, lastSyncAt: now, catchingUp: batch.more };
    if (batch.lastN !== reportedLastN(batch.lastN, this.meta.nextN)) {
      try {
        this.log.warn(oneLine(`[replica] batch ${clip(batch.to, 80)} reports lastN ${batch.lastN} beyond the last command this replica issued (${this.meta.nextN - 1}); taken as ${this.meta.nextN - 1}`));
      } catch {
        // A failing logger must not undo a committed batch.
      }
    }
    for (const item of outcome.result.ignored) {
      const message = oneLine(`[replica] ignored item ${item.index} of batch ${clip(batch.to, 80)}: ${item.reason}`);
      try {
        if (item.unknownType) this.log.info(message);
        else this.log.warn(message);
      } catch {
        // A failing logger must not undo a committed batch.
      }
    }
    return outcome.result;
  }

  private applyBatchTx(batch: BatchInput, now: number): { result: BatchResult; lastN: number | null } {
    const prevLastN = this.meta.lastN;
    const offered = reportedLastN(batch.lastN, this.meta.nextN);
    const lastN = offered !== null && (prevLastN === null || offered > prevLastN) ? offered : prevLastN;
    const changed = new Map<EntityType, Set<string>>();
    const mark = (type: EntityType, id: string): void => {
      const set = changed.get(type) ?? new Set<string>();
      set.add(id);
      changed.set(type, set);
    };
    const recompute = new Set<string>();
    // Commands the county settled with this batch leave the overlay.
    if (lastN !== null && lastN !== prevLastN) {
      for (const row of this.s.settledBetween.all(prevLastN ?? 0, lastN)) {
        recompute.add(row.event_id);
        if (row.target_id !== null) recompute.add(row.target_id);
      }
    }
    const pending = this.pendingEventIds(lastN);
    if (batch.reset) {
      this.dropReplicated(lastN);
      pending.forEach((id) => recompute.add(id));
    }

    const ignored: BatchResult['ignored'] = [];
    let applied = 0;
    batch.items.forEach((raw, index) => {
      const parsed = parseChangeItem(raw);
      if (!parsed.ok) {
        ignored.push({ index, reason: parsed.reason, unknownType: parsed.unknownType });
        this.s.insertReject.run(now, batch.to, index, parsed.unknownType ? 1 : 0, parsed.reason, excerpt(raw));
        return;
      }
      const entity = parsed.op === 'put' ? parsed.entity : null;
      if (this.applyItem(parsed.type, parsed.id, parsed.rev, entity, pending, recompute)) {
        applied++;
        mark(parsed.type, parsed.id);
      }
    });
    if (ignored.length > 0) this.s.pruneRejects.run(this.rejectsMax);

    for (const id of this.recompute(recompute, lastN)) mark('event', id);
    this.s.updateSync.run(batch.to, lastN, now, batch.more ? 1 : 0);

    const result: BatchResult = { status: 'applied', applied, ignored, changed: [] };
    if (batch.reset) {
      for (const type of ['grid', 'department', 'worker', 'category', 'event'] as const) {
        result.changed.push({ type, ids: [...(changed.get(type) ?? [])], all: true });
      }
    } else {
      for (const [type, ids] of changed) result.changed.push({ type, ids: [...ids] });
    }
    return { result, lastN };
  }

  /** Reset: the county's entities go, the outbox stays, and pending events keep their overlay on no base. */
  private dropReplicated(lastN: number | null): void {
    this.db.exec('DELETE FROM grids; DELETE FROM departments; DELETE FROM categories; DELETE FROM workers; DELETE FROM worker_grids; DELETE FROM tombstones; DELETE FROM events_fts;');
    this.s.deleteUnpendingEvents.run({ floor: lastN ?? 0 });
    this.db.exec(
      'DELETE FROM event_docs WHERE seq NOT IN (SELECT seq FROM events); ' +
        'UPDATE event_docs SET view = coalesce(view, base), base = NULL; UPDATE events SET base_rev = NULL;',
    );
    this.dropCaches();
  }

  /** One valid change item under the revision rule; true when it changed what the replica shows. */
  private applyItem(
    type: EntityType,
    id: string,
    rev: number,
    entity: Entity | null,
    pending: ReadonlySet<string>,
    recompute: Set<string>,
  ): boolean {
    if (type === 'event') return this.applyEventItem(id, rev, entity?.type === 'event' ? entity.value : null, pending, recompute);
    const table = this.tables[type];
    const current = table.rev.get(id)?.rev;
    const held = current ?? this.s.tombstoneRev.get(type, id)?.rev ?? 0;
    if (rev <= held) return false;
    if (entity === null) {
      this.s.putTombstone.run(type, id, rev);
      if (current === undefined) return false;
      table.del(id);
    } else {
      table.put(id, rev, entity as PutEntity);
      if (current === undefined && held > 0) this.s.deleteTombstone.run(type, id);
    }
    if (type === 'category') this.categoryCache = null;
    else if (type === 'department') this.departmentCache = null;
    else if (type === 'worker') this.workerCache = null;
    return true;
  }

  private applyEventItem(
    id: string,
    rev: number,
    event: GridEvent | null,
    pending: ReadonlySet<string>,
    recompute: Set<string>,
  ): boolean {
    const row = this.s.eventRow.get(id);
    const held = row?.base_rev ?? this.s.tombstoneRev.get('event', id)?.rev ?? 0;
    if (rev <= held) return false;
    if (event === null) {
      this.s.putTombstone.run('event', id, rev);
      if (row === undefined) return false;
      if (pending.has(id)) {
        // The last view stays until the replay writes the new one (a doc always has base or view).
        this.s.clearDocBase.run(row.seq);
        this.s.clearBaseRev.run(row.seq);
        recompute.add(id);
      } else {
        this.deleteEvent(row.seq);
      }
      return true;
    }
    if (held > 0 && (row === undefined || row.base_rev === null)) this.s.deleteTombstone.run('event', id);
    const base = JSON.stringify(event);
    const columns = { base_rev: rev, pending: 0, ...eventColumns(event) };
    let seq: number;
    if (row === undefined) {
      seq = Number(this.s.insertEvent.run({ id, ...columns }).lastInsertRowid);
      this.s.insertDoc.run(seq, base, null);
    } else {
      seq = row.seq;
      this.s.updateEvent.run({ seq, ...columns });
      this.s.setDocBase.run(base, seq);
    }
    // An event with unsettled commands gets its view from the replay below.
    if (pending.has(id)) recompute.add(id);
    else this.syncSearch(seq, event);
    return true;
  }

  private deleteEvent(seq: number): void {
    this.s.deleteEvent.run(seq);
    this.s.deleteDoc.run(seq);
    this.s.ftsDelete.run(seq);
  }

  // ------------------------------------------------------------------ the optimistic overlay

  /** Events named by unsettled commands (as subject or merge target). */
  private pendingEventIds(lastN: number | null): Set<string> {
    const ids = new Set<string>();
    for (const row of this.s.unsettled.all(lastN ?? 0)) {
      ids.add(row.event_id);
      if (row.target_id !== null) ids.add(row.target_id);
    }
    return ids;
  }

  /**
   * Recomputes the view of these events: base, then their unsettled commands in n order
   * through core's transition, with each command's own actor and time. Events linked by
   * a pending merge are replayed together so the merge sees its target as it was at that
   * point. A command that no longer applies is skipped (it stays queued; the county
   * decides). Returns the ids whose view changed.
   */
  private recompute(ids: ReadonlySet<string>, lastN: number | null): Set<string> {
    const changed = new Set<string>();
    if (ids.size === 0) return changed;
    const floor = lastN ?? 0;
    const group = new Set<string>();
    const commands = new Map<number, OutboxRow>();
    const queue = [...ids];
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (group.has(id)) continue;
      group.add(id);
      for (const row of this.s.unsettledOf.all(id, floor)) {
        commands.set(row.n, row);
        if (row.target_id !== null) queue.push(row.target_id);
      }
      for (const row of this.s.unsettledTargeting.all(id, floor)) queue.push(row.event_id);
    }
    const views = new Map<string, GridEvent | null>();
    const shown = new Map<string, number>();
    for (const id of group) {
      const row = this.s.eventRow.get(id);
      const base = row === undefined ? null : (this.s.doc.get(row.seq)?.base ?? null);
      views.set(id, base === null ? null : (JSON.parse(base) as GridEvent));
    }
    for (const row of [...commands.values()].sort((a, b) => a.n - b.n)) {
      const parsed = parseCommand(row.name, JSON.parse(row.args));
      if (!parsed.ok) continue;
      const target = row.target_id === null ? undefined : (views.get(row.target_id) ?? undefined);
      const actor = JSON.parse(row.actor) as Actor;
      const result = transition(views.get(row.event_id) ?? null, parsed.command, this.context(actor, row.at_ms, target));
      if (!result.ok) continue;
      // The command's effects on other events (a merge's note on its target) show too, as the county will apply them.
      for (const e of applyEffects(result, (id) => views.get(id), { now: row.at_ms, actor, command: parsed.command.name }).events) {
        views.set(e.id, e);
        shown.set(e.id, (shown.get(e.id) ?? 0) + 1);
      }
    }
    for (const id of group) {
      if (this.writeView(id, views.get(id) ?? null, shown.get(id) ?? 0)) changed.add(id);
    }
    return changed;
  }

  /** Stores an event's view (null: nothing left to show), its columns and its search text. */
  private writeView(id: string, view: GridEvent | null, pending: number): boolean {
    const row = this.s.eventRow.get(id);
    if (view === null) {
      if (row === undefined) return false;
      this.deleteEvent(row.seq);
      return true;
    }
    const json = JSON.stringify(view);
    const columns = { pending, ...eventColumns(view) };
    if (row === undefined) {
      const seq = Number(this.s.insertEvent.run({ id, base_rev: null, ...columns }).lastInsertRowid);
      this.s.insertDoc.run(seq, null, json);
      this.syncSearch(seq, view);
      return true;
    }
    const doc = this.s.doc.get(row.seq) as EventDoc;
    // The view column stays null while the view is the base (most events, most of the time).
    const stored = doc.base === json ? null : json;
    if (doc.view !== stored) this.s.setDocView.run(stored, row.seq);
    if (doc.view !== stored || row.pending !== pending) this.s.updateEventView.run({ seq: row.seq, ...columns });
    // Also when unchanged: a reset empties the search table and the replay refills it.
    this.syncSearch(row.seq, view);
    return (doc.view ?? doc.base) !== json;
  }

  /** Keeps events_fts equal to the view's text, writing only when the text differs. */
  private syncSearch(seq: number, view: GridEvent): void {
    const [code, title, description, address] = searchText(view);
    const old = this.s.ftsRow.get(seq);
    if (old !== undefined) {
      if (old.code === code && old.title === title && old.description === description && old.address === address) return;
      this.s.ftsDelete.run(seq);
    }
    this.s.ftsInsert.run(seq, code, title, description, address);
  }

  private context(actor: Actor, nowMs: number, target: GridEvent | undefined): TransitionContext {
    return {
      now: nowMs,
      actor,
      calendar: this.calendar,
      category: (code) => this.categoryMap().get(code),
      department: (id) => this.departmentMap().get(id),
      worker: (id) => this.workerMap().get(id),
      gridExists: (code) => this.s.gridExists.get(code) !== undefined,
      target,
    };
  }

  private categoryMap(): Map<string, Category> {
    this.categoryCache ??= new Map(this.categories().map((c) => [c.code, c]));
    return this.categoryCache;
  }

  private departmentMap(): Map<string, Department> {
    this.departmentCache ??= new Map(this.departments().map((d) => [d.id, d]));
    return this.departmentCache;
  }

  private workerMap(): Map<string, Worker> {
    this.workerCache ??= new Map(this.workers({}).map((w) => [w.id, w]));
    return this.workerCache;
  }

  private dropCaches(): void {
    this.categoryCache = null;
    this.departmentCache = null;
    this.workerCache = null;
  }

  // ------------------------------------------------------------------ upstream: the outbox

  /**
   * A dispatcher's command: validated, run through the workflow on the current view,
   * and when the workflow accepts it, queued as the next n together with the new view
   * in one transaction. A refused command is not queued.
   */
  command(name: string, args: unknown, actor: Actor, atMs: number): CommandOutcome {
    if (this.closed) return { ok: false, code: 'unavailable', message: '本地数据库已关闭' };
    const parsed = parseCommand(name, args);
    if (!parsed.ok) return { ok: false, code: parsed.code, message: parsed.reason };
    const who = WireActorSchema.safeParse(actor);
    if (!who.success) return { ok: false, code: 'invalid', message: '操作人信息无效' };
    if (!Number.isFinite(atMs) || atMs < 0) return { ok: false, code: 'invalid', message: '命令时间无效' };
    // The wire carries the time to the second; the local replay uses the same instant
    // so the optimistic view is what the county will compute.
    const at = Math.floor(atMs / 1000) * 1000;
    const command: EventCommand = parsed.command;
    const eventId = command.args.id;
    const targetId = command.name === 'event.merge' ? command.args.into : null;
    const target = targetId === null ? undefined : (this.getEvent(targetId) ?? undefined);
    const result = transition(this.getEvent(eventId), command, this.context(who.data, at, target));
    if (!result.ok) return { ok: false, code: result.code, message: result.reason };
    const changed = applyEffects(result, (id) => this.getEvent(id), { now: at, actor: who.data, command: command.name }).events;

    const n = this.write(() => {
      const next = (this.s.nextN.get() as { next_n: number }).next_n;
      this.s.insertOutbox.run({
        n: next,
        id: `${this.replicaId}:${next}`,
        name: command.name,
        args: JSON.stringify(command.args),
        at: toIso(at),
        at_ms: at,
        actor: JSON.stringify(who.data),
        event_id: eventId,
        target_id: targetId,
      });
      this.s.setNextN.run(next + 1);
      for (const e of changed) this.writeView(e.id, e, (this.s.eventRow.get(e.id)?.pending ?? 0) + 1);
      return next;
    });
    this.meta = { ...this.meta, nextN: n + 1 };
    return { ok: true, receipt: { commandId: `${this.replicaId}:${n}`, n, eventId, event: result.event } };
  }

  /** The lowest command the county has not acknowledged (sent or not: a restart resends it). */
  nextOutbound(): OutboundCommand | null {
    const row = this.s.nextQueued.get();
    if (row === undefined) return null;
    return { n: row.n, id: row.id, name: row.name, args: JSON.parse(row.args), at: row.at, actor: JSON.parse(row.actor) as Actor };
  }

  /**
   * The county's answer to command n. applied: kept in the overlay until lastN reaches
   * n. rejected: final (except out-of-order), the overlay is rolled back. An answer for
   * a command already answered changes nothing.
   */
  acknowledge(n: number, ack: MutateAck): { changedEventIds: string[] } {
    const row = this.s.outboxRow.get(n);
    if (row === undefined || row.state !== 'queued') return { changedEventIds: [] };
    const now = this.now();
    if (ack.status === 'applied') {
      this.write(() => this.s.markApplied.run(now, n));
      return { changedEventIds: [] };
    }
    if (ack.code === 'out-of-order') return { changedEventIds: [] };
    const ids = new Set([row.event_id]);
    if (row.target_id !== null) ids.add(row.target_id);
    let changed: Set<string>;
    try {
      changed = this.write(() => {
        this.s.markRejected.run(clip(ack.code, TEXT_CODE_MAX), clip(ack.message, LIMITS.text), now, toIso(now), n);
        return this.recompute(ids, this.meta.lastN);
      });
    } finally {
      this.dropCaches();
    }
    return { changedEventIds: [...changed] };
  }

  /** Commands not yet settled by the county: unacknowledged, or applied with n > lastN. */
  queueLength(): number {
    return (this.s.queueLength.get(this.meta.lastN ?? 0) as { c: number }).c;
  }

  /** Commands not yet acknowledged. */
  unsentCount(): number {
    return (this.s.unsentCount.get() as { c: number }).c;
  }

  /**
   * The dispatcher has dealt with a rejected command: it leaves commands.rejected (the
   * row stays in the outbox). False when n is not a rejected command or was dismissed already.
   */
  dismissRejected(n: number): boolean {
    if (this.closed) return false;
    return this.write(() => this.s.dismiss.run(this.now(), n).changes > 0);
  }

  /** Commands the county rejected (final) and not dismissed, the latest rejection first. */
  rejectedCommands(limit: number): RejectedCommand[] {
    return this.s.rejected.all(Math.max(0, Math.floor(limit))).map((r) => ({
      id: r.id,
      n: r.n,
      name: r.name,
      args: JSON.parse(r.args) as unknown,
      at: r.at,
      code: r.code ?? '',
      message: r.message ?? '',
      rejectedAt: r.rejected_at ?? r.at,
    }));
  }

  /** The unsettled commands of one event, in n order (what its view shows beyond the county's state). */
  pendingCommands(eventId: string): PendingCommand[] {
    return this.s.unsettledOf.all(eventId, this.meta.lastN ?? 0).map((r) => ({ n: r.n, name: r.name, state: r.state as PendingCommand['state'] }));
  }

  /** Change items the replica refused, newest first. */
  inboundRejects(limit: number): InboundReject[] {
    return this.s.rejects.all(Math.max(0, Math.floor(limit))).map((r) => ({
      at: r.at,
      batchTo: r.batch_to,
      index: r.item_index,
      unknownType: r.unknown_type !== 0,
      reason: r.reason,
      excerpt: r.excerpt,
    }));
  }

  // ------------------------------------------------------------------ downstream: positions

  /** Stores a `positions` message: every valid fix in the track, the newest per worker as its position. */
  applyPositions(items: unknown[]): PositionsResult {
    const now = this.now();
    const invalid: PositionsResult['invalid'] = [];
    const fixes: PositionFix[] = [];
    const workers = this.workerMap();
    items.forEach((raw, index) => {
      const parsed = parsePositionItem(raw);
      if (!parsed.ok) {
        invalid.push({ index, reason: parsed.reason });
      } else if (!workers.has(parsed.fix.workerId)) {
        invalid.push({ index, reason: `unknown worker ${JSON.stringify(parsed.fix.workerId.slice(0, 64))}` });
      } else if (parsed.fix.at > now + this.maxFixAheadMs) {
        invalid.push({ index, reason: `fix time ${parsed.fix.at} is more than ${Math.round(this.maxFixAheadMs / 60_000)} min ahead of the replica's clock` });
      } else {
        fixes.push(parsed.fix);
      }
    });
    const winners = new Map<string, PositionFix>();
    if (fixes.length > 0) {
      this.write(() => {
        for (const f of fixes) {
          this.s.insertTrack.run(f.workerId, f.at, f.lon, f.lat, f.speed, f.heading, f.accuracy);
          if (this.s.upsertLatest.run(f.workerId, f.lon, f.lat, f.at, f.speed, f.heading, f.accuracy, now).changes > 0) {
            winners.set(f.workerId, f);
          }
          this.touchedWorkers.add(f.workerId);
        }
      });
      this.fixesSincePrune += fixes.length;
      if (this.fixesSincePrune >= this.pruneEvery) this.pruneTracks();
    }
    return { latest: [...winners.values()], historyOnly: fixes.length - winners.size, invalid };
  }

  /**
   * Drops track points older than the retention and beyond the per-worker cap, for the
   * workers that received fixes since the last pruning (all workers when `all`).
   * Returns the number of points removed.
   */
  pruneTracks(all = false): number {
    const workers = all ? this.s.trackWorkers.all().map((r) => r.worker_id) : [...this.touchedWorkers];
    this.touchedWorkers.clear();
    this.fixesSincePrune = 0;
    if (workers.length === 0) return 0;
    const cutoff = this.now() - this.retentionMs;
    return this.write(() => {
      let removed = 0;
      for (const w of workers) {
        removed += this.s.pruneOld.run(w, cutoff).changes;
        const count = (this.s.trackCount.get(w) as { c: number }).c;
        if (count > this.maxPerWorker) removed += this.s.pruneCap.run({ w, keep: this.maxPerWorker }).changes;
      }
      return removed;
    });
  }

  positions(): PositionFix[] {
    return this.s.latest.all().map(toFix);
  }

  track(workerId: string, fromMs: number, toMs: number): PositionFix[] {
    return this.s.track.all(workerId, fromMs, toMs, this.maxPerWorker).map(toFix);
  }

  // ------------------------------------------------------------------ queries

  /** One page of events (their views) by filters, sorted by risk or newest report. */
  listEvents(args: ParsedArgsOf<'events.list'>, nowMs: number): ResultOf<'events.list'> {
    // The risk key is stored independent of the time (see riskKey); the current time
    // enters only the overdue filter (a running clock past its due).
    const { where, params } = eventFilterSql(args, nowMs);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    // seq breaks ties: it is in every index (the rowid), so no extra sort step.
    const order = args.sort === 'reportedAt' ? 'reported_at DESC, seq DESC' : 'risk, seq';
    const { offset, limit } = args.paging;
    const rows = this.list<{ seq: number; id: string; pending: number }>(
      `SELECT seq, id, pending FROM events ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`,
    ).all(...params, limit, offset);
    const total = (this.list<{ c: number }>(`SELECT COUNT(*) AS c FROM events ${clause}`).get(...params) as { c: number }).c;
    return {
      items: rows.map((r) => JSON.parse((this.s.docView.get(r.seq) as { view: string }).view) as GridEvent),
      total,
      offset,
      limit,
      pending: rows.filter((r) => r.pending > 0).map((r) => r.id),
    };
  }

  /**
   * The queue's tab counts under a filter, in one pass over an index: events per
   * status, and those with a running clock past due at nowMs (overdue).
   */
  countEvents(filter: EventFilter, nowMs: number): { byStatus: Record<string, number>; overdue: number; all: number } {
    const { where, params } = eventFilterSql({ ...filter, status: undefined, overdue: undefined }, nowMs);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const rows = this.list<{ status: string; c: number; overdue: number | null }>(
      `SELECT status, COUNT(*) AS c, SUM(risk < ?) AS overdue FROM events ${clause} GROUP BY status`,
    ).all(overdueRiskBound(nowMs), ...params);
    const byStatus: Record<string, number> = {};
    let overdue = 0;
    let all = 0;
    for (const r of rows) {
      byStatus[r.status] = r.c;
      overdue += r.overdue ?? 0;
      all += r.c;
    }
    return { byStatus, overdue, all };
  }

  /** Events (views) of one category reported between fromMs and toMs, in the given statuses, other than excludeId. */
  eventsOfCategoryBetween(
    category: string,
    fromMs: number,
    toMs: number,
    statuses: readonly string[],
    excludeId: string,
    limit: number,
  ): GridEvent[] {
    if (statuses.length === 0) return [];
    const rows = this.list<{ seq: number }>(
      `SELECT seq FROM events WHERE category = ? AND reported_at >= ? AND reported_at <= ?
         AND status IN (${statuses.map(() => '?').join(', ')}) AND id != ? ORDER BY reported_at, seq LIMIT ?`,
    ).all(category, fromMs, toMs, ...statuses, excludeId, Math.max(0, Math.floor(limit)));
    return rows.map((r) => JSON.parse((this.s.docView.get(r.seq) as { view: string }).view) as GridEvent);
  }

  /** Prepared once per query shape (the shapes are few: which filters are present). */
  private list<Row>(sql: string): Statement<Row> {
    let statement = this.listStatements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.listStatements.set(sql, statement);
    }
    return statement as Statement<Row>;
  }

  /** The event as the dispatchers see it: the county's state with the unsettled commands replayed. */
  getEvent(id: string): GridEvent | null {
    const row = this.s.eventView.get(id);
    return row === undefined ? null : (JSON.parse(row.view) as GridEvent);
  }

  grids(level?: 1 | 2 | 3): Grid[] {
    const rows = level === undefined ? this.s.allGrids.all() : this.s.gridsOfLevel.all(level);
    return rows.map((r) => JSON.parse(r.data) as Grid);
  }

  gridTree(): ResultOf<'grids.tree'> {
    return buildGridTreeNodes(this.grids(), this.workers({}));
  }

  departments(): Department[] {
    return this.s.allDepartments.all().map((r) => JSON.parse(r.data) as Department);
  }

  categories(): Category[] {
    return this.s.allCategories.all().map((r) => JSON.parse(r.data) as Category);
  }

  /** Workers, optionally those responsible for a grid or any grid below it (code prefix), or on duty. */
  workers(filter: { grid?: string; onDuty?: boolean }): Worker[] {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.grid !== undefined && filter.grid !== '') {
      where.push('id IN (SELECT worker_id FROM worker_grids WHERE grid >= ? AND grid < ?)');
      params.push(...prefixRange(filter.grid));
    }
    if (filter.onDuty !== undefined) {
      where.push('on_duty = ?');
      params.push(filter.onDuty ? 1 : 0);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    return this.list<{ data: string }>(`SELECT data FROM workers ${clause} ORDER BY id`)
      .all(...params)
      .map((r) => JSON.parse(r.data) as Worker);
  }

  /** The county's state as replicated: base entities only, sorted by id. */
  snapshot(): { grids: Grid[]; departments: Department[]; categories: Category[]; workers: Worker[]; events: GridEvent[] } {
    const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
    return {
      grids: this.grids().sort(byKey((g) => g.code)),
      departments: this.departments().sort(byKey((d) => d.id)),
      categories: this.categories().sort(byKey((c) => c.code)),
      workers: this.workers({}).sort(byKey((w) => w.id)),
      events: this.s.bases
        .all()
        .map((r) => JSON.parse(r.base) as GridEvent)
        .sort(byKey((e) => e.id)),
    };
  }

  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.pragma('optimize');
    } catch {
      // Only a hint to the planner; closing matters more.
    }
    await this.dataSource.destroy();
  }

  // ------------------------------------------------------------------ the writer

  /** One write transaction at a time, synchronous from BEGIN to COMMIT. */
  private write<T>(fn: () => T): T {
    if (this.closed) throw new Error('the replica is closed');
    if (this.db.inTransaction) throw new Error('nested write: the replica has one serial writer');
    return this.db.transaction(fn).immediate();
  }
}

function toFix(r: { worker_id: string; lon: number; lat: number; at: number; speed: number | null; heading: number | null; accuracy: number | null }): PositionFix {
  return { workerId: r.worker_id, lon: r.lon, lat: r.lat, at: r.at, speed: r.speed, heading: r.heading, accuracy: r.accuracy };
}

const EVENT_COLUMNS = 'code, status, category, grid, source, urgency, reported_at, risk';
const EVENT_VALUES = '@code, @status, @category, @grid, @source, @urgency, @reported_at, @risk';
const EVENT_SETS =
  'code = @code, status = @status, category = @category, grid = @grid, source = @source, urgency = @urgency, reported_at = @reported_at, risk = @risk';

function prepareStatements(db: SqliteDatabase) {
  return {
    updateSync: db.prepare('UPDATE meta SET cursor = ?, last_n = ?, last_sync_at = ?, catching_up = ? WHERE id = 1'),
    nextN: db.prepare<{ next_n: number }>('SELECT next_n FROM meta WHERE id = 1'),
    setNextN: db.prepare('UPDATE meta SET next_n = ? WHERE id = 1'),

    tombstoneRev: db.prepare<{ rev: number }>('SELECT rev FROM tombstones WHERE type = ? AND id = ?'),
    putTombstone: db.prepare('INSERT INTO tombstones (type, id, rev) VALUES (?, ?, ?) ON CONFLICT (type, id) DO UPDATE SET rev = excluded.rev'),
    deleteTombstone: db.prepare('DELETE FROM tombstones WHERE type = ? AND id = ?'),
    insertReject: db.prepare('INSERT INTO inbound_rejects (at, batch_to, item_index, unknown_type, reason, excerpt) VALUES (?, ?, ?, ?, ?, ?)'),
    pruneRejects: db.prepare('DELETE FROM inbound_rejects WHERE seq <= (SELECT max(seq) FROM inbound_rejects) - ?'),
    rejects: db.prepare<{ at: number; batch_to: string | null; item_index: number; unknown_type: number; reason: string; excerpt: string | null }>(
      'SELECT at, batch_to, item_index, unknown_type, reason, excerpt FROM inbound_rejects ORDER BY seq DESC LIMIT ?',
    ),

    eventRow: db.prepare<EventRow>('SELECT seq, base_rev, pending FROM events WHERE id = ?'),
    doc: db.prepare<EventDoc>('SELECT base, view FROM event_docs WHERE seq = ?'),
    docView: db.prepare<{ view: string }>('SELECT coalesce(view, base) AS view FROM event_docs WHERE seq = ?'),
    eventView: db.prepare<{ view: string }>(
      'SELECT coalesce(d.view, d.base) AS view FROM events e JOIN event_docs d ON d.seq = e.seq WHERE e.id = ?',
    ),
    bases: db.prepare<{ base: string }>('SELECT base FROM event_docs WHERE base IS NOT NULL'),
    insertEvent: db.prepare(
      `INSERT INTO events (id, base_rev, pending, ${EVENT_COLUMNS}) VALUES (@id, @base_rev, @pending, ${EVENT_VALUES})`,
    ),
    updateEvent: db.prepare(`UPDATE events SET base_rev = @base_rev, pending = @pending, ${EVENT_SETS} WHERE seq = @seq`),
    updateEventView: db.prepare(`UPDATE events SET pending = @pending, ${EVENT_SETS} WHERE seq = @seq`),
    clearBaseRev: db.prepare('UPDATE events SET base_rev = NULL WHERE seq = ?'),
    deleteEvent: db.prepare('DELETE FROM events WHERE seq = ?'),
    insertDoc: db.prepare('INSERT INTO event_docs (seq, base, view) VALUES (?, ?, ?)'),
    setDocBase: db.prepare('UPDATE event_docs SET base = ?, view = NULL WHERE seq = ?'),
    setDocView: db.prepare('UPDATE event_docs SET view = ? WHERE seq = ?'),
    clearDocBase: db.prepare('UPDATE event_docs SET view = coalesce(view, base), base = NULL WHERE seq = ?'),
    deleteDoc: db.prepare('DELETE FROM event_docs WHERE seq = ?'),
    deleteUnpendingEvents: db.prepare(
      `DELETE FROM events WHERE id NOT IN (
         SELECT event_id FROM outbox WHERE n > @floor AND state != 'rejected'
         UNION SELECT target_id FROM outbox WHERE n > @floor AND state != 'rejected' AND target_id IS NOT NULL)`,
    ),
    ftsRow: db.prepare<{ code: string; title: string; description: string; address: string }>(
      'SELECT code, title, description, address FROM events_fts WHERE rowid = ?',
    ),
    ftsInsert: db.prepare('INSERT INTO events_fts (rowid, code, title, description, address) VALUES (?, ?, ?, ?, ?)'),
    ftsDelete: db.prepare('DELETE FROM events_fts WHERE rowid = ?'),

    insertOutbox: db.prepare(
      `INSERT INTO outbox (n, id, name, args, at, at_ms, actor, event_id, target_id)
       VALUES (@n, @id, @name, @args, @at, @at_ms, @actor, @event_id, @target_id)`,
    ),
    outboxRow: db.prepare<OutboxRow>('SELECT * FROM outbox WHERE n = ?'),
    nextQueued: db.prepare<OutboxRow>("SELECT * FROM outbox WHERE state = 'queued' ORDER BY n LIMIT 1"),
    markApplied: db.prepare("UPDATE outbox SET state = 'applied', acked_at = ? WHERE n = ? AND state = 'queued'"),
    markRejected: db.prepare(
      "UPDATE outbox SET state = 'rejected', code = ?, message = ?, acked_at = ?, rejected_at = ? WHERE n = ? AND state = 'queued'",
    ),
    unsettled: db.prepare<{ event_id: string; target_id: string | null }>(
      "SELECT event_id, target_id FROM outbox WHERE n > ? AND state != 'rejected'",
    ),
    settledBetween: db.prepare<{ event_id: string; target_id: string | null }>(
      'SELECT event_id, target_id FROM outbox WHERE n > ? AND n <= ?',
    ),
    unsettledOf: db.prepare<OutboxRow>("SELECT * FROM outbox WHERE event_id = ? AND n > ? AND state != 'rejected' ORDER BY n"),
    unsettledTargeting: db.prepare<{ event_id: string }>(
      "SELECT event_id FROM outbox WHERE target_id = ? AND n > ? AND state != 'rejected'",
    ),
    queueLength: db.prepare<{ c: number }>(
      "SELECT COUNT(*) AS c FROM outbox WHERE state = 'queued' OR (state = 'applied' AND n > ?)",
    ),
    unsentCount: db.prepare<{ c: number }>("SELECT COUNT(*) AS c FROM outbox WHERE state = 'queued'"),
    rejected: db.prepare<OutboxRow>(
      "SELECT * FROM outbox WHERE state = 'rejected' AND dismissed_at IS NULL ORDER BY acked_at DESC, n DESC LIMIT ?",
    ),
    dismiss: db.prepare("UPDATE outbox SET dismissed_at = ? WHERE n = ? AND state = 'rejected' AND dismissed_at IS NULL"),

    gridExists: db.prepare('SELECT 1 FROM grids WHERE code = ?'),
    allGrids: db.prepare<{ data: string }>('SELECT data FROM grids ORDER BY code'),
    gridsOfLevel: db.prepare<{ data: string }>('SELECT data FROM grids WHERE level = ? ORDER BY code'),
    allDepartments: db.prepare<{ data: string }>('SELECT data FROM departments ORDER BY id'),
    allCategories: db.prepare<{ data: string }>('SELECT data FROM categories ORDER BY code'),

    insertTrack: db.prepare(
      'INSERT OR IGNORE INTO track_points (worker_id, at, lon, lat, speed, heading, accuracy) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    upsertLatest: db.prepare(
      `INSERT INTO positions_latest (worker_id, lon, lat, at, speed, heading, accuracy, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (worker_id) DO UPDATE SET lon = excluded.lon, lat = excluded.lat, at = excluded.at, speed = excluded.speed,
         heading = excluded.heading, accuracy = excluded.accuracy, received_at = excluded.received_at
       WHERE excluded.at > positions_latest.at`,
    ),
    latest: db.prepare<{ worker_id: string; lon: number; lat: number; at: number; speed: number | null; heading: number | null; accuracy: number | null }>(
      'SELECT * FROM positions_latest ORDER BY worker_id',
    ),
    track: db.prepare<{ worker_id: string; lon: number; lat: number; at: number; speed: number | null; heading: number | null; accuracy: number | null }>(
      'SELECT * FROM track_points WHERE worker_id = ? AND at >= ? AND at <= ? ORDER BY at LIMIT ?',
    ),
    trackWorkers: db.prepare<{ worker_id: string }>('SELECT DISTINCT worker_id FROM track_points'),
    trackCount: db.prepare<{ c: number }>('SELECT COUNT(*) AS c FROM track_points WHERE worker_id = ?'),
    pruneOld: db.prepare('DELETE FROM track_points WHERE worker_id = ? AND at < ?'),
    pruneCap: db.prepare(
      `DELETE FROM track_points WHERE worker_id = @w
         AND at <= (SELECT at FROM track_points WHERE worker_id = @w ORDER BY at DESC LIMIT 1 OFFSET @keep)`,
    ),
  };
}

function entityTables(db: SqliteDatabase): Record<Exclude<EntityType, 'event'>, EntityTable> {
  const grid = {
    rev: db.prepare<{ rev: number }>('SELECT rev FROM grids WHERE code = ?'),
    put: db.prepare(
      `INSERT INTO grids (code, rev, level, parent, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET rev = excluded.rev, level = excluded.level, parent = excluded.parent, data = excluded.data`,
    ),
    del: db.prepare('DELETE FROM grids WHERE code = ?'),
  };
  const department = {
    rev: db.prepare<{ rev: number }>('SELECT rev FROM departments WHERE id = ?'),
    put: db.prepare('INSERT INTO departments (id, rev, data) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, data = excluded.data'),
    del: db.prepare('DELETE FROM departments WHERE id = ?'),
  };
  const category = {
    rev: db.prepare<{ rev: number }>('SELECT rev FROM categories WHERE code = ?'),
    put: db.prepare('INSERT INTO categories (code, rev, data) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET rev = excluded.rev, data = excluded.data'),
    del: db.prepare('DELETE FROM categories WHERE code = ?'),
  };
  const worker = {
    rev: db.prepare<{ rev: number }>('SELECT rev FROM workers WHERE id = ?'),
    put: db.prepare(
      'INSERT INTO workers (id, rev, on_duty, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, on_duty = excluded.on_duty, data = excluded.data',
    ),
    del: db.prepare('DELETE FROM workers WHERE id = ?'),
    clearGrids: db.prepare('DELETE FROM worker_grids WHERE worker_id = ?'),
    addGrid: db.prepare('INSERT OR IGNORE INTO worker_grids (grid, worker_id) VALUES (?, ?)'),
  };
  return {
    grid: {
      rev: grid.rev,
      put: (id, rev, e) => {
        const g = e.value as Grid;
        grid.put.run(id, rev, g.level, g.parent, JSON.stringify(g));
      },
      del: (id) => void grid.del.run(id),
    },
    department: {
      rev: department.rev,
      put: (id, rev, e) => void department.put.run(id, rev, JSON.stringify(e.value)),
      del: (id) => void department.del.run(id),
    },
    category: {
      rev: category.rev,
      put: (id, rev, e) => void category.put.run(id, rev, JSON.stringify(e.value)),
      del: (id) => void category.del.run(id),
    },
    worker: {
      rev: worker.rev,
      put: (id, rev, e) => {
        const w = e.value as Worker;
        worker.put.run(id, rev, w.onDuty ? 1 : 0, JSON.stringify(w));
        worker.clearGrids.run(id);
        for (const g of w.grids) worker.addGrid.run(g, id);
      },
      del: (id) => {
        worker.del.run(id);
        worker.clearGrids.run(id);
      },
    },
  };
}
