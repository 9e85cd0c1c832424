// The desk's work lists beside the queue's tabs: cases put on hold (挂账缓办, with how
// long), extension requests waiting for a decision, cases a department sent back, and
// cases due within the next working day (working time, core/sla). Pure: each list is a
// status filter the replica can answer from its index, and a test on the event.
import type { ClockKind, EventStatus, GridEvent, HistoryEntry, IsoTime } from '../model';
import type { WorkCalendar } from '../sla/calendar';
import { parseIso } from '../time/shanghai';

export const WORK_LISTS = ['suspended', 'extensions', 'returned', 'dueSoon'] as const;
export type WorkListKind = (typeof WORK_LISTS)[number];

export const WORK_LIST_LABELS: Readonly<Record<WorkListKind, string>> = {
  suspended: '挂账缓办',
  extensions: '延期待审批',
  returned: '退回待重派',
  dueSoon: '一个工作日内到期',
};

/** The statuses a list's events are in: the replica reads only those. */
export const WORK_LIST_STATUSES: Readonly<Record<WorkListKind, readonly EventStatus[]>> = {
  suspended: ['suspended'],
  extensions: ['dispatched'],
  returned: ['accepted'],
  dueSoon: ['reported', 'accepted', 'dispatched', 'handled'],
};

export interface WorkListItem {
  event: GridEvent;
  /** suspended: since when; returned: when it was sent back; extensions: when asked. */
  since: IsoTime | null;
  /** suspended: natural minutes on hold so far. */
  minutes: number | null;
  /** dueSoon: the clock that runs out and when. */
  due: { clock: ClockKind; at: IsoTime } | null;
  /** returned: the department's reason; extensions: the request's reason. */
  reason: string | null;
}

/** Entries that do not move the case on: they do not hide a return behind them. */
const SIDE_ACTIONS = new Set(['event.comment', 'event.supervise', 'event.evaluate']);

function lastOf(history: readonly HistoryEntry[], action: string): HistoryEntry | null {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.action === action) return history[i]!;
  return null;
}

/** The return that put an accepted case back on the desk, when that is the last step it took. */
export function lastReturn(event: GridEvent): HistoryEntry | null {
  if (event.status !== 'accepted') return null;
  for (let i = event.history.length - 1; i >= 0; i--) {
    const h = event.history[i]!;
    if (SIDE_ACTIONS.has(h.action)) continue;
    return h.action === 'event.return' ? h : null;
  }
  return null;
}

/** The earliest running (not paused, not stopped) clock, or null. */
export function nextDue(event: GridEvent): { clock: ClockKind; at: IsoTime } | null {
  let best: { clock: ClockKind; at: IsoTime } | null = null;
  for (const kind of ['accept', 'finish', 'verify'] as const) {
    const c = event.deadlines[kind];
    if (c === undefined || c.stoppedAt !== null || c.pausedAt !== null) continue;
    if (best === null || parseIso(c.dueAt) < parseIso(best.at)) best = { clock: kind, at: c.dueAt };
  }
  return best;
}

/** The end of the next working day from now: the due-soon horizon (working time). */
export function dueSoonHorizon(nowMs: number, cal: WorkCalendar): number {
  return cal.addLimit(nowMs, { value: 1, unit: 'workDays' });
}

const empty = (event: GridEvent): WorkListItem => ({ event, since: null, minutes: null, due: null, reason: null });

/** The event as an item of the list, or null when it does not belong there. `horizonMs` is dueSoonHorizon's. */
export function workListItem(kind: WorkListKind, event: GridEvent, nowMs: number, horizonMs: number): WorkListItem | null {
  if (!WORK_LIST_STATUSES[kind].includes(event.status)) return null;
  switch (kind) {
    case 'suspended': {
      const since = lastOf(event.history, 'event.suspend')?.at ?? null;
      return { ...empty(event), since, minutes: since === null ? null : Math.max(0, Math.floor((nowMs - parseIso(since)) / 60_000)), reason: lastOf(event.history, 'event.suspend')?.note ?? null };
    }
    case 'extensions': {
      const r = event.extensionRequest;
      return r === null ? null : { ...empty(event), since: r.at, reason: r.reason };
    }
    case 'returned': {
      const h = lastReturn(event);
      return h === null ? null : { ...empty(event), since: h.at, reason: h.note };
    }
    case 'dueSoon': {
      const due = nextDue(event);
      if (due === null) return null;
      const at = parseIso(due.at);
      return at >= nowMs && at <= horizonMs ? { ...empty(event), due } : null;
    }
  }
}

/** How long, in the desk's words: "3天4小时", "25分钟". */
export function formatDuration(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  if (days > 0) return `${days}天${hours > 0 ? `${hours}小时` : ''}`;
  if (hours > 0) return `${hours}小时${m % 60 > 0 ? `${m % 60}分钟` : ''}`;
  return `${m % 60}分钟`;
}

/** The order of a list: the longest on hold / the oldest request or return first; the soonest due first. */
export function workListOrder(a: WorkListItem, b: WorkListItem): number {
  if (a.due && b.due) return parseIso(a.due.at) - parseIso(b.due.at);
  return (a.since === null ? Infinity : parseIso(a.since)) - (b.since === null ? Infinity : parseIso(b.since));
}
