// Patrol management over the replica: which basic grids a grid worker entered on which
// day (patrol_visits, migration 0011), kept after the tracks are pruned (24 h), so that
// the 1st's sweep can still be judged on the 15th. The fixes that arrived since the last
// look are located once (a per-worker cursor), on every query and on a timer.
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { GridIndex } from '../../../core/grid/spatial';
import type { Grid, GridEvent, PositionFix, Worker } from '../../../core/model';
import { shanghaiDate, shanghaiMidnight, addDays, toIso } from '../../../core/time/shanghai';
import { detectStops, patrolStats } from '../../../core/analytics/patrol';
import { sweepTasks, sweepsUpTo, type GridVisit } from '../../../core/patrol/sweeps';
import type { ResultOf } from '../../../core/api/contract';
import type { FieldDb } from '../emergency/store';

export interface PatrolReplica {
  grids(level?: 1 | 2 | 3): Grid[];
  workers(filter: { grid?: string; onDuty?: boolean }): Worker[];
  track(workerId: string, fromMs: number, toMs: number): PositionFix[];
  listEvents(args: { source: 'patrol'; from: string; to: string; paging: { offset: number; limit: number }; sort: 'reportedAt' }, nowMs: number): { items: GridEvent[]; total: number };
}

const DAY = 86_400_000;
const SAMPLE_MS = 15_000;
const LATE_MS = 2 * 60_000;

export class PatrolTracker {
  private readonly s;
  private index: { key: string; index: GridIndex; basic: Grid[]; villages: Map<string, string> } | null = null;
  private readonly lastGrid = new Map<string, Grid>();

  constructor(
    private readonly replica: PatrolReplica,
    private readonly f: FieldDb,
  ) {
    const db = f.db;
    this.s = {
      cursor: db.prepare<{ worker_id: string; seen_at: number }>('SELECT worker_id, seen_at FROM patrol_cursor'),
      setCursor: db.prepare('INSERT INTO patrol_cursor (worker_id, seen_at) VALUES (?, ?) ON CONFLICT (worker_id) DO UPDATE SET seen_at = excluded.seen_at'),
      visit: db.prepare(
        `INSERT INTO patrol_visits (date, grid, worker_id, first_at, last_at, fixes) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (date, grid, worker_id) DO UPDATE SET first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at), fixes = max(fixes, excluded.fixes)`,
      ),
      gridsOn: db.prepare<{ grid: string }>('SELECT DISTINCT grid FROM patrol_visits WHERE date = ?'),
      visitsBetween: db.prepare<{ date: string; grid: string; worker_id: string }>('SELECT date, grid, worker_id FROM patrol_visits WHERE date >= ? AND date <= ?'),
      workerGrids: db.prepare<{ worker_id: string; grid: string }>('SELECT worker_id, grid FROM patrol_visits WHERE date = ? ORDER BY first_at'),
    };
  }

  private grids(): { index: GridIndex; basic: Grid[]; villages: Map<string, string> } {
    const all = this.replica.grids();
    const key = `${all.length}|${all[0]?.code ?? ''}|${all.at(-1)?.code ?? ''}`;
    if (this.index?.key !== key) {
      this.index = {
        key,
        index: new GridIndex(all),
        basic: all.filter((g) => g.level === 3 && g.kind === 'basic').sort((a, b) => (a.code < b.code ? -1 : 1)),
        villages: new Map(all.filter((g) => g.level === 2).map((g) => [g.code, g.name])),
      };
      this.lastGrid.clear();
    }
    return this.index;
  }

  /**
   * Locates the fixes that arrived since the last look (a worker never looked at: since
   * today's midnight; never more than a day back) and records the visits, one upsert per
   * (day, grid, worker). Fixes closer than SAMPLE_MS to the last one located are skipped:
   * nobody crosses a grid in that time.
   */
  update(nowMs: number): void {
    const { index } = this.grids();
    const cursors = new Map(this.s.cursor.all().map((c) => [c.worker_id, c.seen_at]));
    const floor = Math.max(0, nowMs - DAY);
    const midnight = shanghaiMidnight(shanghaiDate(nowMs));
    const visits = new Map<string, { date: string; grid: string; id: string; first: number; last: number; n: number }>();
    const seen = new Map<string, number>();
    for (const w of this.replica.workers({})) {
      const cursor = cursors.get(w.id);
      // Fixes may arrive late (the link is lossy and unordered): a little before the cursor is read again.
      const from = cursor === undefined ? Math.max(floor, midnight) : Math.max(floor, cursor - LATE_MS);
      // Up to a day ahead: a county whose clock runs ahead (a simulator ticked forward) times its fixes after ours.
      const fixes = this.replica.track(w.id, from, nowMs + DAY);
      if (fixes.length === 0) continue;
      let lastAt = -Infinity;
      fixes.forEach((f, i) => {
        if (f.at - lastAt < SAMPLE_MS && i < fixes.length - 1) return;
        lastAt = f.at;
        const last = this.lastGrid.get(w.id);
        const grid = last && booleanPointInPolygon([f.lon, f.lat], last.geometry) ? last : index.locate(f.lon, f.lat, 3);
        if (!grid) return;
        this.lastGrid.set(w.id, grid);
        const date = shanghaiDate(f.at);
        const key = `${date}|${grid.code}|${w.id}`;
        const v = visits.get(key);
        if (v) visits.set(key, { ...v, first: Math.min(v.first, f.at), last: Math.max(v.last, f.at), n: v.n + 1 });
        else visits.set(key, { date, grid: grid.code, id: w.id, first: f.at, last: f.at, n: 1 });
      });
      // The cursor never passes our clock: fixes timed ahead are read again until it catches up.
      seen.set(w.id, Math.min(nowMs, fixes.at(-1)!.at));
    }
    if (seen.size === 0) return;
    this.f.write(() => {
      for (const v of visits.values()) this.s.visit.run(v.date, v.grid, v.id, v.first, v.last, v.n);
      for (const [id, at] of seen) this.s.setCursor.run(id, at);
    });
  }

  today(nowMs: number): ResultOf<'patrol.today'> {
    this.update(nowMs);
    const { basic, villages } = this.grids();
    const date = shanghaiDate(nowMs);
    const seen = new Set(this.s.gridsOn.all(date).map((r) => r.grid));
    const unpatrolled = basic
      .filter((g) => !seen.has(g.code))
      .map((g) => ({ code: g.code, name: g.name, village: g.parent === null ? null : (villages.get(g.parent) ?? null), geometry: g.geometry }));
    return { date, basicGrids: basic.length, patrolled: basic.length - unpatrolled.length, unpatrolled };
  }

  workerDays(date: string | undefined, nowMs: number): ResultOf<'patrol.workers'> {
    this.update(nowMs);
    const day = date ?? shanghaiDate(nowMs);
    const from = shanghaiMidnight(day);
    const to = Math.min(nowMs, from + DAY);
    const entered = new Map<string, string[]>();
    for (const r of this.s.workerGrids.all(day)) entered.set(r.worker_id, [...(entered.get(r.worker_id) ?? []), r.grid]);
    return this.replica.workers({}).map((w) => {
      const fixes = to > from ? this.replica.track(w.id, from, to) : [];
      const stats = patrolStats(fixes, { from, to: to + 1 });
      return {
        workerId: w.id,
        name: w.name,
        role: w.role,
        onDuty: w.onDuty,
        distanceM: Math.round(stats.distanceM),
        onlineMs: stats.onlineMs,
        gridsEntered: [...new Set(entered.get(w.id) ?? [])],
        stops: detectStops(fixes).length,
        firstFixAt: fixes[0] ? toIso(fixes[0].at) : null,
        lastFixAt: fixes.at(-1) ? toIso(fixes.at(-1)!.at) : null,
      };
    });
  }

  sweeps(date: string | undefined, nowMs: number): ResultOf<'patrol.sweeps'> {
    this.update(nowMs);
    const today = shanghaiDate(nowMs);
    const day = date ?? today;
    const { basic, villages } = this.grids();
    const codes = basic.map((g) => g.code);
    const byCode = new Map(basic.map((g) => [g.code, g]));
    return sweepsUpTo(day).map((sweep) => {
      const visits: GridVisit[] = this.s.visitsBetween.all(sweep.from, sweep.to).map((r) => ({ date: r.date, grid: r.grid, workerId: r.worker_id }));
      const tasks = sweepTasks(sweep, codes, visits, this.patrolReports(sweep.from, sweep.to, nowMs)).map((t) => {
        const g = byCode.get(t.grid);
        return { ...t, name: g?.name ?? t.grid, village: g?.parent ? (villages.get(g.parent) ?? null) : null };
      });
      return { ...sweep, due: sweep.to < today, done: tasks.filter((t) => t.done).length, total: tasks.length, tasks };
    });
  }

  /** Grid workers' patrol reports (source patrol) between two days, as (day, grid). */
  private patrolReports(fromDate: string, toDate: string, nowMs: number): { date: string; grid: string }[] {
    const out: { date: string; grid: string }[] = [];
    const from = toIso(shanghaiMidnight(fromDate));
    const to = toIso(shanghaiMidnight(addDays(toDate, 1)) - 1);
    for (let offset = 0; offset < 20_000; offset += 500) {
      const page = this.replica.listEvents({ source: 'patrol', from, to, paging: { offset, limit: 500 }, sort: 'reportedAt' }, nowMs);
      for (const e of page.items) out.push({ date: shanghaiDate(Date.parse(e.reportedAt)), grid: e.grid });
      if (offset + 500 >= page.total) break;
    }
    return out;
  }
}
