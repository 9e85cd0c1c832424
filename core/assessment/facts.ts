// An event's assessment facts: the instants and verdicts core/analytics' formulas read
// from its history and clocks, reduced to one narrow row (the replica keeps it in
// `event_facts`, written with the event's view). The month's assessment is then a few
// SQL aggregates over a million such rows instead of a million histories parsed in
// JavaScript; every figure equals what core/analytics computes from the documents
// (electron/service/assessment/assessment.test.ts checks the two against each other).
import type { Clock, GridEvent } from '../model';
import { isFinalStatus } from '../model';
import { parseIso } from '../time/shanghai';
import { ACTION, acceptedAt, closedAt, firstOf, isMerged, lastOf, steps, type Step } from '../analytics/history';

/**
 * Times of one action that may happen several times (a close after a reopen, a second
 * evaluation): the last one, and all of them (JSON, only when there are two or more, so
 * most rows hold a single number).
 */
export interface Times {
  last: number | null;
  all: string | null;
}

export interface EventFacts {
  /** The grid worker who reported it (reporter.workerId), null for residents and other sources. */
  reporter: string | null;
  /** The lead department it is dispatched to now (core/analytics byDepartment). */
  department: string | null;
  grid: string;
  /** The village or community: the first 12 digits of the grid code, null for a town-level event. */
  village: string | null;
  reportedAt: number;
  status: string;
  /** 1 while not finished (closed, rejected, merged are finished). */
  open: 0 | 1;
  /** A duplicate merged into another event (isMerged): no rate counts it. */
  merged: 0 | 1;
  mergedInto: string | null;
  selfHandled: 0 | 1;
  /** 立案 (acceptedAt). */
  acceptedAt: number | null;
  /** The first acceptance or rejection, and whether it was an acceptance (上报准确率). */
  decisionAt: number | null;
  decisionOk: 0 | 1 | null;
  /** The finish clock's current due (with extensions and resumed suspensions). */
  finishDue: number | null;
  /** The first escalation to the county (镇呼县应). */
  escalatedAt: number | null;
  /** Suspension toggles [t, 1 suspend | 0 resume or close] as JSON, null when never suspended. */
  suspensions: string | null;
  /** Closed as of the latest history and handled by the finish due (按期结案). */
  closedOnTime: 0 | 1;
  /** When the handling was done: the last feedback, else the finish clock's stop (按期处置, 超时). */
  handledAt: number | null;
  closes: Times;
  verifies: Times;
  /** The first rework (返工). */
  reworkAt: number | null;
  /** The accept and verify clocks' verdicts (core/analytics stage rates): when reached, and met or missed. */
  acceptVerdictAt: number | null;
  acceptMet: 0 | 1 | null;
  verifyVerdictAt: number | null;
  verifyMet: 0 | 1 | null;
  evaluations: Times;
  /** 1 满意 or 基本满意, 0 不满意, null not evaluated. */
  satisfied: 0 | 1 | null;
  returns: Times;
  /** The department that returned it last (the return entry's departmentId). */
  returnedBy: string | null;
  /** Approved extensions (延期). */
  extensions: Times;
}

const time = (iso: string | null | undefined): number | null => {
  if (iso === null || iso === undefined) return null;
  try {
    return parseIso(iso);
  } catch {
    return null;
  }
};

function timesOf(s: readonly Step[], action: string): Times {
  const ts = s.filter((x) => x.action === action).map((x) => x.t);
  return { last: ts.at(-1) ?? null, all: ts.length > 1 ? JSON.stringify(ts) : null };
}

/** The verdict of a stage clock, as core/analytics/rates.ts reckons it (met at completion by the due, else missed at the due). */
function verdict(clock: Clock | undefined, s: readonly Step[], ends: readonly string[]): { at: number | null; met: 0 | 1 | null } {
  if (!clock) return { at: null, met: null };
  const due = time(clock.dueAt);
  if (due === null) return { at: null, met: null };
  const started = time(clock.startedAt) ?? -Infinity;
  const completed = time(clock.stoppedAt) ?? firstOf(s, ends, started);
  if (completed !== null && completed <= due) return { at: completed, met: 1 };
  if (completed === null && clock.pausedAt !== null) return { at: null, met: null };
  return { at: due, met: 0 };
}

function suspensionsOf(s: readonly Step[]): string | null {
  if (!s.some((x) => x.action === ACTION.suspend)) return null;
  const toggles = s
    .filter((x) => x.action === ACTION.suspend || x.action === ACTION.resume || x.action === ACTION.close)
    .map((x) => [x.t, x.action === ACTION.suspend ? 1 : 0]);
  return JSON.stringify(toggles);
}

/** The finish clock's part: due, handled when, closed on time (onTimeClosureRate's 按期结案). */
function finishFacts(e: GridEvent, s: readonly Step[]): Pick<EventFacts, 'finishDue' | 'handledAt' | 'closedOnTime'> {
  const clock = e.deadlines.finish;
  const finishDue = time(clock?.dueAt);
  const handledAt = lastOf(s, [ACTION.feedback]) ?? time(clock?.stoppedAt);
  let closedOnTime: 0 | 1 = 0;
  if (clock && finishDue !== null && closedAt(e)) {
    const close = lastOf(s, [ACTION.close]) as number;
    const done = lastOf(s, [ACTION.feedback], close) ?? time(clock.stoppedAt) ?? close;
    closedOnTime = done <= finishDue ? 1 : 0;
  }
  return { finishDue, handledAt, closedOnTime };
}

export function eventFacts(e: GridEvent): EventFacts {
  const s = steps(e);
  const decision = s.find((x) => x.action === ACTION.accept || x.action === ACTION.reject);
  const accept = verdict(e.deadlines.accept, s, [ACTION.accept, ACTION.reject]);
  const verify = verdict(e.deadlines.verify, s, [ACTION.verify, ACTION.rework]);
  const lastReturn = [...e.history].reverse().find((h) => h.action === 'event.return');
  return {
    reporter: e.reporter?.workerId ?? null,
    department: e.assignee?.kind === 'department' ? e.assignee.id : null,
    grid: e.grid,
    village: e.grid.length >= 12 ? e.grid.slice(0, 12) : null,
    reportedAt: time(e.reportedAt) ?? 0,
    status: e.status,
    open: isFinalStatus(e.status) ? 0 : 1,
    merged: isMerged(e) ? 1 : 0,
    mergedInto: e.mergedInto,
    selfHandled: e.selfHandled ? 1 : 0,
    acceptedAt: acceptedAt(e),
    decisionAt: decision?.t ?? null,
    decisionOk: decision === undefined ? null : decision.action === ACTION.accept ? 1 : 0,
    ...finishFacts(e, s),
    escalatedAt: firstOf(s, [ACTION.escalate]),
    suspensions: suspensionsOf(s),
    closes: timesOf(s, ACTION.close),
    verifies: timesOf(s, ACTION.verify),
    reworkAt: firstOf(s, [ACTION.rework]),
    acceptVerdictAt: accept.at,
    acceptMet: accept.met,
    verifyVerdictAt: verify.at,
    verifyMet: verify.met,
    evaluations: timesOf(s, ACTION.evaluate),
    satisfied: e.satisfaction === null ? null : e.satisfaction === 'dissatisfied' ? 0 : 1,
    returns: timesOf(s, 'event.return'),
    returnedBy: lastReturn?.departmentId ?? null,
    extensions: timesOf(s, 'event.approveExtension'),
  };
}

/** The columns of `event_facts`, in order (the replica's writer and the migration share them). */
export const FACT_COLUMNS = [
  'reporter', 'department', 'grid', 'village', 'reported_at', 'status', 'open', 'merged', 'merged_into', 'self_handled',
  'accepted_at', 'decision_at', 'decision_ok', 'finish_due', 'escalated_at', 'suspensions', 'closed_on_time', 'handled_at',
  'close_last', 'close_all', 'verify_last', 'verify_all', 'rework_at', 'accept_verdict_at', 'accept_met', 'verify_verdict_at',
  'verify_met', 'eval_last', 'eval_all', 'satisfied', 'return_last', 'return_all', 'returned_by', 'ext_last', 'ext_all',
] as const;

export type FactValue = string | number | null;

/** The facts as the row's values, in FACT_COLUMNS order. */
export function factValues(f: EventFacts): FactValue[] {
  return [
    f.reporter, f.department, f.grid, f.village, f.reportedAt, f.status, f.open, f.merged, f.mergedInto, f.selfHandled,
    f.acceptedAt, f.decisionAt, f.decisionOk, f.finishDue, f.escalatedAt, f.suspensions, f.closedOnTime, f.handledAt,
    f.closes.last, f.closes.all, f.verifies.last, f.verifies.all, f.reworkAt, f.acceptVerdictAt, f.acceptMet, f.verifyVerdictAt,
    f.verifyMet, f.evaluations.last, f.evaluations.all, f.satisfied, f.returns.last, f.returns.all, f.returnedBy, f.extensions.last, f.extensions.all,
  ];
}
