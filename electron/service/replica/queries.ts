// Reads: the event queue (a page, its total and the tab counts), single events, the
// replicated entities, the grid tree, the county's state as replicated, and the
// refused change items. The unfiltered totals and tab counts come from the counters
// kept by event-rows.ts; filtered ones count an index range.
import type { TownSnapshot } from '../../../core/sync/protocol';
import type { ParsedArgsOf, ResultOf } from '../../../core/api/contract';
import type { Category, Department, Grid, GridEvent, Worker } from '../../../core/model';
import type { MaskLevel } from '../../../core/privacy/mask';
import type { SqlValue, SqliteDatabase } from '../db/sqlite';
import { buildGridTreeNodes } from '../../../core/grid/hierarchy';
import { eventFilterSql, overdueRiskBound, prefixRange, type EventFilter } from './event-index';
import type { EventRows } from './event-rows';
import type { EventCounts, InboundReject } from './types';
import type { ReplicaWriter } from './writer';

function prepare(db: SqliteDatabase) {
  return {
    docView: db.prepare<{ view: string }>('SELECT coalesce(view, base) AS view FROM event_docs WHERE seq = ?'),
    eventView: db.prepare<{ view: string }>('SELECT coalesce(d.view, d.base) AS view FROM events e JOIN event_docs d ON d.seq = e.seq WHERE e.id = ?'),
    seqOf: db.prepare<{ seq: number }>('SELECT seq FROM events WHERE id = ?'),
    bases: db.prepare<{ base: string }>('SELECT base FROM event_docs WHERE base IS NOT NULL'),
    allGrids: db.prepare<{ data: string }>('SELECT data FROM grids ORDER BY code'),
    gridsOfLevel: db.prepare<{ data: string }>('SELECT data FROM grids WHERE level = ? ORDER BY code'),
    allDepartments: db.prepare<{ data: string }>('SELECT data FROM departments ORDER BY id'),
    allCategories: db.prepare<{ data: string }>('SELECT data FROM categories ORDER BY code'),
    rejects: db.prepare<{ at: number; batch_to: string | null; item_index: number; unknown_type: number; reason: string; excerpt: string | null }>(
      'SELECT at, batch_to, item_index, unknown_type, reason, excerpt FROM inbound_rejects ORDER BY seq DESC LIMIT ?',
    ),
  };
}

/** A place in the queue's order: the sort key (risk, or report time) and the seq of the last event read. */
export interface QueueCursor {
  key: number;
  seq: number;
}

/** The queue's filters and order, without a page (see Queries.eventsAfter). */
export type EventsAfterArgs = Omit<ParsedArgsOf<'events.list'>, 'paging'> & Pick<EventFilter, 'scope'>;

/** A page of Queries.eventsAfter: its events (read as iterated), the cursor after it (null at the end), the total on the first page. */
export interface EventsAfterPage {
  events: Iterable<GridEvent>;
  next: QueueCursor | null;
  total: number | null;
}

/** See Queries.walksDepartment. */
export const DEPARTMENT_WALK_MIN = 2000;

export class Queries {
  private readonly s: ReturnType<typeof prepare>;

  constructor(
    private readonly writer: ReplicaWriter,
    private readonly rows: EventRows,
  ) {
    this.s = prepare(writer.db);
  }

  /**
   * One page of events (their views) by filters, sorted by risk or newest report; with a
   * mask level, the views as that level shows them (the stored masks: event-masks.ts).
   */
  listEvents(args: ParsedArgsOf<'events.list'> & Pick<EventFilter, 'scope'>, nowMs: number, level?: MaskLevel): ResultOf<'events.list'> {
    // The risk key is stored independent of the time (see riskKey); the current time
    // enters only the overdue filter (a running clock past its due).
    const { where, params } = eventFilterSql(args, nowMs);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    // seq breaks ties: it is in every index (the rowid), so no extra sort step.
    const order = args.sort === 'reportedAt' ? 'reported_at DESC, seq DESC' : 'risk, seq';
    const { offset, limit } = args.paging;
    const page = this.walksDepartment(args) ? eventFilterSql(args, nowMs, { walkDepartment: true }) : { where, params };
    const pageClause = page.where.length > 0 ? `WHERE ${page.where.join(' AND ')}` : '';
    const rows = this.writer
      .prepared<{ seq: number; id: string; pending: number }>(`SELECT seq, id, pending FROM events ${pageClause} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...page.params, limit, offset);
    return {
      items: rows.map((r) => (level === undefined ? this.view(r.seq) : (this.rows.masks.read(r.seq, level) as GridEvent))),
      total: this.total(args, nowMs, clause, params),
      offset,
      limit,
      pending: rows.filter((r) => r.pending > 0).map((r) => r.id),
    };
  }

  /**
   * The events after a cursor in the queue's order, for reading a long list through (an
   * export of 100,000 events): keyset paging on the order's key and seq, so a page never
   * walks the rows before it (as OFFSET does), and a page holds only its seqs: each event's
   * view is read and parsed as the page is iterated, and is garbage once the caller has
   * used it. An event gone meanwhile is skipped. The total is counted for the first page
   * (after null) only; next is null after the last page.
   */
  eventsAfter(args: EventsAfterArgs, after: QueueCursor | null, limit: number, nowMs: number, level?: MaskLevel): EventsAfterPage {
    const byReport = args.sort === 'reportedAt';
    const key = byReport ? 'reported_at' : 'risk';
    const page = eventFilterSql(args, nowMs, { walkDepartment: this.walksDepartment(args) });
    if (after !== null) {
      // (key, seq) is the order itself (seq breaks ties), so the page starts right after the cursor.
      page.where.push(`(${key}, seq) ${byReport ? '<' : '>'} (?, ?)`);
      page.params.push(after.key, after.seq);
    }
    const clause = page.where.length > 0 ? `WHERE ${page.where.join(' AND ')}` : '';
    const order = byReport ? 'reported_at DESC, seq DESC' : 'risk, seq';
    const rows = this.writer.prepared<{ seq: number; key: number }>(`SELECT seq, ${key} AS key FROM events ${clause} ORDER BY ${order} LIMIT ?`).all(...page.params, limit);
    const last = rows.at(-1);
    let total: number | null = null;
    if (after === null) {
      const { where, params } = eventFilterSql(args, nowMs);
      total = this.total(args, nowMs, where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params);
    }
    const read = (seq: number): GridEvent | null => {
      if (level !== undefined) return this.rows.masks.read(seq, level);
      const row = this.s.docView.get(seq);
      return row === undefined ? null : (JSON.parse(row.view) as GridEvent);
    };
    function* events(): Generator<GridEvent> {
      for (const r of rows) {
        const event = read(r.seq);
        if (event !== null) yield event;
      }
    }
    return { events: events(), next: rows.length < limit || last === undefined ? null : { key: last.key, seq: last.seq }, total };
  }

  /**
   * Walk the queue's order for a department's page when the department takes part in
   * more than this many events: finding a page's rows among them costs less than looking
   * every one of them up and sorting (seconds' worth of lookups over a large replica).
   */
  private walksDepartment(args: EventFilter): boolean {
    const department = args.scope?.department;
    return department !== undefined && this.partyCount(department) > DEPARTMENT_WALK_MIN;
  }

  private partyCount(department: string): number {
    return (this.writer.prepared<{ c: number }>('SELECT COUNT(*) AS c FROM event_parties WHERE party = ?').get(department) as { c: number }).c;
  }

  /** The number of events a filter selects: from the counters when it is a tab alone (or nothing), else counted. */
  private total(args: EventFilter, nowMs: number, clause: string, params: SqlValue[]): number {
    const department = args.scope?.department;
    const { scope: _scope, ...unscoped } = args;
    // A department's queue as opened: its rows of event_parties, counted on their index.
    if (department !== undefined && args.scope?.grids === undefined && eventFilterSql(unscoped, nowMs).where.length === 0) return this.partyCount(department);
    const tabOnly = eventFilterSql({ ...args, status: undefined, overdue: undefined }, nowMs).where.length === 0;
    const statuses = [...new Set(args.status ?? [])];
    if (tabOnly && args.overdue !== true) {
      const counted = this.rows.counts();
      return statuses.length === 0 ? counted.all : statuses.reduce((sum, s) => sum + (counted.byStatus[s] ?? 0), 0);
    }
    if (tabOnly && statuses.length === 0) return this.rows.overdue(nowMs);
    return (this.writer.prepared<{ c: number }>(`SELECT COUNT(*) AS c FROM events ${clause}`).get(...params) as { c: number }).c;
  }

  /**
   * The queue's tab counts under a filter: events per status, and those with a running
   * clock past due at nowMs (overdue). Without a filter (the queue as opened) from the
   * counters; under a filter in one pass over an index.
   */
  countEvents(filter: EventFilter, nowMs: number): EventCounts {
    const { where, params } = eventFilterSql({ ...filter, status: undefined, overdue: undefined }, nowMs);
    if (where.length === 0) return { ...this.rows.counts(), overdue: this.rows.overdue(nowMs) };
    const rows = this.writer
      .prepared<{ status: string; c: number; overdue: number | null }>(
        `SELECT status, COUNT(*) AS c, SUM(risk < ?) AS overdue FROM events WHERE ${where.join(' AND ')} GROUP BY status`,
      )
      .all(overdueRiskBound(nowMs), ...params);
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
  eventsOfCategoryBetween(category: string, fromMs: number, toMs: number, statuses: readonly string[], excludeId: string, limit: number): GridEvent[] {
    if (statuses.length === 0) return [];
    const rows = this.writer
      .prepared<{ seq: number }>(
        `SELECT seq FROM events WHERE category = ? AND reported_at >= ? AND reported_at <= ?
         AND status IN (${statuses.map(() => '?').join(', ')}) AND id != ? ORDER BY reported_at, seq LIMIT ?`,
      )
      .all(category, fromMs, toMs, ...statuses, excludeId, Math.max(0, Math.floor(limit)));
    return rows.map((r) => this.view(r.seq));
  }

  private view(seq: number): GridEvent {
    return JSON.parse((this.s.docView.get(seq) as { view: string }).view) as GridEvent;
  }

  /**
   * The event as the dispatchers see it: the county's state with the unsettled commands
   * replayed; with a mask level, as that level shows it.
   */
  getEvent(id: string, level?: MaskLevel): GridEvent | null {
    if (level !== undefined) {
      const seq = this.s.seqOf.get(id)?.seq;
      return seq === undefined ? null : this.rows.masks.read(seq, level);
    }
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
    return this.writer
      .prepared<{ data: string }>(`SELECT data FROM workers ${clause} ORDER BY id`)
      .all(...params)
      .map((r) => JSON.parse(r.data) as Worker);
  }

  /** The county's state as replicated: base entities only, sorted by id. */
  snapshot(): TownSnapshot {
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
}
