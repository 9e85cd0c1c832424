// Facts reconstructed from an event's status history. History actions are the
// command names that made them (core/events/commands.ts); only the history says
// when things happened, the event record only says where it stands now.
import type { GridEvent } from '../model';
import { parseIso } from '../time/shanghai';

export const ACTION = {
  create: 'event.create',
  accept: 'event.accept',
  reject: 'event.reject',
  dispatch: 'event.dispatch',
  feedback: 'event.feedback',
  verify: 'event.verify',
  rework: 'event.rework',
  close: 'event.close',
  reopen: 'event.reopen',
  suspend: 'event.suspend',
  resume: 'event.resume',
  merge: 'event.merge',
  escalate: 'event.escalate',
  evaluate: 'event.evaluate',
} as const;

export interface Step {
  t: number;
  action: string;
}

/**
 * The history as timed steps, oldest first. Entries arrive in order, but a replica
 * merging the county's history could interleave them, so sort (stably) anyway.
 * Entries with an unreadable time are skipped rather than failing a whole report.
 */
export function steps(e: GridEvent): Step[] {
  const out: Step[] = [];
  for (const h of e.history) {
    let t: number;
    try {
      t = parseIso(h.at);
    } catch {
      continue;
    }
    out.push({ t, action: h.action });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** Time of the first step with one of the actions at or after `after`. */
export function firstOf(s: readonly Step[], actions: readonly string[], after = -Infinity): number | null {
  for (const step of s) if (step.t >= after && actions.includes(step.action)) return step.t;
  return null;
}

/** Time of the last step with one of the actions at or before `upTo`. */
export function lastOf(s: readonly Step[], actions: readonly string[], upTo = Infinity): number | null {
  let found: number | null = null;
  for (const step of s) {
    if (step.t > upTo) break;
    if (actions.includes(step.action)) found = step.t;
  }
  return found;
}

/** Whether the latest of `on`/`off` steps at or before `t` is an `on` step. */
export function latestIs(s: readonly Step[], on: string, off: readonly string[], t = Infinity): boolean {
  let state = false;
  for (const step of s) {
    if (step.t > t) break;
    if (step.action === on) state = true;
    else if (off.includes(step.action)) state = false;
  }
  return state;
}

/** Closed at `t` (default: as of the latest history): closed and not reopened since. */
export const closedAt = (e: GridEvent, t = Infinity): boolean => latestIs(steps(e), ACTION.close, [ACTION.reopen], t);

/** Suspended (缓办) at `t`: suspended and not resumed since. */
export const suspendedAt = (e: GridEvent, t: number): boolean =>
  latestIs(steps(e), ACTION.suspend, [ACTION.resume, ACTION.close], t);

/** A duplicate merged into another event: not a case of its own for any rate. */
export const isMerged = (e: GridEvent): boolean => e.mergedInto !== null || e.status === 'merged';

/** 立案: the first acceptance; a self-handled event (自巡自办) without one is on record from its report. */
export function acceptedAt(e: GridEvent): number | null {
  const t = firstOf(steps(e), [ACTION.accept]);
  if (t !== null || !e.selfHandled) return t;
  try {
    return parseIso(e.reportedAt);
  } catch {
    return null;
  }
}
