// Deadline clocks (受理时限, 办结时限, 核查时限): pure functions over the Clock
// record of core/model.ts. A clock keeps its remaining time in the limit's own
// measure (natural minutes, or working minutes for work units), so a pause
// across a holiday costs nothing and a resume gives back exactly what was left.
//
// Invariant used by clockStatus: at any moment the remaining time equals
// total − used, where total = limitMinutes(startedAt, limit) + the nominal
// length of every approved extension in the clock's measure.
import type { Clock, ClockKind, Limit, LimitUnit } from '../model';
import { parseIso, toIso } from '../time/shanghai';
import { checkLimit, measureOf, type Measure, type WorkCalendar } from './calendar';

export type ClockState = 'onTime' | 'warning' | 'overdue' | 'paused' | 'met' | 'missed';

export interface ClockStatus {
  state: ClockState;
  /** Share of the (extended) limit used; above 1 once overdue. */
  usedFraction: number;
  /** In the clock's measure; negative when overdue. */
  remainingMinutes: number;
  measure: Measure;
  /** The current due instant (while paused: the due as it stood at the pause). */
  dueAt: string;
}

/** From this share of the limit used, a running clock is in warning (预警). */
export const WARNING_FRACTION = 0.8;

export function startClock(kind: ClockKind, limit: Limit, startMs: number, cal: WorkCalendar): Clock {
  checkLimit(limit);
  // Clock times are stored to the second; derive the due from the stored start.
  const start = parseIso(toIso(startMs));
  return {
    kind,
    limit: { ...limit },
    startedAt: toIso(start),
    dueAt: toIso(cal.addLimit(start, limit)),
    pausedAt: null,
    remainingAtPause: null,
    stoppedAt: null,
    extensions: [],
  };
}

/**
 * 缓办/挂账: freeze the remaining time. Idempotent on a paused clock; a stopped
 * clock is returned unchanged (its stage is over, nothing runs).
 */
export function pauseClock(clock: Clock, atMs: number, cal: WorkCalendar): Clock {
  if (clock.pausedAt !== null || clock.stoppedAt !== null) return clock;
  return {
    ...clock,
    pausedAt: toIso(atMs),
    remainingAtPause: cal.measure(atMs, parseIso(clock.dueAt), clock.limit.unit),
  };
}

/**
 * Restart a paused clock: the new due is atMs plus the frozen remaining time in
 * the same measure (working minutes skip nights, weekends and holidays). A clock
 * that is not paused, or is stopped, is returned unchanged.
 */
export function resumeClock(clock: Clock, atMs: number, cal: WorkCalendar): Clock {
  if (clock.pausedAt === null || clock.stoppedAt !== null) return clock;
  const remaining = clock.remainingAtPause ?? 0;
  return {
    ...clock,
    dueAt: toIso(cal.addMinutes(atMs, remaining, clock.limit.unit)),
    pausedAt: null,
    remainingAtPause: null,
  };
}

/**
 * The length of an extension in a clock's measure. Same measure: exact (a
 * working day is the calendar's office minutes, e.g. 390). Mixed measures are
 * converted nominally, a natural day being one working day and the reverse.
 */
export function extensionMinutes(by: Limit, clockUnit: LimitUnit, cal: WorkCalendar): number {
  checkLimit(by);
  const working = measureOf(clockUnit) === 'working';
  switch (by.unit) {
    case 'minutes':
      return by.value;
    case 'hours':
    case 'workHours':
      return by.value * 60;
    case 'days':
    case 'workDays':
      return by.value * (working ? cal.workdayMinutes : 1440);
  }
}

/**
 * An approved 延期: the due moves by `by`, measured from the current due in the
 * clock's measure (n working days from a due at the end of office land at the
 * end of office n working days later). While paused it adds to the frozen
 * remaining time. A stopped clock cannot be extended (RangeError).
 */
export function extendClock(clock: Clock, by: Limit, cal: WorkCalendar): Clock {
  if (clock.stoppedAt !== null) {
    throw new RangeError(`计时已结束（${clock.stoppedAt}），不能延期`);
  }
  const extra = extensionMinutes(by, clock.limit.unit, cal);
  const dueAt = toIso(cal.addMinutes(parseIso(clock.dueAt), extra, clock.limit.unit));
  return {
    ...clock,
    dueAt,
    remainingAtPause: clock.remainingAtPause === null ? null : clock.remainingAtPause + extra,
    extensions: [...clock.extensions, { ...by }],
  };
}

/** The stage is done (accepted, handled, verified). Idempotent: the first stop counts. */
export function stopClock(clock: Clock, atMs: number): Clock {
  if (clock.stoppedAt !== null) return clock;
  return { ...clock, stoppedAt: toIso(atMs) };
}

/** The total (extended) limit of a clock, in its measure. */
export function totalMinutes(clock: Clock, cal: WorkCalendar): number {
  const base = cal.limitMinutes(parseIso(clock.startedAt), clock.limit);
  return clock.extensions.reduce((sum, by) => sum + extensionMinutes(by, clock.limit.unit, cal), base);
}

export function clockStatus(clock: Clock, nowMs: number, cal: WorkCalendar): ClockStatus {
  const unit = clock.limit.unit;
  const due = parseIso(clock.dueAt);
  const total = totalMinutes(clock, cal);
  let remaining: number;
  let state: ClockState;
  if (clock.stoppedAt !== null) {
    // Stopped while paused: the due is stale, the frozen remaining time decides.
    remaining = clock.remainingAtPause ?? cal.measure(parseIso(clock.stoppedAt), due, unit);
    const late = clock.remainingAtPause !== null ? remaining < 0 : parseIso(clock.stoppedAt) > due;
    state = late ? 'missed' : 'met';
  } else if (clock.remainingAtPause !== null) {
    remaining = clock.remainingAtPause;
    state = 'paused';
  } else {
    remaining = cal.measure(nowMs, due, unit);
    state = nowMs > due ? 'overdue' : 'onTime';
    // Past a 17:30 due at night no working minute has passed yet; the clock is
    // overdue all the same, so keep the sign (one second late at least).
    if (state === 'overdue' && remaining >= 0) remaining = -1 / 60;
  }
  const usedFraction = total > 0 ? (total - remaining) / total : remaining < 0 || state === 'overdue' ? 1 : 0;
  if (state === 'onTime' && usedFraction >= WARNING_FRACTION) state = 'warning';
  return { state, usedFraction: Math.max(0, usedFraction), remainingMinutes: remaining, measure: measureOf(unit), dueAt: clock.dueAt };
}

/**
 * zh-CN text of a remaining time: "剩余 3 个工作小时 20 分", "超时 2 天 4 小时".
 * Remaining time is rounded down and overdue time up, so neither is overstated
 * in the center's favour. With workdayMinutes, working time shows 个工作日 too.
 */
export function formatRemaining(minutes: number, measure: Measure, workdayMinutes?: number): string {
  if (!Number.isFinite(minutes)) throw new RangeError(`formatRemaining: not a number (${minutes})`);
  const overdue = minutes < 0;
  // Working time does not run at night or on a rest day: an event due at 17:30 is overdue all
  // evening by less than a working minute, which reads best as plainly overdue.
  if (minutes !== 0 && Math.abs(minutes) < 1) return overdue ? (measure === 'working' ? '已超时' : '超时不足 1 分') : '剩余不足 1 分';
  const whole = overdue ? Math.ceil(-minutes) : Math.floor(minutes);
  const dayLength = measure === 'natural' ? 1440 : workdayMinutes;
  const parts: string[] = [];
  let rest = whole;
  if (dayLength !== undefined && dayLength > 0 && rest >= dayLength) {
    parts.push(`${Math.floor(rest / dayLength)} ${measure === 'natural' ? '天' : '个工作日'}`);
    rest %= dayLength;
  }
  if (rest >= 60) {
    parts.push(`${Math.floor(rest / 60)} ${measure === 'natural' ? '小时' : '个工作小时'}`);
    rest %= 60;
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest} 分`);
  return `${overdue ? '超时' : '剩余'} ${parts.join(' ')}`;
}
