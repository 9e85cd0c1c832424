// The patrol regime of the seeds (方案2): "日巡查: 由自然村基础网格员按照巡查内容每天在各自责任
// 网格进行巡查"; "月排查: 每月1日和15日 …… 对全村进行集中排查"; "季度联查: 每个季度初以工作区为
// 单位 …… 进行联合检查". A grid is patrolled on a day when a grid worker's fix falls inside it
// that day (the rule the wall's coverage uses). The sweeps are tasks per basic grid:
//   - 集中排查 (the 1st and the 15th): done when a worker entered the grid that day, or a grid
//     worker's patrol report (source patrol) came from it that day;
//   - 季度联查 (the first 15 days of each quarter): done when two or more workers entered the
//     grid on the same day of the window (a joint inspection).
import { addDays } from '../time/shanghai';

export type SweepKind = 'monthly' | 'quarterly';
export const SWEEP_LABELS: Record<SweepKind, string> = { monthly: '集中排查', quarterly: '季度联查' };

/** Days of a quarterly joint inspection's window, from the quarter's first day. */
export const QUARTERLY_WINDOW_DAYS = 15;
/** Workers that make an inspection joint. */
export const JOINT_MIN_WORKERS = 2;

export interface Sweep {
  kind: SweepKind;
  /** A stable key: "monthly:2026-12-15", "quarterly:2026-Q4". */
  key: string;
  label: string;
  /** First and last day (Shanghai dates, inclusive). */
  from: string;
  to: string;
}

/** One grid worker in one grid on one day (from the fixes), as the replica keeps it. */
export interface GridVisit {
  date: string;
  grid: string;
  workerId: string;
}

export interface SweepTask {
  grid: string;
  done: boolean;
  /** The day it was done (the first qualifying day). */
  doneOn: string | null;
  /** The workers seen in the grid during the sweep. */
  workers: string[];
  /** Patrol reports from the grid during the sweep. */
  reports: number;
}

const quarterStart = (date: string): string => {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
};

/** The sweeps due in the month of `date` up to that date, newest first, with the quarter's joint inspection when it has begun. */
export function sweepsUpTo(date: string): Sweep[] {
  const month = date.slice(0, 7);
  const out: Sweep[] = [];
  for (const day of ['15', '01']) {
    const d = `${month}-${day}`;
    if (d <= date) out.push({ kind: 'monthly', key: `monthly:${d}`, label: `${SWEEP_LABELS.monthly}(${Number(month.slice(5))}月${Number(day)}日)`, from: d, to: d });
  }
  const q0 = quarterStart(date);
  const q = Math.floor((Number(q0.slice(5, 7)) - 1) / 3) + 1;
  out.push({ kind: 'quarterly', key: `quarterly:${q0.slice(0, 4)}-Q${q}`, label: `${SWEEP_LABELS.quarterly}(${q0.slice(0, 4)}年第${q}季度)`, from: q0, to: addDays(q0, QUARTERLY_WINDOW_DAYS - 1) });
  return out;
}

/**
 * Each grid's task in one sweep, from the visits and the patrol reports (grid and day)
 * that fall in the sweep's days.
 */
export function sweepTasks(sweep: Sweep, grids: readonly string[], visits: readonly GridVisit[], reports: readonly { date: string; grid: string }[]): SweepTask[] {
  const inWindow = (d: string): boolean => d >= sweep.from && d <= sweep.to;
  const byGrid = new Map<string, Map<string, Set<string>>>();
  for (const v of visits) {
    if (!inWindow(v.date)) continue;
    const days = byGrid.get(v.grid) ?? new Map<string, Set<string>>();
    byGrid.set(v.grid, days);
    days.set(v.date, (days.get(v.date) ?? new Set()).add(v.workerId));
  }
  const reportDays = new Map<string, string[]>();
  for (const r of reports) if (inWindow(r.date)) reportDays.set(r.grid, [...(reportDays.get(r.grid) ?? []), r.date]);
  return grids.map((grid) => {
    const days = [...(byGrid.get(grid) ?? new Map<string, Set<string>>()).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const workers = [...new Set(days.flatMap(([, w]) => [...w]))].sort();
    const reported = (reportDays.get(grid) ?? []).sort();
    let doneOn: string | null;
    if (sweep.kind === 'quarterly') doneOn = days.find(([, w]) => w.size >= JOINT_MIN_WORKERS)?.[0] ?? null;
    else doneOn = [days[0]?.[0], reported[0]].filter((d): d is string => d !== undefined).sort()[0] ?? null;
    return { grid, done: doneOn !== null, doneOn, workers, reports: reported.length };
  });
}
