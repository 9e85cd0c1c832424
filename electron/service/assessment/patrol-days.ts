// A grid worker's patrol per Shanghai day (patrol_days, migration 0009), made from the
// track before the track is pruned: tracks are kept a day (replica/positions.ts), the
// assessment reads a month. "通过网格管理平台对网格员的巡查轨迹、工作记录等进行实时监控"
// (方案4 四): time on duty and distance as core/analytics/patrol.ts measures them (gaps over
// two hours count for neither), the grids entered, the stops (detectStops).
import { detectStops, patrolStats } from '../../../core/analytics/patrol';
import { GridIndex } from '../../../core/grid/spatial';
import type { Grid, PositionFix } from '../../../core/model';
import { addDays, shanghaiDate, shanghaiMidnight } from '../../../core/time/shanghai';
import type { SqliteDatabase } from '../db/sqlite';

export interface PatrolDay {
  workerId: string;
  day: string;
  onlineMs: number;
  distanceM: number;
  fixes: number;
  grids: string[];
  stops: number;
  firstAt: number | null;
  lastAt: number | null;
}

type DayRow = { online_ms: number; distance_m: number; fixes: number; grids: string; stops: number; first_at: number | null; last_at: number | null };
type FixRow = { worker_id: string; lon: number; lat: number; at: number; speed: number | null; heading: number | null; accuracy: number | null };

/** The summary of one day's fixes (time order not required). */
export function summarizeDay(workerId: string, day: string, fixes: readonly PositionFix[], locate: (f: PositionFix) => string | null): PatrolDay {
  const from = shanghaiMidnight(day);
  const stats = patrolStats(fixes, { from, to: shanghaiMidnight(addDays(day, 1)) });
  const grids = new Set<string>();
  for (const f of fixes) {
    const code = locate(f);
    if (code !== null) grids.add(code);
  }
  const times = fixes.map((f) => f.at);
  return {
    workerId,
    day,
    onlineMs: stats.onlineMs,
    distanceM: stats.distanceM,
    fixes: stats.fixes,
    grids: [...grids].sort(),
    stops: detectStops(fixes).length,
    firstAt: times.length > 0 ? Math.min(...times) : null,
    lastAt: times.length > 0 ? Math.max(...times) : null,
  };
}

export class PatrolDays {
  private readonly s;
  private index: { key: string; index: GridIndex } | null = null;

  constructor(private readonly db: SqliteDatabase) {
    this.s = {
      oldest: db.prepare<{ at: number | null }>('SELECT min(at) AS at FROM track_points WHERE worker_id = ? AND at < ?'),
      points: db.prepare<FixRow>('SELECT * FROM track_points WHERE worker_id = ? AND at >= ? AND at < ? ORDER BY at'),
      row: db.prepare<DayRow>('SELECT online_ms, distance_m, fixes, grids, stops, first_at, last_at FROM patrol_days WHERE worker_id = ? AND day = ?'),
      upsert: db.prepare(
        `INSERT OR REPLACE INTO patrol_days (worker_id, day, online_ms, distance_m, fixes, grids, stops, first_at, last_at, source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      gridKey: db.prepare<{ n: number; rev: number | null }>('SELECT COUNT(*) AS n, sum(rev) AS rev FROM grids WHERE level = 3'),
      grids: db.prepare<{ data: string }>('SELECT data FROM grids WHERE level = 3'),
    };
  }

  /**
   * Locates fixes in the replica's grids (level 3): the grid index is built again only
   * when the grids changed. Take one for a run of fixes: the check reads the grids table.
   */
  locator(): (f: PositionFix) => string | null {
    const k = this.s.gridKey.get() as { n: number; rev: number | null };
    const key = `${k.n}/${k.rev}`;
    if (this.index?.key !== key) this.index = { key, index: new GridIndex(this.s.grids.all().map((r) => JSON.parse(r.data) as Grid)) };
    const idx = this.index.index;
    return (f) => idx.locate(f.lon, f.lat, 3)?.code ?? null;
  }

  /**
   * Before a worker's points older than `cutoff` are deleted (inside the same write): the
   * days they fall on are summarised from every point of those days still held. A day
   * summarised before gets the points after its last summarised fix added.
   */
  summarizeBefore(workerId: string, cutoff: number): number {
    const oldest = this.s.oldest.get(workerId, cutoff)?.at;
    if (oldest === null || oldest === undefined) return 0;
    const locate = this.locator();
    let written = 0;
    for (let day = shanghaiDate(oldest); shanghaiMidnight(day) < cutoff; day = addDays(day, 1)) {
      const held = this.s.row.get(workerId, day);
      const start = Math.max(shanghaiMidnight(day), (held?.last_at ?? -Infinity) + 1);
      const fixes = this.s.points.all(workerId, start, shanghaiMidnight(addDays(day, 1))).map(toFix);
      if (fixes.length === 0) continue;
      this.store(merge(held, summarizeDay(workerId, day, fixes, locate)), 'track');
      written++;
    }
    return written;
  }

  /** Writes a day's summary (the demo's model days, or a merged track day). */
  store(d: PatrolDay, source: 'track' | 'model'): void {
    this.s.upsert.run(d.workerId, d.day, Math.round(d.onlineMs), d.distanceM, d.fixes, JSON.stringify(d.grids), d.stops, d.firstAt, d.lastAt, source);
  }

  has(workerId: string, day: string): boolean {
    return this.s.row.get(workerId, day) !== undefined;
  }

  get database(): SqliteDatabase {
    return this.db;
  }
}

function toFix(r: FixRow): PositionFix {
  return { workerId: r.worker_id, lon: r.lon, lat: r.lat, at: r.at, speed: r.speed, heading: r.heading, accuracy: r.accuracy };
}

function merge(held: DayRow | undefined, next: PatrolDay): PatrolDay {
  if (!held) return next;
  return {
    ...next,
    onlineMs: held.online_ms + next.onlineMs,
    distanceM: held.distance_m + next.distanceM,
    fixes: held.fixes + next.fixes,
    grids: [...new Set([...(JSON.parse(held.grids) as string[]), ...next.grids])].sort(),
    stops: held.stops + next.stops,
    firstAt: held.first_at ?? next.firstAt,
    lastAt: next.lastAt ?? held.last_at,
  };
}
