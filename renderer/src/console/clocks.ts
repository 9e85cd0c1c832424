// An event's deadline clocks as the console shows them: each clock's state and
// remaining working time (core/sla), and the one most pressing for the queue row.
import type { Clock, ClockKind, GridEvent } from '../../../core/model';
import type { WorkCalendar } from '../../../core/sla/calendar';
import { clockStatus, formatRemaining, type ClockState, type ClockStatus } from '../../../core/sla/clock';
import { CLOCK_KIND_LABELS } from '../../../core/events/labels';

export { CLOCK_KIND_LABELS };

export const CLOCK_STATE_LABELS: Readonly<Record<ClockState, string>> = {
  onTime: '正常',
  warning: '预警',
  overdue: '超时',
  paused: '已暂停',
  met: '按时完成',
  missed: '超时完成',
};

export interface ShownClock {
  kind: ClockKind;
  clock: Clock;
  status: ClockStatus;
  /** "剩余 3 个工作小时 20 分", "超时 2 天". */
  remaining: string;
}

export function shownClock(kind: ClockKind, clock: Clock, nowMs: number, calendar: WorkCalendar): ShownClock | null {
  try {
    const status = clockStatus(clock, nowMs, calendar);
    return { kind, clock, status, remaining: formatRemaining(status.remainingMinutes, status.measure, calendar.workdayMinutes) };
  } catch {
    // A clock the calendar cannot read (a malformed record) is left out rather than breaking the view.
    return null;
  }
}

/** Every clock of the event, in workflow order. */
export function eventClocks(event: GridEvent, nowMs: number, calendar: WorkCalendar): ShownClock[] {
  const out: ShownClock[] = [];
  for (const kind of ['accept', 'finish', 'verify'] as const) {
    const clock = event.deadlines[kind];
    if (!clock) continue;
    const shown = shownClock(kind, clock, nowMs, calendar);
    if (shown) out.push(shown);
  }
  return out;
}

/** The running clock nearest its due (the overdue first), or null when none runs. */
export function pressingClock(event: GridEvent, nowMs: number, calendar: WorkCalendar): ShownClock | null {
  let best: ShownClock | null = null;
  for (const c of eventClocks(event, nowMs, calendar)) {
    if (c.status.state !== 'onTime' && c.status.state !== 'warning' && c.status.state !== 'overdue') continue;
    if (best === null || Date.parse(c.status.dueAt) < Date.parse(best.status.dueAt)) best = c;
  }
  return best;
}
