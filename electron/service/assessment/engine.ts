// The month's assessment over the replica: the SQL of sql.ts, the first reports of merged
// incidents, the patrol days, the scheme's scores. Reads only narrow rows (event_facts,
// patrol_days): no event document is parsed.
import type { AssessmentTable } from '../../../core/api/assessment';
import { FIGURES, type AssessmentTarget, type FigureValue } from '../../../core/assessment/figures';
import { firstReportWins } from '../../../core/assessment/first-reports';
import { periodDays, type AssessmentPeriod } from '../../../core/assessment/period';
import { schemeTotal, scoreRows, type AssessmentScheme } from '../../../core/assessment/scheme';
import { overdueRiskBound } from '../../../core/events/risk';
import type { Department, Grid, Worker } from '../../../core/model';
import type { SqliteDatabase, Statement } from '../db/sqlite';
import { aggregateStatements, drillStatement, FIGURE_SQL } from './sql';

export interface EngineSource {
  db: SqliteDatabase;
  grids(): Grid[];
  workers(): Worker[];
  departments(): Department[];
}

export type SqlParams = { from: number; to: number; end: number; bound: number };

export const paramsOf = (p: AssessmentPeriod, nowMs: number): SqlParams => ({ from: p.fromMs, to: p.toMs, end: p.toMs - 1, bound: overdueRiskBound(nowMs) });

/** Most events a drill-down returns (the queue's id filter takes as many). */
export const DRILL_MAX = 10_000;

export class AssessmentEngine {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly source: EngineSource) {}

  private prepared<R>(sql: string): Statement<R> {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.source.db.prepare(sql)));
    return s as Statement<R>;
  }

  /** Per row id, the figures with events behind them: n (and d for a ratio). */
  figures(target: AssessmentTarget, params: SqlParams): Map<string, Record<string, FigureValue>> {
    const sums = new Map<string, Map<string, number>>();
    for (const { sql, columns } of aggregateStatements(target)) {
      for (const row of this.prepared<Record<string, number | string>>(sql).all(params)) {
        const k = String(row.k);
        const held = sums.get(k) ?? new Map<string, number>();
        columns.forEach((column, i) => {
          const [key, part] = column.split(':') as [string, string];
          const name = `${key}:${part}`;
          held.set(name, (held.get(name) ?? 0) + Number(row[`c${i}`] ?? 0));
        });
        sums.set(k, held);
      }
    }
    const out = new Map<string, Record<string, FigureValue>>();
    for (const [k, held] of sums) {
      const values: Record<string, FigureValue> = {};
      for (const [key, fig] of Object.entries(FIGURE_SQL[target])) {
        const n = held.get(`${key}:num`) ?? 0;
        values[key] = fig.den ? ratioValue(n, held.get(`${key}:den`) ?? 0) : { n };
      }
      out.set(k, values);
    }
    return out;
  }

  /** 首报 per worker in the period, and the winning reports' ids. */
  firstReports(params: SqlParams): Map<string, string[]> {
    const rows = this.prepared<{ id: string; merged_into: string | null; reported_at: number; reporter: string | null }>(
      `SELECT e.id AS id, f.merged_into AS merged_into, f.reported_at AS reported_at, f.reporter AS reporter
       FROM event_facts f JOIN events e ON e.seq = f.seq
       WHERE f.merged_into IS NOT NULL OR e.id IN (SELECT merged_into FROM event_facts WHERE merged_into IS NOT NULL)`,
    ).all();
    const wins = firstReportWins(rows.map((r) => ({ id: r.id, mergedInto: r.merged_into, reportedAt: r.reported_at, reporter: r.reporter })));
    const out = new Map<string, string[]>();
    for (const w of wins) {
      if (w.reporter === null || w.reportedAt < params.from || w.reportedAt >= params.to) continue;
      out.set(w.reporter, [...(out.get(w.reporter) ?? []), w.id]);
    }
    return out;
  }

  /** Patrol figures per worker from patrol_days: days on duty, hours online, distance, daily coverage of their grids. */
  patrol(period: AssessmentPeriod, workers: readonly Worker[], basicGrids: readonly string[]): Map<string, Record<string, FigureValue>> {
    const days = periodDays(period);
    const rows = this.prepared<{ worker_id: string; day: string; online_ms: number; distance_m: number; grids: string }>(
      'SELECT worker_id, day, online_ms, distance_m, grids FROM patrol_days WHERE day >= ? AND day <= ?',
    ).all(days[0] ?? period.from, days.at(-1) ?? period.from);
    const byWorker = new Map<string, typeof rows>();
    for (const r of rows) byWorker.set(r.worker_id, [...(byWorker.get(r.worker_id) ?? []), r]);
    const out = new Map<string, Record<string, FigureValue>>();
    for (const w of workers) {
      const own = new Set(basicGrids.filter((g) => w.grids.some((c) => g.startsWith(c))));
      const mine = byWorker.get(w.id) ?? [];
      let covered = 0;
      for (const r of mine) covered += (JSON.parse(r.grids) as string[]).filter((g) => own.has(g)).length;
      out.set(w.id, {
        patrolDays: { n: mine.filter((r) => r.online_ms > 0).length },
        onlineHours: { n: round(mine.reduce((s, r) => s + r.online_ms, 0) / 3_600_000, 1) },
        distanceKm: { n: round(mine.reduce((s, r) => s + r.distance_m, 0) / 1000, 1) },
        coverage: ratioValue(covered, own.size * days.length),
      });
    }
    return out;
  }

  /** The ids behind one figure of one row. */
  drill(target: AssessmentTarget, id: string, figure: string, part: 'num' | 'den', params: SqlParams): { ids: string[]; truncated: boolean } {
    if (target === 'workers' && figure === 'firstReports') {
      const ids = this.firstReports(params).get(id) ?? [];
      return { ids: ids.slice(0, DRILL_MAX), truncated: ids.length > DRILL_MAX };
    }
    const fig = FIGURE_SQL[target][figure];
    const parts = fig ? (part === 'den' ? fig.den : fig.num) : undefined;
    if (!parts) return { ids: [], truncated: false };
    const ids = this.prepared<{ id: string }>(drillStatement(parts))
      .all({ ...params, id, limit: DRILL_MAX + 1 })
      .map((r) => r.id);
    return { ids: ids.slice(0, DRILL_MAX), truncated: ids.length > DRILL_MAX };
  }

  /** The tables of the targets asked for, scored by the scheme. */
  tables(period: AssessmentPeriod, targets: readonly AssessmentTarget[], scheme: AssessmentScheme, nowMs: number): AssessmentTable[] {
    const params = paramsOf(period, nowMs);
    return targets.map((target) => this.table(target, period, params, scheme));
  }

  private table(target: AssessmentTarget, period: AssessmentPeriod, params: SqlParams, scheme: AssessmentScheme): AssessmentTable {
    const figures = this.figures(target, params);
    const rows = this.rowsOf(target, period, params, figures);
    const columns = FIGURES[target].map((spec) => ({ ...spec, drill: spec.key in FIGURE_SQL[target] || (target === 'workers' && spec.key === 'firstReports') }));
    if (target === 'workers' || target === 'departments') {
      const scored = scoreRows(target, rows.map((r) => r.values), scheme);
      rows.forEach((r, i) => Object.assign(r, scored[i]));
      rows.sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0) || (a.id < b.id ? -1 : 1));
      return { target, columns, rows, fullScore: schemeTotal(scheme, target) };
    }
    return { target, columns, rows };
  }

  private rowsOf(target: AssessmentTarget, period: AssessmentPeriod, params: SqlParams, figures: Map<string, Record<string, FigureValue>>): AssessmentTable['rows'] {
    const empty = (): Record<string, FigureValue> => Object.fromEntries(Object.entries(FIGURE_SQL[target]).map(([k, f]) => [k, f.den ? ratioValue(0, 0) : { n: 0 }]));
    const grids = this.source.grids();
    const gridName = new Map(grids.map((g) => [g.code, g.name]));
    if (target === 'workers') {
      const workers = this.source.workers();
      const first = this.firstReports(params);
      const patrol = this.patrol(period, workers, grids.filter((g) => g.level === 3).map((g) => g.code));
      return workers.map((w) => ({
        id: w.id,
        name: w.name,
        parent: villageName(w.grids[0], gridName),
        values: { ...(figures.get(w.id) ?? empty()), firstReports: { n: first.get(w.id)?.length ?? 0 }, ...patrol.get(w.id) },
      }));
    }
    if (target === 'departments') {
      return this.source.departments().map((d) => ({ id: d.id, name: d.name, parent: null, values: figures.get(d.id) ?? empty() }));
    }
    const level = target === 'villages' ? 2 : 3;
    const households = householdsOf(grids);
    return grids
      .filter((g) => g.level === level)
      .map((g) => {
        const values = figures.get(g.code) ?? empty();
        const h = households.get(g.code) ?? 0;
        const reports = values.reports?.n ?? 0;
        return { id: g.code, name: g.name, parent: level === 3 ? villageName(g.code, gridName) : null, values: { ...values, per100: { n: h > 0 ? round((reports * 100) / h, 2) : null } } };
      });
  }
}

function ratioValue(n: number, d: number): FigureValue {
  return { n, d, rate: d === 0 ? null : n / d };
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

function villageName(code: string | undefined, names: ReadonlyMap<string, string>): string | null {
  if (code === undefined || code.length < 12) return null;
  return names.get(code.slice(0, 12)) ?? null;
}

/** Households per grid and village: a village's own figure, else the sum of its grids'. */
function householdsOf(grids: readonly Grid[]): Map<string, number> {
  const out = new Map<string, number>();
  const sums = new Map<string, number>();
  for (const g of grids) {
    if (g.households !== undefined) out.set(g.code, g.households);
    if (g.level === 3 && g.parent !== null && g.households !== undefined) sums.set(g.parent, (sums.get(g.parent) ?? 0) + g.households);
  }
  for (const [code, n] of sums) if (!out.has(code)) out.set(code, n);
  return out;
}
