// What deserves a sound and a notice: an urgent event arriving, and a deadline turning
// amber (预警) or red (超时). Pure: fed the events the console watches and what it saw
// last time; the first look only records (an operator opening the console is not
// alerted about everything that was already late).
import type { GridEvent } from '../../../core/model';
import { CLOCK_KIND_LABELS, URGENCY_LABELS } from '../../../core/events/labels';
import type { WorkCalendar } from '../../../core/sla/calendar';
import { clockStatus } from '../../../core/sla/clock';

export type AlertKind = 'urgent' | 'warning' | 'overdue';

export interface Alert {
  /** Stable: one alert per event and reason (a clock turning red twice alerts twice only if it was reset). */
  key: string;
  kind: AlertKind;
  eventId: string;
  code: string;
  title: string;
  text: string;
  /** Epoch ms when raised. */
  at: number;
}

type Level = 0 | 1 | 2;

export interface WatchState {
  /** Events already seen (for arrivals). */
  seen: Set<string>;
  /** Last known level of each running clock, "id/kind" → 0 on time, 1 warning, 2 overdue. */
  levels: Map<string, Level>;
  primed: boolean;
}

export const newWatchState = (): WatchState => ({ seen: new Set(), levels: new Map(), primed: false });

/**
 * An event entered at this console: the dispatcher who typed it in needs no alarm about
 * its arrival. Its clocks still alert when they turn amber or red.
 */
export function markOwn(state: WatchState, eventId: string): void {
  state.seen.add(eventId);
}

const FRESH_MS = 30 * 60_000;

/**
 * Compares the watched events with the previous state; returns the alerts to raise
 * and updates the state. `events` are the most pressing open events and the newest
 * reports (the caller's two queries).
 */
export function detectAlerts(state: WatchState, events: readonly GridEvent[], nowMs: number, calendar: WorkCalendar): Alert[] {
  const alerts: Alert[] = [];
  const primed = state.primed;
  for (const e of events) {
    if (!state.seen.has(e.id)) {
      state.seen.add(e.id);
      const fresh = nowMs - Date.parse(e.reportedAt) <= FRESH_MS;
      if (primed && fresh && e.status === 'reported' && (e.urgency === 'urgent' || e.urgency === 'critical')) {
        alerts.push({
          key: `${e.id}/urgent`,
          kind: 'urgent',
          eventId: e.id,
          code: e.code,
          title: e.title,
          text: `${URGENCY_LABELS[e.urgency]}事件：${e.title}`,
          at: nowMs,
        });
      }
    }
    for (const kind of ['accept', 'finish', 'verify'] as const) {
      const clock = e.deadlines[kind];
      const key = `${e.id}/${kind}`;
      if (!clock || clock.stoppedAt !== null || clock.pausedAt !== null) {
        state.levels.delete(key);
        continue;
      }
      let status;
      try {
        status = clockStatus(clock, nowMs, calendar);
      } catch {
        continue;
      }
      const level: Level = status.state === 'overdue' ? 2 : status.state === 'warning' ? 1 : 0;
      const before = state.levels.get(key);
      state.levels.set(key, level);
      if (!primed || level === 0 || (before !== undefined && before >= level)) continue;
      // An event seen for the first time already late is worth a notice too, once primed.
      alerts.push({
        key: `${key}/${level}`,
        kind: level === 2 ? 'overdue' : 'warning',
        eventId: e.id,
        code: e.code,
        title: e.title,
        text: `${CLOCK_KIND_LABELS[kind]}${level === 2 ? '已超时' : '即将到期'}：${e.title}`,
        at: nowMs,
      });
    }
  }
  state.primed = true;
  return alerts;
}

/** The bell's list after new alerts: the newest first, none twice (by key), at most `max` kept. */
export function mergeAlerts(prev: readonly Alert[], raised: readonly Alert[], max: number): Alert[] {
  const keys = new Set(prev.map((a) => a.key));
  return [...raised.filter((a) => !keys.has(a.key)).reverse(), ...prev].slice(0, max);
}

/** The alert to show and sound among those raised together: a red deadline, else an urgent arrival, else the first. */
export function loudestAlert(raised: readonly Alert[]): Alert {
  return raised.find((a) => a.kind === 'overdue') ?? raised.find((a) => a.kind === 'urgent') ?? (raised[0] as Alert);
}
