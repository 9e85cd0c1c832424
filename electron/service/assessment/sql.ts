// The assessment's figures as SQL over event_facts (core/assessment/facts.ts states the
// columns, core/assessment/figures.ts the figures). Each figure is a condition per group
// column; the month's table is one GROUP BY per group column summing every condition, and
// a figure's drill-down is the same condition selecting the events' ids, so the queue
// shows exactly the events a figure counts. Conditions follow core/analytics/rates.ts
// formula by formula (the test runs both over the same events).
import type { AssessmentTarget } from '../../../core/assessment/figures';

/** Named parameters: @from, @to (half-open period, epoch ms), @end (to − 1), @bound (overdue risk bound now). */
const IN = (c: string): string => `(${c} >= @from AND ${c} < @to)`;
/** Some time of a repeatable action in the period (`last` alone when it happened once). */
const ANY = (last: string, all: string): string =>
  `(CASE WHEN ${all} IS NULL THEN ${IN(last)} ELSE EXISTS (SELECT 1 FROM json_each(${all}) WHERE value >= @from AND value < @to) END)`;
/** The latest time of a repeatable action inside the period, null when none. */
const MAX_IN = (last: string, all: string): string =>
  `(CASE WHEN ${all} IS NULL THEN (CASE WHEN ${IN(last)} THEN ${last} END) ELSE (SELECT max(value) FROM json_each(${all}) WHERE value >= @from AND value < @to) END)`;
/** 缓办 at the period's last instant: the latest suspension toggle at or before it is a suspension (history.ts suspendedAt). */
const SUSPENDED = `(f.suspensions IS NOT NULL AND (SELECT json_extract(value, '$[1]') FROM json_each(f.suspensions)
  WHERE json_extract(value, '$[0]') <= @end ORDER BY json_extract(value, '$[0]') DESC, CAST(key AS INTEGER) DESC LIMIT 1) = 1)`;
const NOT_MERGED = 'f.merged = 0';
/** 应结案: finish due in the period, not merged, not escalated to the county by its end. */
const DUE = `(${NOT_MERGED} AND ${IN('f.finish_due')} AND (f.escalated_at IS NULL OR f.escalated_at > @end))`;
/** 应结案 − 缓办: the denominator of 按期结案率 and 按期处置率. */
const DUE_ACTIVE = `(${DUE} AND NOT ${SUSPENDED})`;
const REPORTED = IN('f.reported_at');
const RETURNED = ANY('f.return_last', 'f.return_all');
const EVALUATED = `(${NOT_MERGED} AND f.satisfied IS NOT NULL AND ${ANY('f.eval_last', 'f.eval_all')})`;
const VERIFIED = `(${NOT_MERGED} AND ${ANY('f.verify_last', 'f.verify_all')})`;

/** A condition counted per group: `group` is the column naming the row (worker, department…). */
export interface Part {
  group: string;
  where: string;
}

/** A figure: a count (num only) or a ratio (num and den). Several parts add up (disjoint by construction). */
export interface FigureSql {
  num: Part[];
  den?: Part[];
}

const one = (group: string, where: string): Part[] => [{ group, where }];
const ratio = (group: string, den: string, num: string): FigureSql => ({ den: one(group, den), num: one(group, `(${den} AND ${num})`) });

const closure = (g: string): FigureSql => ({ num: one(g, `(${NOT_MERGED} AND ${ANY('f.close_last', 'f.close_all')})`), den: one(g, `(${NOT_MERGED} AND ${IN('f.accepted_at')})`) });
const onTimeClosure = (g: string): FigureSql => ratio(g, DUE_ACTIVE, 'f.closed_on_time = 1');
const satisfaction = (g: string): FigureSql => ratio(g, EVALUATED, 'f.satisfied = 1');

const W = 'f.reporter';
const D = 'f.department';

/** The figures with events behind them, per target (the others are computed apart: first reports, patrol, per 100 households). */
export const FIGURE_SQL: Readonly<Record<AssessmentTarget, Readonly<Record<string, FigureSql>>>> = {
  workers: {
    reports: { num: one(W, REPORTED) },
    validReports: { num: one(W, `(${REPORTED} AND ${NOT_MERGED} AND f.status != 'rejected' AND f.accepted_at IS NOT NULL)`) },
    reportAccuracy: ratio(W, `(${NOT_MERGED} AND ${IN('f.decision_at')})`, 'f.decision_ok = 1'),
    selfHandled: { num: one(W, `(${REPORTED} AND f.self_handled = 1)`) },
    onTimeVerification: ratio(W, `(${NOT_MERGED} AND ${IN('f.verify_verdict_at')})`, 'f.verify_met = 1'),
    followUps: { num: one(W, EVALUATED) },
    satisfaction: satisfaction(W),
  },
  departments: {
    assigned: { num: one(D, DUE) },
    onTimeHandling: ratio(D, DUE_ACTIVE, '(f.handled_at IS NOT NULL AND f.handled_at <= f.finish_due)'),
    closure: closure(D),
    onTimeClosure: onTimeClosure(D),
    rework: ratio(D, VERIFIED, `(f.rework_at IS NOT NULL AND f.rework_at <= ${MAX_IN('f.verify_last', 'f.verify_all')})`),
    returns: {
      num: one('f.returned_by', RETURNED),
      den: [
        { group: 'f.returned_by', where: RETURNED },
        { group: D, where: `(${DUE_ACTIVE} AND NOT (f.returned_by IS f.department AND ${RETURNED}))` },
      ],
    },
    overdue: { num: one(D, `(${DUE_ACTIVE} AND (f.handled_at IS NULL OR f.handled_at > f.finish_due))`) },
    extensions: { num: one(D, ANY('f.ext_last', 'f.ext_all')) },
    satisfaction: satisfaction(D),
  },
  villages: villageFigures('f.village'),
  grids: villageFigures('f.grid'),
};

function villageFigures(g: string): Record<string, FigureSql> {
  return {
    reports: { num: one(g, REPORTED) },
    open: { num: one(g, 'f.open = 1') },
    overdueNow: { num: one(g, '(f.open = 1 AND e.risk < @bound)') },
    closure: closure(g),
    onTimeClosure: onTimeClosure(g),
  };
}

/** The conditions of a target grouped by their group column: one aggregate statement each. */
export function aggregateStatements(target: AssessmentTarget): Array<{ group: string; sql: string; columns: string[] }> {
  const byGroup = new Map<string, Array<{ column: string; where: string }>>();
  for (const [key, fig] of Object.entries(FIGURE_SQL[target])) {
    const parts = [...fig.num.map((p, i) => ({ p, column: `${key}:num:${i}` })), ...(fig.den ?? []).map((p, i) => ({ p, column: `${key}:den:${i}` }))];
    for (const { p, column } of parts) {
      const list = byGroup.get(p.group) ?? [];
      list.push({ column, where: p.where });
      byGroup.set(p.group, list);
    }
  }
  return [...byGroup].map(([group, list]) => ({
    group,
    columns: list.map((c) => c.column),
    sql: `SELECT ${group} AS k, ${list.map((c, i) => `coalesce(SUM(CASE WHEN ${c.where} THEN 1 END), 0) AS c${i}`).join(', ')}
      FROM event_facts f${needsEvents(list.map((c) => c.where)) ? ' JOIN events e ON e.seq = f.seq' : ''}
      WHERE ${group} IS NOT NULL GROUP BY ${group}`,
  }));
}

const needsEvents = (conditions: readonly string[]): boolean => conditions.some((c) => /\be\./.test(c));

/** The ids of the events behind one part of a figure for one row, newest report first. */
export function drillStatement(parts: readonly Part[]): string {
  const where = parts.map((p) => `(${p.group} = @id AND ${p.where})`).join(' OR ');
  return `SELECT e.id AS id FROM event_facts f JOIN events e ON e.seq = f.seq WHERE ${where} ORDER BY e.reported_at DESC, e.seq DESC LIMIT @limit`;
}
