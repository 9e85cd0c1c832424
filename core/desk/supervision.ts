// 督办 (supervision) as the town keeps it. The workflow's `event.supervise` goes to the
// county (county-link-v1, a note and a count); what the county does not carry stays in
// the town's replica: the level (调度督办, 领导督办), the deadline, the 督办单's number,
// who signed it. This file states those facts and how a supervision's follow-up is read
// from the event's history; the data service stores them (electron/service/desk/).
// Seeds: 方案3 "加大跟踪督办和责任追究力度"; 方案2 "镇纪委和网格办将网格化工作纳入重点督查事项".
import type { ActorRole, EventStatus, GridEvent, HistoryEntry, IsoTime, Limit } from '../model';
import type { WorkCalendar } from '../sla/calendar';
import { parseIso, shanghaiDate, toIso } from '../time/shanghai';
import { documentNumber } from '../documents/official';

export const SUPERVISION_LEVELS = ['dispatch', 'leader'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];

export const SUPERVISION_LEVEL_LABELS: Readonly<Record<SupervisionLevel, string>> = {
  dispatch: '调度督办',
  leader: '领导督办',
};

/** The 办理时限 a supervision gives when the supervisor names none: a leader's is the shorter. */
export const DEFAULT_SUPERVISION_LIMITS: Readonly<Record<SupervisionLevel, Limit>> = {
  dispatch: { value: 3, unit: 'workDays' },
  leader: { value: 2, unit: 'workDays' },
};

/** open: 督办中; answered: the department has fed back (or the case is over); overdue: 已超期 without an answer. */
export type SupervisionState = 'open' | 'answered' | 'overdue';

export const SUPERVISION_STATE_LABELS: Readonly<Record<SupervisionState, string>> = {
  open: '督办中',
  answered: '已办复',
  overdue: '已超期',
};

/** The statuses in which a supervised case counts as answered: fed back, verified, closed, or no longer the town's. */
const ANSWERED_STATUSES: readonly EventStatus[] = ['handled', 'verified', 'closed', 'rejected', 'merged'];

/** One supervision as the town keeps it. */
export interface Supervision {
  id: number;
  /** The 督办单's number, e.g. "督办〔2026〕3号". */
  number: string;
  eventId: string;
  level: SupervisionLevel;
  /** 办理时限: the supervised unit answers by then. */
  deadline: IsoTime;
  /** 督办要求: what the supervisor asks for. */
  requirement: string;
  /** Who supervised (签发). */
  by: { id: string; name: string; role: ActorRole };
  at: IsoTime;
  /** The command number of its event.supervise in the outbox. */
  commandN: number;
}

/** The 督办单's number: one sequence per year. */
export function supervisionNumber(year: number, seq: number): string {
  return documentNumber('督办', year, seq);
}

/** The year (Asia/Shanghai) a supervision's number counts in. */
export function supervisionYear(atMs: number): number {
  return Number(shanghaiDate(atMs).slice(0, 4));
}

/** The deadline: the one asked for, else the level's default limit from now in working time. */
export function supervisionDeadline(level: SupervisionLevel, atMs: number, cal: WorkCalendar, asked?: IsoTime): IsoTime {
  if (asked !== undefined) return toIso(parseIso(asked));
  return toIso(cal.addLimit(atMs, DEFAULT_SUPERVISION_LIMITS[level]));
}

/** What the county receives as the event.supervise note: the level, the number, the deadline and the request. */
export function superviseNote(s: Pick<Supervision, 'level' | 'number' | 'deadline' | 'requirement'>): string {
  return `${SUPERVISION_LEVEL_LABELS[s.level]}（${s.number}，限 ${s.deadline.slice(0, 16).replace('T', ' ')} 前办复）：${s.requirement}`;
}

/** The event's history after the supervision: what the supervised unit did since (the 督办单's follow-up). */
export function followUp(s: Pick<Supervision, 'at'>, event: GridEvent | null): HistoryEntry[] {
  if (event === null) return [];
  const from = parseIso(s.at);
  return event.history.filter((h) => parseIso(h.at) >= from && h.action !== 'event.supervise');
}

/** When the case was answered after the supervision: its first feedback or close since, or null. */
export function answeredAt(s: Pick<Supervision, 'at'>, event: GridEvent | null): IsoTime | null {
  const answer = followUp(s, event).find((h) => h.action === 'event.feedback' || h.action === 'event.close' || h.action === 'event.merge');
  return answer?.at ?? null;
}

export function supervisionState(s: Pick<Supervision, 'at' | 'deadline'>, event: GridEvent | null, nowMs: number): SupervisionState {
  if (event !== null && (ANSWERED_STATUSES.includes(event.status) || answeredAt(s, event) !== null)) return 'answered';
  return nowMs > parseIso(s.deadline) ? 'overdue' : 'open';
}

/** The supervisions past their deadline without an answer: what the leader is alerted to, the most overdue first. */
export function overdueSupervisions<S extends Pick<Supervision, 'at' | 'deadline' | 'eventId'>>(
  list: readonly S[],
  eventOf: (id: string) => GridEvent | null,
  nowMs: number,
): S[] {
  return list
    .filter((s) => supervisionState(s, eventOf(s.eventId), nowMs) === 'overdue')
    .sort((a, b) => parseIso(a.deadline) - parseIso(b.deadline));
}
