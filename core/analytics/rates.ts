// The assessment formulas (考核指标) over event histories. Every function counts
// events, never history entries, so one event weighs one in each figure.
// Periods must not reach past the present: for the running day, week or month pass
// `to = now`, or events not yet due would count as late.
import type { Clock, GridEvent } from '../model';
import { parseIso } from '../time/shanghai';
import { ACTION, acceptedAt, closedAt, firstOf, isMerged, lastOf, steps, suspendedAt } from './history';
import { inPeriod, ratio, type Period, type Ratio } from './period';

export interface OnTimeClosure extends Ratio {
  /** 应结案: finish due inside the period. */
  due: number;
  /** 缓办: of those, suspended at the period's end. */
  suspended: number;
}

const time = (iso: string | null | undefined): number | null => {
  if (iso === null || iso === undefined) return null;
  try {
    return parseIso(iso);
  } catch {
    return null;
  }
};

/** The last instant inside a half-open period. */
const lastInstant = (p: Period): number => p.to - 1;

/**
 * 按期结案率 = 按期结案 / (应结案 − 缓办).
 * - 应结案: not merged, not escalated to the county by the period's end (镇呼县应: no
 *   longer the town's case), with a finish clock whose current due (dueAt, which
 *   carries approved extensions and the shift of every resumed suspension) is inside
 *   the period.
 * - 缓办: of those, suspended at the period's end (its clock is frozen, the stale due
 *   says nothing).
 * - 按期结案: of the rest, closed (as of the latest history: a reopened event is not)
 *   with its handling finished by the due: the last 'event.feedback' before its last
 *   close (a rework makes the earlier feedback void), else the clock's stop, else the
 *   close itself.
 */
export function onTimeClosureRate(events: readonly GridEvent[], period: Period): OnTimeClosure {
  let due = 0;
  let suspended = 0;
  let onTime = 0;
  const end = lastInstant(period);
  for (const e of events) {
    const clock = e.deadlines.finish;
    const dueAt = time(clock?.dueAt);
    if (!clock || isMerged(e) || dueAt === null || !inPeriod(dueAt, period)) continue;
    const s = steps(e);
    const escalated = firstOf(s, [ACTION.escalate]);
    if (escalated !== null && escalated <= end) continue;
    due++;
    if (suspendedAt(e, end)) {
      suspended++;
      continue;
    }
    if (!closedAt(e)) continue;
    const close = lastOf(s, [ACTION.close]) as number;
    const done = lastOf(s, [ACTION.feedback], close) ?? time(clock.stoppedAt) ?? close;
    if (done <= dueAt) onTime++;
  }
  return { ...ratio(onTime, due - suspended), due, suspended };
}

/**
 * 结案率 = events closed in the period / events 立案 (accepted) in the period.
 * The two sets differ (a case accepted last month may close this month), so the
 * rate can exceed 1. An event closed, reopened and closed again in the period counts
 * once. Merged duplicates count in neither.
 */
export function closureRate(events: readonly GridEvent[], period: Period): Ratio {
  let closed = 0;
  let accepted = 0;
  for (const e of events) {
    if (isMerged(e)) continue;
    if (steps(e).some((s) => s.action === ACTION.close && inPeriod(s.t, period))) closed++;
    if (inPeriod(acceptedAt(e), period)) accepted++;
  }
  return ratio(closed, accepted);
}

/**
 * 返工率 = events verified in the period that were sent back at least once
 * ('event.rework') before that verification / events verified ('event.verify') in
 * the period.
 */
export function reworkRate(events: readonly GridEvent[], period: Period): Ratio {
  let reworked = 0;
  let verified = 0;
  for (const e of events) {
    if (isMerged(e)) continue;
    const s = steps(e);
    const verify = lastOf(s, [ACTION.verify], lastInstant(period));
    if (verify === null || verify < period.from) continue;
    verified++;
    const rework = firstOf(s, [ACTION.rework]);
    if (rework !== null && rework <= verify) reworked++;
  }
  return ratio(reworked, verified);
}

/**
 * A stage clock's verdict and the instant it was reached: met at its completion when
 * that is by the due, else missed at the due (so a late stage is counted once, in the
 * period where it became late). A clock paused and not completed has no verdict.
 */
function reckon(clock: Clock, completed: number | null): { at: number; met: boolean } | null {
  const due = time(clock.dueAt);
  if (due === null) return null;
  if (completed !== null && completed <= due) return { at: completed, met: true };
  if (completed === null && clock.pausedAt !== null) return null;
  return { at: due, met: false };
}

function stageRate(
  events: readonly GridEvent[],
  period: Period,
  kind: 'accept' | 'verify',
  ends: readonly string[],
): Ratio {
  let met = 0;
  let total = 0;
  for (const e of events) {
    const clock = e.deadlines[kind];
    if (!clock || isMerged(e)) continue;
    const started = time(clock.startedAt) ?? -Infinity;
    const verdict = reckon(clock, time(clock.stoppedAt) ?? firstOf(steps(e), ends, started));
    if (!verdict || !inPeriod(verdict.at, period)) continue;
    total++;
    if (verdict.met) met++;
  }
  return ratio(met, total);
}

/**
 * 按时受理率: accept clocks decided (accepted or 不予受理) by their due / accept clocks
 * reckoned in the period (met when decided, missed when the due passed undecided).
 */
export function onTimeAcceptanceRate(events: readonly GridEvent[], period: Period): Ratio {
  return stageRate(events, period, 'accept', [ACTION.accept, ACTION.reject]);
}

/**
 * 按时核查率: verify clocks completed (passed or sent back for rework) by their due /
 * verify clocks reckoned in the period. Only an event's current (last) verify clock is
 * known, so an earlier round before a rework is not assessed.
 */
export function onTimeVerificationRate(events: readonly GridEvent[], period: Period): Ratio {
  return stageRate(events, period, 'verify', [ACTION.verify, ACTION.rework]);
}

/** 满意率: (满意 + 基本满意) / events evaluated ('event.evaluate') in the period. */
export function satisfactionRate(events: readonly GridEvent[], period: Period): Ratio {
  let good = 0;
  let rated = 0;
  for (const e of events) {
    if (isMerged(e) || e.satisfaction === null) continue;
    if (!steps(e).some((s) => s.action === ACTION.evaluate && inPeriod(s.t, period))) continue;
    rated++;
    if (e.satisfaction !== 'dissatisfied') good++;
  }
  return ratio(good, rated);
}

/**
 * 上报准确率 (信息采集准确性): reports accepted / reports decided in the period, a
 * decision being the first 'event.accept' or 'event.reject'.
 */
export function reportAccuracy(events: readonly GridEvent[], period: Period): Ratio {
  let accepted = 0;
  let decided = 0;
  for (const e of events) {
    if (isMerged(e)) continue;
    const s = steps(e);
    const decision = s.find((x) => x.action === ACTION.accept || x.action === ACTION.reject);
    if (!decision || !inPeriod(decision.t, period)) continue;
    decided++;
    if (decision.action === ACTION.accept) accepted++;
  }
  return ratio(accepted, decided);
}
