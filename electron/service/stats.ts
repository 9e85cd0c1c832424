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

/** What the figures read from the replica: derived from Replica (electron/service/replica/replica.ts). */
export type StatsReplica = Pick<Replica, 'listEvents' | 'grids' | 'categories' | 'workers' | 'positions' | 'track'>;

export interface StatsOptions {
  replica: StatsReplica;
  linkStatus: () => LinkStatus;
  clock: () => number;
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
  overview(): StatsOverview;
  /** The replica changed: the next overview is computed afresh. */
  invalidate(): void;
  handlers: { 'stats.overview': () => StatsOverview };
}

/**
 * An overview is reused while the replica has not changed, for at most this long: every
 * wall asks after the same push, and one computation reads thousands of documents.
 * Figures that age by themselves (overdue clocks, online workers) lag by at most this.
 */
export const MEMO_MS = 10_000;

export function createStatsQueries(options: StatsOptions): StatsQueries {
  const { replica, clock } = options;
  let coverage: Coverage | null = null;
  let index: { key: string; index: GridIndex; basic: Grid[] } | null = null;

  const count = (filter: Omit<ParsedArgsOf<'events.list'>, 'paging' | 'sort'>, nowMs: number): number =>
    replica.listEvents({ ...filter, paging: { offset: 0, limit: 1 }, sort: 'risk' }, nowMs).total;

  /** Up to MAX_DOCS documents of a filter, page by page. */
  const read = (filter: Omit<ParsedArgsOf<'events.list'>, 'paging' | 'sort'>, sort: 'risk' | 'reportedAt', nowMs: number) => {
    const items: GridEvent[] = [];
    for (let offset = 0; offset < MAX_DOCS; offset += PAGE) {
      const page = replica.listEvents({ ...filter, paging: { offset, limit: Math.min(PAGE, MAX_DOCS - offset) }, sort }, nowMs);
      items.push(...page.items);
      if (offset + page.items.length >= page.total || page.items.length === 0) return { items, truncated: false };
    }
    return { items, truncated: true };
  };

  const gridIndex = (grids: Grid[]): { key: string; index: GridIndex; basic: Grid[] } => {
    const key = grids.map((g) => g.code).join(',');
    if (index?.key !== key) index = { key, index: new GridIndex(grids), basic: grids.filter((g) => g.level === 3 && g.kind === 'basic') };
    return index;
  };

  const patrol = (grids: Grid[], workers: Worker[], today: string, nowMs: number): StatsOverview['patrol'] => {
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
      for (const f of fixes) {
        const last = cov.lastGrid.get(w.id);
        let grid: Grid | null | undefined = last && booleanPointInPolygon([f.lon, f.lat], last.geometry) ? last : undefined;
        grid ??= idx.locate(f.lon, f.lat, 3);
        if (grid) {
          cov.lastGrid.set(w.id, grid);
          if (basicCodes.has(grid.code)) cov.covered.add(grid.code);
        }
      }
      const latest = fixes.at(-1);
      if (latest) cov.seen.set(w.id, latest.at);
    }
    const covered = [...cov.covered].filter((c) => basicCodes.has(c)).length;
    return { basicGrids: basic.length, covered, rate: basic.length === 0 ? null : covered / basic.length };
  };

  const compute = (nowMs: number): StatsOverview => {
    const today = shanghaiDate(nowMs);
    const todayStart = shanghaiMidnight(today);
    const days = Array.from({ length: 7 }, (_, i) => addDays(today, i - 6));
    const weekStart = shanghaiMidnight(days[0] as string);
    const windowStart = shanghaiMidnight(addDays(today, -(WINDOW_DAYS - 1)));
    const lastSecondOf = (date: string): string => toIso(shanghaiMidnight(addDays(date, 1)) - 1000);

    // ---------------------------------------------------------------- SQL counts
    const reportedToday = count({ from: toIso(todayStart) }, nowMs);
    const overdue = count({ overdue: true }, nowMs);
    const open = count({ status: [...OPEN_STATUSES] }, nowMs);
    const reportedPerDay = days.map((d) => count({ from: toIso(shanghaiMidnight(d)), to: lastSecondOf(d) }, nowMs));

    const categories = replica.categories();
    const categoryRows = categoryGroups(categories)
      .map((g) => ({
        code: g.code,
        name: g.name,
        today: count({ category: g.code, from: toIso(todayStart) }, nowMs),
        week: count({ category: g.code, from: toIso(weekStart) }, nowMs),
      }))
      .sort((a, b) => b.week - a.week || b.today - a.today || (a.code < b.code ? -1 : 1));

    // ---------------------------------------------------------------- documents, bounded
    // Two disjoint sets: everything reported in the window, and the open events reported before it.
    const recent = read({ from: toIso(windowStart) }, 'reportedAt', nowMs);
    const older = read({ status: [...OPEN_STATUSES], to: toIso(windowStart - 1000) }, 'risk', nowMs);
    const docs = [...recent.items, ...older.items];
    const openDocs = docs.filter((e) => !FINAL.has(e.status));

    // One pass over the histories: today's steps, and the closes of each of the 7 days.
    const dayStarts = [...days.map((d) => shanghaiMidnight(d)), shanghaiMidnight(addDays(today, 1))];
    const todayDid = { accepted: 0, dispatched: 0, closed: 0 };
    const closedPerDay = days.map(() => 0);
    // The rates of the 7 days can only count an event with a step in them (accepted,
    // closed) or a finish due in them: the others are left out before the (costlier)
    // formulas run, which changes no figure.
    const touchedThisWeek: GridEvent[] = [];
    for (const e of docs) {
      const s = steps(e);
      const due = e.deadlines.finish ? Date.parse(e.deadlines.finish.dueAt) : Number.NaN;
      if ((s.at(-1)?.t ?? -Infinity) >= weekStart || due >= weekStart) touchedThisWeek.push(e);
      const todays = new Set(s.filter((x) => x.t >= todayStart && x.t <= nowMs).map((x) => x.action));
      if (todays.has(ACTION.accept)) todayDid.accepted++;
      if (todays.has(ACTION.dispatch)) todayDid.dispatched++;
      if (todays.has(ACTION.close)) todayDid.closed++;
      days.forEach((_, i) => {
        const from = dayStarts[i] as number;
        const to = dayStarts[i + 1] as number;
        if (s.some((x) => x.action === ACTION.close && x.t >= from && x.t < to)) closedPerDay[i] = (closedPerDay[i] ?? 0) + 1;
      });
    }

    const period = { from: weekStart, to: nowMs + 1 };

    // ---------------------------------------------------------------- grids
    const grids = replica.grids();
    const gridByCode = new Map(grids.map((g) => [g.code, g]));
    const load = new Map<string, { open: number; overdue: number }>();
    for (const e of openDocs) {
      const row = load.get(e.grid) ?? { open: 0, overdue: 0 };
      row.open++;
      if (isOverdue(e, nowMs)) row.overdue++;
      load.set(e.grid, row);
    }
    const gridLoad = [...load.entries()]
      .map(([code, row]) => {
        const grid = gridByCode.get(code);
        const parent = grid?.parent ? gridByCode.get(grid.parent) : undefined;
        return { code, name: grid?.name ?? code, village: parent && parent.level === 2 ? parent.name : null, ...row };
      })
      .sort((a, b) => b.open - a.open || b.overdue - a.overdue || (a.code < b.code ? -1 : 1))
      .slice(0, GRID_LOAD_TOP);

    // ---------------------------------------------------------------- workers
    const workers = replica.workers({});
    const known = new Set(workers.map((w) => w.id));
    const onlineSince = nowMs - ONLINE_MINUTES * 60_000;
    const online = new Set(replica.positions().filter((p) => known.has(p.workerId) && p.at >= onlineSince).map((p) => p.workerId)).size;

    // ---------------------------------------------------------------- ticker
    const categoryName = new Map(categories.map((c) => [c.code, c.name]));
    const latest = replica
      .listEvents({ paging: { offset: 0, limit: TICKER_SIZE }, sort: 'reportedAt' }, nowMs)
      .items.map((e) => ({
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

    return {
      at: toIso(nowMs),
      day: today,
      today: {
        reported: reportedToday,
        accepted: todayDid.accepted,
        dispatched: todayDid.dispatched,
        closed: todayDid.closed,
        overdue,
      },
      open,
      rates: {
        from: toIso(weekStart),
        to: toIso(nowMs),
        onTimeClosure: onTimeClosureRate(touchedThisWeek, period),
        closure: closureRate(touchedThisWeek, period),
      },
      categories: categoryRows,
      trend: days.map((date, i) => ({ date, reported: reportedPerDay[i] ?? 0, closed: closedPerDay[i] ?? 0 })),
      gridLoad,
      workers: { total: workers.length, onDuty: workers.filter((w) => w.onDuty).length, online, onlineMinutes: ONLINE_MINUTES },
      patrol: patrol(grids, workers, today, nowMs),
      latest,
      link: linkOf(options.linkStatus()),
      basis: { events: docs.length, truncated: recent.truncated || older.truncated, windowDays: WINDOW_DAYS },
    };
  };

  let memo: { at: number; value: StatsOverview } | null = null;
  const overview = (): StatsOverview => {
    const nowMs = clock();
    const fresh = memo !== null && nowMs >= memo.at && nowMs - memo.at < MEMO_MS && shanghaiDate(nowMs) === shanghaiDate(memo.at);
    // The link's part is always current: the banner must not wait for the memo.
    if (fresh && memo) return { ...memo.value, link: linkOf(options.linkStatus()) };
    const value = compute(nowMs);
    memo = { at: nowMs, value };
    return value;
  };

  return {
    overview,
    invalidate: () => {
      memo = null;
    },
    handlers: { 'stats.overview': overview },
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
