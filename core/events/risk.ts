// The queue's default order, "most pressing first", as one integer per event: the
// replica stores it in an indexed column (events.list sorts on it over a million
// events) and the console computes the same key to place a pushed event among the rows
// it shows without asking the service again. One definition for both.
import type { GridEvent, Urgency } from '../model';
import { FINAL_STATUSES } from '../model';
import { parseIso } from '../time/shanghai';

/** Urgency in the risk order: critical first. */
export const URGENCY_RANK: Readonly<Record<Urgency, number>> = { critical: 0, urgent: 1, normal: 2 };

const FINAL = new Set<string>(FINAL_STATUSES);

// The risk key packs (group, time, urgency) into one integer so that one index
// serves the default order. Groups are RISK_GROUP apart; seconds since 1970 stay below
// 1e11 until the year 5138, so times never spill into the next group.
/** Keys of group g lie in [g × RISK_GROUP, (g + 1) × RISK_GROUP); group 0 is the events with a running clock. */
export const RISK_GROUP = 1e13;
const SECONDS_CAP = 1e11 - 1;

const seconds = (iso: string): number => Math.min(SECONDS_CAP, Math.max(0, Math.floor(parseIso(iso) / 1000)));

/**
 * Sort key for "most pressing first", independent of the current time:
 * 0. events with a running clock (not stopped, not paused), by the earliest due of
 *    those clocks, so the overdue ones (the earliest dues) come first, then urgency;
 * 1. other open events (suspended, escalated, waiting without a clock), by urgency,
 *    then the oldest report first;
 * 2. closed, rejected and merged events last, the newest report first.
 * Events of equal key are listed in the order the replica stored them (its seq).
 */
export function riskKey(event: GridEvent): number {
  const urgency = URGENCY_RANK[event.urgency] ?? 2;
  const reported = seconds(event.reportedAt);
  if (FINAL.has(event.status)) return 2 * RISK_GROUP + (SECONDS_CAP - reported);
  let due = Infinity;
  for (const clock of [event.deadlines.accept, event.deadlines.finish, event.deadlines.verify]) {
    if (clock === undefined || clock.stoppedAt !== null || clock.pausedAt !== null) continue;
    due = Math.min(due, seconds(clock.dueAt));
  }
  if (due !== Infinity) return due * 4 + urgency;
  return RISK_GROUP + urgency * 1e11 + reported;
}

/**
 * Risk keys below this belong to events with a running clock whose earliest due is
 * before nowMs (超时): group 0 keys are due seconds × 4 + urgency rank.
 */
export function overdueRiskBound(nowMs: number): number {
  return Math.max(0, Math.floor(nowMs / 1000)) * 4;
}
