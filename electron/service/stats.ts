// stats.overview: the video wall's figures, read from the replica so that the wall
// keeps working while the county link is down.
//
// Counts that the replica's columns answer (reported per day, per category group,
// open, overdue) are SQL counts through events.list's own filters, so they equal
// what the console and the API show. Figures that need an event's history (accepted,
// dispatched, closed today; closed per day; the assessment rates of core/analytics)
// are computed over the documents of a bounded set: the events reported in the last
// WINDOW_DAYS days plus every open event, at most MAX_DOCS of each. An event reported
// earlier than that and closed today is the one thing the bound can miss; `basis`
// says how much was read and whether a bound cut it.
import type { LinkStatus, ParsedArgsOf } from '../../core/api/contract';
import type { StatsOverview } from '../../core/api/stats';
import { ACTION, steps } from '../../core/analytics/history';
import { closureRate, onTimeClosureRate } from '../../core/analytics/rates';
import { GridIndex } from '../../core/grid/spatial';
import { maskEventData } from '../../core/privacy/mask';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Category, EventStatus, Grid, GridEvent, Worker } from '../../core/model';
import { FINAL_STATUSES, OPEN_STATUSES } from '../../core/model';
import { addDays, isoOrNull, parseIso, shanghaiDate, shanghaiMidnight, toIso } from '../../core/time/shanghai';
import type { Replica } from './replica/replica';
import type { Caller } from '../../core/api/channels';
import { gridInScope, workerInScope, type EventScope } from '../../core/privacy/scope';

/** What the figures read from the replica: derived from Replica (electron/service/replica/replica.ts). */
export type StatsReplica = Pick<Replica, 'listEvents' | 'grids' | 'categories' | 'workers' | 'positions' | 'track'>;

export interface StatsOptions {
  replica: StatsReplica;
  linkStatus: () => LinkStatus;
  clock: () => number;
  /** A caller's scope (electron/service/scope.ts): a scoped caller gets the figures of its grids or department. */
  scopeOf?: (caller: Caller) => EventScope | null;
}

/** Days of reports whose documents feed the history-based figures. */
export const WINDOW_DAYS = 30;
/** Documents read per set (recent reports, open events): the cost of one overview is bounded. */
export const MAX_DOCS = 20_000;
/** A worker is online with a fix this recent. */
export const ONLINE_MINUTES = 10;
export const GRID_LOAD_TOP = 10;
export const TICKER_SIZE = 12;
const PAGE = 500;

/** Finished events; every other status is open (the console's queue counts the same way). */
const FINAL: ReadonlySet<EventStatus> = new Set(FINAL_STATUSES);

/**
 * Overdue (超时) exactly as events.list's `overdue` filter decides it (the replica's
 * risk key): not finished, with a running clock (not stopped, not paused) whose due,
 * to the second, is before now.
 */
export function isOverdue(e: GridEvent, nowMs: number): boolean {
  if (FINAL.has(e.status)) return false;
  const nowS = Math.floor(nowMs / 1000);
  for (const clock of [e.deadlines.accept, e.deadlines.finish, e.deadlines.verify]) {
    if (!clock || clock.stoppedAt !== null || clock.pausedAt !== null) continue;
    let due: number;
    try {
      due = Math.floor(parseIso(clock.dueAt) / 1000);
    } catch {
      continue;
    }
    if (due < nowS) return true;
  }
  return false;
}

/**
 * The category groups: the top of the list of matters. A group's events are counted
 * by code prefix, as events.list's category filter selects them (the list's codes
 * nest: group "02", its matters "0201", "0202"…).
 */
function categoryGroups(categories: readonly Category[]): Category[] {
  const codes = new Set(categories.map((c) => c.code));
  return categories.filter((c) => c.parent === null || !codes.has(c.parent)).sort((a, b) => (a.code < b.code ? -1 : 1));
}

/** Today's patrol coverage, kept between calls: only new fixes are located. */
interface Coverage {
  key: string;
  covered: Set<string>;
  /** Per worker, the last fix time already looked at. */
  seen: Map<string, number>;
  /** Per worker, the grid of its last fix: the next fix is most likely in it too. */
  lastGrid: Map<string, Grid>;
}

export interface StatsQueries {
  /** The town's figures, or those of a scope (null: the whole town). */
  overview(scope?: EventScope | null): StatsOverview;
  /** The replica changed: the next overview is computed afresh. */
  invalidate(): void;
  handlers: { 'stats.overview': (args: unknown, caller: Caller) => StatsOverview };
}

/**
 * An overview is reused while the replica has not changed, for at most this long: every
 * wall asks after the same push, and one computation reads thousands of documents.
 * Figures that age by themselves (overdue clocks, online workers) lag by at most this.
 */
export const MEMO_MS = 10_000;

type Filter = Omit<ParsedArgsOf<'events.list'>, 'paging' | 'sort'>;

/** The calendar of one overview: today, the 7 days of the trend and the documents' window. */
interface Days {
  nowMs: number;
  today: string;
  todayStart: number;
  days: string[];
  weekStart: number;
  windowStart: number;
}

function daysOf(nowMs: number): Days {
  const today = shanghaiDate(nowMs);
  const days = Array.from({ length: 7 }, (_, i) => addDays(today, i - 6));
  return {
    nowMs,
    today,
    todayStart: shanghaiMidnight(today),
    days,
    weekStart: shanghaiMidnight(days[0] as string),
    windowStart: shanghaiMidnight(addDays(today, -(WINDOW_DAYS - 1))),
  };
}

/** Counts through events.list's own filters, so they equal what the console shows. */
function countOf(replica: StatsReplica, filter: Filter, nowMs: number): number {
  return replica.listEvents({ ...filter, paging: { offset: 0, limit: 1 }, sort: 'risk' }, nowMs).total;
}

/** Up to MAX_DOCS documents of a filter, page by page. */
function readDocs(replica: StatsReplica, filter: Filter, sort: 'risk' | 'reportedAt', nowMs: number): { items: GridEvent[]; truncated: boolean } {
  const items: GridEvent[] = [];
  for (let offset = 0; offset < MAX_DOCS; offset += PAGE) {
    const page = replica.listEvents({ ...filter, paging: { offset, limit: Math.min(PAGE, MAX_DOCS - offset) }, sort }, nowMs);
    items.push(...page.items);
    if (offset + page.items.length >= page.total || page.items.length === 0) return { items, truncated: false };
  }
  return { items, truncated: true };
}

/** The SQL counts: reported today, overdue, open, reported per day, and per category group. */
function sqlCounts(replica: StatsReplica, d: Days, categories: readonly Category[]) {
  const { nowMs } = d;
  const lastSecondOf = (date: string): string => toIso(shanghaiMidnight(addDays(date, 1)) - 1000);
  const categoryRows = categoryGroups(categories)
    .map((g) => ({
      code: g.code,
      name: g.name,
      today: countOf(replica, { category: g.code, from: toIso(d.todayStart) }, nowMs),
      week: countOf(replica, { category: g.code, from: toIso(d.weekStart) }, nowMs),
    }))
    .sort((a, b) => b.week - a.week || b.today - a.today || (a.code < b.code ? -1 : 1));
  return {
    reportedToday: countOf(replica, { from: toIso(d.todayStart) }, nowMs),
    overdue: countOf(replica, { overdue: true }, nowMs),
    open: countOf(replica, { status: [...OPEN_STATUSES] }, nowMs),
    reportedPerDay: d.days.map((day) => countOf(replica, { from: toIso(shanghaiMidnight(day)), to: lastSecondOf(day) }, nowMs)),
    categoryRows,
  };
}

/**
 * One pass over the histories: today's steps, the closes of each of the 7 days, and the
 * events the week's rates can count (a step in the week or a finish due in it: the others
 * are left out before the costlier formulas run, which changes no figure).
 */
function historyPass(docs: readonly GridEvent[], d: Days) {
  const dayStarts = [...d.days.map((day) => shanghaiMidnight(day)), shanghaiMidnight(addDays(d.today, 1))];
  const todayDid = { accepted: 0, dispatched: 0, closed: 0 };
  const closedPerDay = d.days.map(() => 0);
  const touchedThisWeek: GridEvent[] = [];
  for (const e of docs) {
    const s = steps(e);
    const due = e.deadlines.finish ? Date.parse(e.deadlines.finish.dueAt) : Number.NaN;
    if ((s.at(-1)?.t ?? -Infinity) >= d.weekStart || due >= d.weekStart) touchedThisWeek.push(e);
    const todays = new Set(s.filter((x) => x.t >= d.todayStart && x.t <= d.nowMs).map((x) => x.action));
    if (todays.has(ACTION.accept)) todayDid.accepted++;
    if (todays.has(ACTION.dispatch)) todayDid.dispatched++;
    if (todays.has(ACTION.close)) todayDid.closed++;
    d.days.forEach((_, i) => {
      const from = dayStarts[i] as number;
      const to = dayStarts[i + 1] as number;
      if (s.some((x) => x.action === ACTION.close && x.t >= from && x.t < to)) closedPerDay[i] = (closedPerDay[i] ?? 0) + 1;
    });
  }
  return { todayDid, closedPerDay, touchedThisWeek };
}

/** The grids with the most open events (and overdue among them). */
function gridLoadOf(openDocs: readonly GridEvent[], gridByCode: ReadonlyMap<string, Grid>, nowMs: number): StatsOverview['gridLoad'] {
  const load = new Map<string, { open: number; overdue: number }>();
  for (const e of openDocs) {
    const row = load.get(e.grid) ?? { open: 0, overdue: 0 };
    row.open++;
    if (isOverdue(e, nowMs)) row.overdue++;
    load.set(e.grid, row);
  }
  return [...load.entries()]
    .map(([code, row]) => {
      const grid = gridByCode.get(code);
      const parent = grid?.parent ? gridByCode.get(grid.parent) : undefined;
      return { code, name: grid?.name ?? code, village: parent && parent.level === 2 ? parent.name : null, ...row };
    })
    .sort((a, b) => b.open - a.open || b.overdue - a.overdue || (a.code < b.code ? -1 : 1))
    .slice(0, GRID_LOAD_TOP);
}

/** The wall's ticker of the latest reports. */
function tickerOf(replica: StatsReplica, categories: readonly Category[], gridByCode: ReadonlyMap<string, Grid>, nowMs: number): StatsOverview['latest'] {
  const categoryName = new Map(categories.map((c) => [c.code, c.name]));
  return replica.listEvents({ paging: { offset: 0, limit: TICKER_SIZE }, sort: 'reportedAt' }, nowMs).items.map((e) => ({
    id: e.id,
    code: e.code,
    reportedAt: e.reportedAt,
    category: e.category,
    categoryName: categoryName.get(e.category) ?? e.category,
    grid: e.grid,
    gridName: gridByCode.get(e.grid)?.name ?? e.grid,
    // The ticker is the wall's: a reporter's name or phone written into a title never reaches it.
    title: maskEventData(e).title,
    urgency: e.urgency,
    status: e.status,
    lon: e.location.lon,
    lat: e.location.lat,
  }));
}

function workersOf(replica: StatsReplica, workers: readonly Worker[], nowMs: number): StatsOverview['workers'] {
  const known = new Set(workers.map((w) => w.id));
  const onlineSince = nowMs - ONLINE_MINUTES * 60_000;
  const online = new Set(replica.positions().filter((p) => known.has(p.workerId) && p.at >= onlineSince).map((p) => p.workerId)).size;
  return { total: workers.length, onDuty: workers.filter((w) => w.onDuty).length, online, onlineMinutes: ONLINE_MINUTES };
}

/**
 * Today's patrol coverage of the basic grids, kept between calls: only the fixes that
 * arrived since the last call are located.
 */
function createPatrolCoverage(replica: StatsReplica): (grids: Grid[], workers: Worker[], today: string, nowMs: number) => StatsOverview['patrol'] {
  let coverage: Coverage | null = null;
  let index: { key: string; index: GridIndex; basic: Grid[] } | null = null;
  const gridIndex = (grids: Grid[]): { key: string; index: GridIndex; basic: Grid[] } => {
    const key = grids.map((g) => g.code).join(',');
    if (index?.key !== key) index = { key, index: new GridIndex(grids), basic: grids.filter((g) => g.level === 3 && g.kind === 'basic') };
    return index;
  };
  const locate = (cov: Coverage, idx: GridIndex, basicCodes: ReadonlySet<string>, workerId: string, f: { lon: number; lat: number }): void => {
    const last = cov.lastGrid.get(workerId);
    let grid: Grid | null | undefined = last && booleanPointInPolygon([f.lon, f.lat], last.geometry) ? last : undefined;
    grid ??= idx.locate(f.lon, f.lat, 3);
    if (!grid) return;
    cov.lastGrid.set(workerId, grid);
    if (basicCodes.has(grid.code)) cov.covered.add(grid.code);
  };
  return (grids, workers, today, nowMs) => {
    const { key: gridKey, index: idx, basic } = gridIndex(grids);
    const key = `${today}|${gridKey}`;
    if (coverage?.key !== key) coverage = { key, covered: new Set(), seen: new Map(), lastGrid: new Map() };
    const cov = coverage;
    const start = shanghaiMidnight(today);
    const basicCodes = new Set(basic.map((g) => g.code));
    for (const w of workers) {
      const from = Math.max(start, (cov.seen.get(w.id) ?? start - 1) + 1);
      if (from > nowMs) continue;
      const fixes = replica.track(w.id, from, nowMs);
      for (const f of fixes) locate(cov, idx, basicCodes, w.id, f);
      const latest = fixes.at(-1);
      if (latest) cov.seen.set(w.id, latest.at);
    }
    const covered = [...cov.covered].filter((c) => basicCodes.has(c)).length;
    return { basicGrids: basic.length, covered, rate: basic.length === 0 ? null : covered / basic.length };
  };
}

/**
 * The replica as a scope sees it: its events (the scope goes down to the SQL of every
 * count and page), its workers and its basic grids; grid names stay whole for labels.
 */
function scopedReplica(replica: StatsReplica, scope: EventScope | null): StatsReplica & { scopedGrids(grids: Grid[]): Grid[] } {
  return {
    listEvents: (args, nowMs) => replica.listEvents(scope === null ? args : { ...args, scope }, nowMs),
    grids: (level) => replica.grids(level),
    categories: () => replica.categories(),
    workers: (filter) => (scope === null ? replica.workers(filter) : replica.workers(filter).filter((w) => workerInScope(w, scope))),
    positions: () => replica.positions(),
    track: (workerId, from, to) => replica.track(workerId, from, to),
    // A department's figures have no grids of their own: no patrol coverage.
    scopedGrids: (grids) =>
      scope === null ? grids : grids.filter((g) => g.level !== 3 || (scope.department === undefined && gridInScope(g.code, scope))),
  };
}

export function createStatsQueries(options: StatsOptions): StatsQueries {
  const { clock } = options;
  const patrols = new Map<string, ReturnType<typeof createPatrolCoverage>>();

  const compute = (nowMs: number, scope: EventScope | null, key: string): StatsOverview => {
    const replica = scopedReplica(options.replica, scope);
    let patrol = patrols.get(key);
    if (!patrol) patrols.set(key, (patrol = createPatrolCoverage(replica)));
    const d = daysOf(nowMs);
    const categories = replica.categories();
    const counts = sqlCounts(replica, d, categories);
    // Two disjoint sets: everything reported in the window, and the open events reported before it.
    const recent = readDocs(replica, { from: toIso(d.windowStart) }, 'reportedAt', nowMs);
    const older = readDocs(replica, { status: [...OPEN_STATUSES], to: toIso(d.windowStart - 1000) }, 'risk', nowMs);
    const docs = [...recent.items, ...older.items];
    const history = historyPass(docs, d);
    const period = { from: d.weekStart, to: nowMs + 1 };
    const grids = replica.grids();
    const gridByCode = new Map(grids.map((g) => [g.code, g]));
    const workers = replica.workers({});
    return {
      at: toIso(nowMs),
      day: d.today,
      today: { reported: counts.reportedToday, ...history.todayDid, overdue: counts.overdue },
      open: counts.open,
      rates: {
        from: toIso(d.weekStart),
        to: toIso(nowMs),
        onTimeClosure: onTimeClosureRate(history.touchedThisWeek, period),
        closure: closureRate(history.touchedThisWeek, period),
      },
      categories: counts.categoryRows,
      trend: d.days.map((date, i) => ({ date, reported: counts.reportedPerDay[i] ?? 0, closed: history.closedPerDay[i] ?? 0 })),
      gridLoad: gridLoadOf(
        docs.filter((e) => !FINAL.has(e.status)),
        gridByCode,
        nowMs,
      ),
      workers: workersOf(replica, workers, nowMs),
      patrol: patrol(replica.scopedGrids(grids), workers, d.today, nowMs),
      latest: tickerOf(replica, categories, gridByCode, nowMs),
      link: linkOf(options.linkStatus()),
      basis: { events: docs.length, truncated: recent.truncated || older.truncated, windowDays: WINDOW_DAYS },
    };
  };

  // One memo per scope: every wall of the town shares one, every village screen its village's.
  const memos = new Map<string, { at: number; value: StatsOverview }>();
  const overview = (scope: EventScope | null = null): StatsOverview => {
    const nowMs = clock();
    const key = scope === null ? '' : JSON.stringify(scope);
    const memo = memos.get(key);
    const fresh = memo !== undefined && nowMs >= memo.at && nowMs - memo.at < MEMO_MS && shanghaiDate(nowMs) === shanghaiDate(memo.at);
    // The link's part is always current: the banner must not wait for the memo.
    if (fresh) return { ...memo.value, link: linkOf(options.linkStatus()) };
    const value = compute(nowMs, scope, key);
    memos.set(key, { at: nowMs, value });
    return value;
  };

  return {
    overview,
    invalidate: () => memos.clear(),
    handlers: { 'stats.overview': (_args, caller) => overview(options.scopeOf?.(caller) ?? null) },
  };
}

/** The link's part of the overview: the banner's state, since when, and the commands waiting. */
function linkOf(link: LinkStatus): StatsOverview['link'] {
  return {
    state: link.state,
    since: link.since,
    offlineSince: link.state === 'online' ? null : (isoOrNull(link.offlineSince) ?? link.since),
    waiting: link.queueLength,
    lastSyncAt: isoOrNull(link.lastSyncAt),
  };
}
