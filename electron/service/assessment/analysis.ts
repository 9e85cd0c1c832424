// 分析研判 (issue 11): where and when the town's problems arise, over the narrow events
// rows (grid, category, report time) with SQL; only the heat map's points read the
// documents (their location), bounded. Hours and weekdays are Shanghai's (UTC+8, no DST).
import type { ResultOf } from '../../../core/api/contract';
import { previousPeriod, type AssessmentPeriod } from '../../../core/assessment/period';
import type { Category, Grid } from '../../../core/model';
import { addDays, shanghaiDate, shanghaiMidnight, weekday } from '../../../core/time/shanghai';
import { nextMonth, previousMonth } from '../../../core/assessment/period';
import type { SqliteDatabase } from '../db/sqlite';

const LOCAL = '(reported_at / 1000 + 28800)';
const HOUR = `((${LOCAL} % 86400) / 3600)`;
/** 1970-01-01 was a Thursday (4). */
const WEEKDAY = `((${LOCAL} / 86400 + 4) % 7)`;
export const HEAT_MAX = 5000;
const HOTSPOTS = 20;

type Result = ResultOf<'analysis.run'>;

export interface AnalysisSource {
  db: SqliteDatabase;
  grids(): Grid[];
  categories(): Category[];
  /** Restricts the rows to a scope's grids (null: the town). */
  gridCodes: readonly string[] | null;
}

export function analyse(src: AnalysisSource, period: AssessmentPeriod, nowMs: number): Omit<Result, 'period'> {
  const { db } = src;
  const scope = src.gridCodes === null ? '' : ' AND grid IN (SELECT value FROM json_each(@grids))';
  const p = { from: period.fromMs, to: period.toMs, ...(src.gridCodes === null ? {} : { grids: JSON.stringify(src.gridCodes) }) };
  const gridName = new Map(src.grids().map((g) => [g.code, g.name]));
  const catName = new Map(src.categories().map((c) => [c.code, c.name]));
  const where = `reported_at >= @from AND reported_at < @to${scope}`;

  const hotspots = db
    .prepare<{ grid: string; hour: number; weekday: number; cat: string; n: number }>(
      `SELECT grid, ${HOUR} AS hour, ${WEEKDAY} AS weekday, substr(category, 1, 2) AS cat, COUNT(*) AS n FROM events
       WHERE ${where} GROUP BY grid, hour, weekday, cat ORDER BY n DESC, grid LIMIT ${HOTSPOTS}`,
    )
    .all(p)
    .map((r) => ({ grid: r.grid, gridName: gridName.get(r.grid) ?? r.grid, hour: r.hour, weekday: r.weekday, category: r.cat, categoryName: catName.get(r.cat) ?? r.cat, count: r.n }));

  const hourByWeekday = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const r of db.prepare<{ w: number; h: number; n: number }>(`SELECT ${WEEKDAY} AS w, ${HOUR} AS h, COUNT(*) AS n FROM events WHERE ${where} GROUP BY w, h`).all(p)) {
    (hourByWeekday[r.w] as number[])[r.h] = r.n;
  }

  const count = (from: number, to: number): number =>
    (db.prepare<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE reported_at >= @from AND reported_at < @to${scope}`).get({ ...p, from, to }) as { n: number }).n;
  const endDay = shanghaiDate(period.toMs - 1);
  const firstReport = (db.prepare<{ t: number | null }>('SELECT min(reported_at) AS t FROM events').get() as { t: number | null }).t;

  const weekly: Result['weekly'] = [];
  const monday = addDays(endDay, -((weekday(endDay) + 6) % 7));
  for (let i = 11; i >= 0; i--) {
    const start = addDays(monday, -7 * i);
    weekly.push({ label: start, count: count(shanghaiMidnight(start), Math.min(shanghaiMidnight(addDays(start, 7)), period.toMs)) });
  }
  const monthly: Result['monthly'] = [];
  let month = endDay.slice(0, 7);
  for (let i = 0; i < 11; i++) month = previousMonth(month);
  for (let i = 0; i < 12; i++, month = nextMonth(month)) {
    const from = shanghaiMidnight(`${month}-01`);
    const to = Math.min(shanghaiMidnight(`${nextMonth(month)}-01`), nowMs + 1);
    const lastYear = `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;
    const lyFrom = shanghaiMidnight(`${lastYear}-01`);
    const lyTo = shanghaiMidnight(`${nextMonth(lastYear)}-01`);
    monthly.push({ label: month, count: from < to ? count(from, to) : 0, lastYear: firstReport !== null && firstReport < lyTo ? count(lyFrom, lyTo) : null });
  }

  const prev = previousPeriod(period, nowMs);
  const byGroup = (from: number, to: number): Map<string, number> =>
    new Map(
      db
        .prepare<{ g: string; n: number }>(`SELECT substr(category, 1, 2) AS g, COUNT(*) AS n FROM events WHERE reported_at >= @from AND reported_at < @to${scope} GROUP BY g`)
        .all({ ...p, from, to })
        .map((r) => [r.g, r.n]),
    );
  const now = byGroup(period.fromMs, period.toMs);
  const before = byGroup(prev.fromMs, prev.toMs);
  const rising = [...new Set([...now.keys(), ...before.keys()])]
    .map((code) => {
      const c = now.get(code) ?? 0;
      const b = before.get(code) ?? 0;
      return { code, name: catName.get(code) ?? code, count: c, previous: b, growth: b === 0 ? null : (c - b) / b };
    })
    .sort((a, b) => (b.growth ?? (b.count > 0 ? Infinity : -Infinity)) - (a.growth ?? (a.count > 0 ? Infinity : -Infinity)) || b.count - a.count)
    .slice(0, 10);

  const heat = db
    .prepare<{ lon: number | null; lat: number | null }>(
      `SELECT json_extract(coalesce(d.view, d.base), '$.location.lon') AS lon, json_extract(coalesce(d.view, d.base), '$.location.lat') AS lat
       FROM events e JOIN event_docs d ON d.seq = e.seq WHERE ${where.replace(/reported_at/g, 'e.reported_at').replace('AND grid', 'AND e.grid')}
       ORDER BY e.reported_at DESC LIMIT ${HEAT_MAX}`,
    )
    .all(p)
    .filter((r): r is { lon: number; lat: number } => typeof r.lon === 'number' && typeof r.lat === 'number')
    .map((r) => [r.lon, r.lat] as [number, number]);

  const grids = db
    .prepare<{ grid: string; n: number }>(`SELECT grid, COUNT(*) AS n FROM events WHERE ${where} GROUP BY grid ORDER BY n DESC`)
    .all(p)
    .map((r) => ({ code: r.grid, name: gridName.get(r.grid) ?? r.grid, count: r.n }));

  return { hotspots, hourByWeekday, weekly, monthly, rising, heat, grids };
}

