// The assessment as a whole, for the town or per worker, department, grid, village
// or calendar bucket. Grouping partitions the events, then runs the same formulas
// per group, so the groups' numerators and denominators add up to the town's.
import type { GridEvent } from '../model';
import { firstReports, type FirstReportOptions } from './first-report';
import { buckets, type Bucket, type BucketUnit, type Period, type Ratio } from './period';
import {
  closureRate,
  onTimeAcceptanceRate,
  onTimeClosureRate,
  onTimeVerificationRate,
  reportAccuracy,
  reworkRate,
  satisfactionRate,
  type OnTimeClosure,
} from './rates';

export interface Assessment {
  onTimeClosure: OnTimeClosure;
  closure: Ratio;
  rework: Ratio;
  onTimeAcceptance: Ratio;
  onTimeVerification: Ratio;
  satisfaction: Ratio;
  reportAccuracy: Ratio;
  /** Winning first reports (首报) in the period, in rewarded categories when asked. */
  firstReports: number;
}

/** Which group an event belongs to; null leaves it out of every group. */
export type GroupKey = (e: GridEvent) => string | null;

/** The grid worker who reported it (residents' reports belong to no worker). */
export const byReporter: GroupKey = (e) => e.reporter?.workerId ?? null;
/** The worker it is dispatched to, when dispatched to a person. */
export const byAssignee: GroupKey = (e) => (e.assignee?.kind === 'person' ? e.assignee.id : null);
/** The lead department it is dispatched to (current assignee; cooperating units are not credited). */
export const byDepartment: GroupKey = (e) => (e.assignee?.kind === 'department' ? e.assignee.id : null);
export const byGrid: GroupKey = (e) => e.grid;
/** The village or community: the first 12 digits of a grid code (an event filed on a town code has none). */
export const byVillage: GroupKey = (e) => (e.grid.length >= 12 ? e.grid.slice(0, 12) : null);

export function groupEvents(events: readonly GridEvent[], key: GroupKey): Map<string, GridEvent[]> {
  const groups = new Map<string, GridEvent[]>();
  for (const e of events) {
    const k = key(e);
    if (k === null) continue;
    const list = groups.get(k) ?? [];
    list.push(e);
    groups.set(k, list);
  }
  return groups;
}

function assessGroup(events: readonly GridEvent[], period: Period, winners: ReadonlySet<GridEvent>): Assessment {
  return {
    onTimeClosure: onTimeClosureRate(events, period),
    closure: closureRate(events, period),
    rework: reworkRate(events, period),
    onTimeAcceptance: onTimeAcceptanceRate(events, period),
    onTimeVerification: onTimeVerificationRate(events, period),
    satisfaction: satisfactionRate(events, period),
    reportAccuracy: reportAccuracy(events, period),
    firstReports: events.filter((e) => winners.has(e)).length,
  };
}

// Duplicates may sit in different groups (grids, reporters), so first reports are
// decided over all events and then credited to the group of the winning report.
const winnersOf = (events: readonly GridEvent[], period: Period, opts: FirstReportOptions): Set<GridEvent> =>
  new Set(firstReports(events, period, opts).reports.map((r) => r.event));

export function assess(events: readonly GridEvent[], period: Period, opts: FirstReportOptions = {}): Assessment {
  return assessGroup(events, period, winnersOf(events, period, opts));
}

export function assessBy(
  events: readonly GridEvent[],
  period: Period,
  key: GroupKey,
  opts: FirstReportOptions = {},
): Map<string, Assessment> {
  const winners = winnersOf(events, period, opts);
  const out = new Map<string, Assessment>();
  for (const [k, list] of groupEvents(events, key)) out.set(k, assessGroup(list, period, winners));
  return out;
}

/** The assessment per Shanghai day, week or month of the period. */
export function assessOverTime(
  events: readonly GridEvent[],
  period: Period,
  unit: BucketUnit,
  opts: FirstReportOptions = {},
): Array<Bucket & { assessment: Assessment }> {
  return buckets(period, unit).map((b) => ({ ...b, assessment: assess(events, b, opts) }));
}
