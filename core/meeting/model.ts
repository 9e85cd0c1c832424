// The weekly consultation meeting (会商, issue 10): the agenda of hard cases, the one
// shared view a presenter drives, the decisions and the follow-up of them. The shapes
// the app API carries (core/api/meeting.ts declares the methods over them) and the
// rules written once: why an event is on the agenda, which decision runs which
// workflow command, and whether a decision was kept by its deadline.
//
// Seeds: 每周由镇网格化办公室牵头对收集的二、三级网格处理困难的问题,组织网格化领导小组和
// 相关职能部门进行会商处理,对乡镇无法处置的按程序上报县网格化中心 (方案2 二(二)(4)).
import * as z from 'zod';
import type { GridEvent } from '../model';
import { parseIso } from '../time/shanghai';
import { GridEventSchema, IsoTimeSchema } from '../api/schemas';

// ---------------------------------------------------------------- agenda reasons

/** Why an item is on the agenda (the list, in its order). */
export const AGENDA_REASONS = [
  'overdue',
  'returned',
  'reworked',
  'suspended',
  'supervised',
  'multiDepartment',
  'sentBack',
  'hotspot',
  'missedDecision',
] as const;
export type AgendaReason = (typeof AGENDA_REASONS)[number];
export const AgendaReasonSchema = z.enum(AGENDA_REASONS);

export const REASON_LABELS: Readonly<Record<AgendaReason, string>> = {
  overdue: '超期未办结',
  returned: '部门多次退回',
  reworked: '返工',
  suspended: '挂账时间过长',
  supervised: '已督办',
  multiDepartment: '需多部门协同',
  sentBack: '上报县级后被退回',
  hotspot: '同类问题反复发生',
  missedDecision: '上次会商决定未按期落实',
};

/** The thresholds of the candidates: the settings a town may change (candidates' arguments override them). */
export const AGENDA_DEFAULTS = {
  /** Departments returned the event this many times or more. */
  returnedMin: 2,
  /** Suspended (挂账) for longer than this many days. */
  suspendedDays: 14,
  /** A hotspot: this many reports or more of one category in one grid … */
  hotspotMin: 3,
  /** … within this many days. */
  hotspotDays: 30,
  /** At most this many candidates of each kind. */
  limit: 200,
} as const;

export const ReasonSchema = z.object({
  code: AgendaReasonSchema,
  /** Chinese, with the figure: "部门退回 3 次". */
  text: z.string(),
});
export type Reason = z.output<typeof ReasonSchema>;

// ---------------------------------------------------------------- candidates and items

/** Whether a decision was kept (decisionOutcome). */
export const OUTCOMES = ['kept', 'missed', 'pending', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = { kept: '已落实', missed: '未按期落实', pending: '落实中', unknown: '待核实' };

export const ITEM_KINDS = ['event', 'hotspot', 'topic', 'followup'] as const;
export const ItemKindSchema = z.enum(ITEM_KINDS);
export type ItemKind = z.output<typeof ItemKindSchema>;

/** A candidate for the agenda: an event, a hotspot (grid × category) or a decision of the last meeting. */
export const CandidateSchema = z.object({
  kind: z.enum(['event', 'hotspot', 'followup']),
  /** The key an item is added by: the event id, `hotspot:GRID:CATEGORY`, `decision:ID`. */
  key: z.string(),
  title: z.string(),
  eventId: z.string().nullable(),
  code: z.string().nullable(),
  grid: z.string().nullable(),
  category: z.string().nullable(),
  status: z.string().nullable(),
  reasons: z.array(ReasonSchema).min(1),
  /** Already an item of the meeting asked about. */
  onAgenda: z.boolean(),
});
export type Candidate = z.output<typeof CandidateSchema>;

export const AgendaItemSchema = z.object({
  id: z.string(),
  meetingId: z.string(),
  /** 1, 2, …: the order of the agenda. */
  order: z.number().int().positive(),
  kind: ItemKindSchema,
  title: z.string(),
  eventId: z.string().nullable(),
  grid: z.string().nullable(),
  category: z.string().nullable(),
  reasons: z.array(ReasonSchema),
  /** The decision of the earlier meeting this item follows up (kind followup). */
  decisionId: z.string().nullable(),
  /** The discussion's note (讨论情况), written by the secretary. */
  note: z.string(),
  /** For a follow-up: whether the earlier decision was kept, as of now. */
  outcome: z.enum(OUTCOMES).nullable(),
});
export type AgendaItem = z.output<typeof AgendaItemSchema>;

// ---------------------------------------------------------------- meetings

export const MEETING_STATUSES = ['planned', 'inProgress', 'ended'] as const;
export const MeetingStatusSchema = z.enum(MEETING_STATUSES);
export const MEETING_STATUS_LABELS: Readonly<Record<(typeof MEETING_STATUSES)[number], string>> = {
  planned: '筹备中',
  inProgress: '会商中',
  ended: '已结束',
};

export const AttendeeSchema = z.object({
  name: z.string().trim().min(1).max(40),
  /** 职务 / unit, as the minutes print it. */
  title: z.string().trim().max(60).default(''),
});
export type Attendee = z.output<typeof AttendeeSchema>;

export const MeetingSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** "YYYY-MM-DD", Asia/Shanghai. */
  date: z.string(),
  place: z.string(),
  chair: z.string(),
  attendees: z.array(AttendeeSchema),
  /** Department ids attending. */
  departments: z.array(z.string()),
  status: MeetingStatusSchema,
  createdAt: IsoTimeSchema,
  createdBy: z.string(),
  endedAt: IsoTimeSchema.nullable(),
});
export type Meeting = z.output<typeof MeetingSchema>;

// ---------------------------------------------------------------- the presenter

/** Figures for the item's grid and category, shown beside it. */
export const ItemFiguresSchema = z.object({
  /** Open events in the item's grid now. */
  gridOpen: z.number().int().nonnegative(),
  /** Events of the item's category reported in the item's grid in the last 30 days. */
  sameCategory30d: z.number().int().nonnegative(),
  /** Events of the item's category reported in the town in the last 30 days. */
  townCategory30d: z.number().int().nonnegative(),
});

/**
 * What every follower shows: the meeting, the agenda, the item on screen and the map's
 * view (camera, layers, selection, time window: the renderer's MapViewState). Kept in
 * the replica: a restarted service answers it as it was.
 */
export const MeetingStateSchema = z.object({
  meeting: MeetingSchema,
  items: z.array(AgendaItemSchema),
  /** The item on screen; null before the first one. */
  itemId: z.string().nullable(),
  view: z.record(z.string(), z.unknown()).nullable(),
  figures: ItemFiguresSchema.nullable(),
  /**
   * The event of the item on screen in full (history, photos, deadlines), masked as the
   * follower may see it: a follower shows the item from the push without asking back.
   * Null for a topic or a hotspot (absent in a state from before it was carried).
   */
  event: GridEventSchema.nullable().optional(),
  /** Who presents, as the followers say. */
  by: z.string(),
  at: IsoTimeSchema,
  /** Grows with every change: a follower ignores an older state arriving late. */
  version: z.number().int().nonnegative(),
});
export type MeetingState = z.output<typeof MeetingStateSchema>;

// ---------------------------------------------------------------- decisions

/** What a decision does: a workflow command of core/events, or none (kept on the agenda). */
export const DECISION_ACTIONS = ['dispatch', 'supervise', 'approveExtension', 'escalate', 'close', 'keep'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];
export const DecisionActionSchema = z.enum(DECISION_ACTIONS);

export const DECISION_ACTION_LABELS: Readonly<Record<DecisionAction, string>> = {
  dispatch: '派遣',
  supervise: '督办',
  approveExtension: '同意延期',
  escalate: '上报县级',
  close: '结案',
  keep: '列入下次会商',
};

/** The workflow command each action runs (null: nothing to run). */
export const DECISION_COMMANDS: Readonly<Record<DecisionAction, string | null>> = {
  dispatch: 'event.dispatch',
  supervise: 'event.supervise',
  approveExtension: 'event.approveExtension',
  escalate: 'event.escalate',
  close: 'event.close',
  keep: null,
};

/** The most a map snapshot may weigh (PNG, base64): the call stays well below the web shell's 1 MB. */
export const SNAPSHOT_MAX_BASE64 = 600_000;

export const DecisionSchema = z.object({
  id: z.string(),
  meetingId: z.string(),
  itemId: z.string(),
  eventId: z.string().nullable(),
  action: DecisionActionSchema,
  leadDepartment: z.string().nullable(),
  cooperating: z.array(z.string()),
  /** "YYYY-MM-DD" (the end of that day, Asia/Shanghai), or null. */
  deadline: z.string().nullable(),
  instruction: z.string(),
  /** `replica:n` of the workflow command it ran, null for `keep` or a topic. */
  commandId: z.string().nullable(),
  decidedBy: z.object({ id: z.string(), name: z.string(), role: z.string() }),
  decidedAt: IsoTimeSchema,
  hasSnapshot: z.boolean(),
});
export type Decision = z.output<typeof DecisionSchema>;


export const FollowupSchema = z.object({
  decision: DecisionSchema,
  meetingTitle: z.string(),
  itemTitle: z.string(),
  outcome: z.enum(OUTCOMES),
});
export type Followup = z.output<typeof FollowupSchema>;

/** The end of a deadline day ("YYYY-MM-DD", Asia/Shanghai) as epoch ms. */
export function deadlineEndMs(deadline: string): number {
  return parseIso(`${deadline}T23:59:59.999+08:00`);
}

/** Actions done: the event's work reached this step by the deadline. */
const DONE_ACTIONS: Readonly<Record<DecisionAction, readonly string[]>> = {
  dispatch: ['event.feedback', 'event.close'],
  supervise: ['event.feedback', 'event.close'],
  approveExtension: ['event.feedback', 'event.close'],
  escalate: ['event.feedback', 'event.close'],
  close: ['event.close'],
  keep: ['event.feedback', 'event.close'],
};

/**
 * Was a decision kept? With an event: kept when the event's history shows the work done
 * (fed back or closed) after the decision and by its deadline; missed when the deadline
 * passed without it; pending before. Without an event (a topic) or a deadline: unknown
 * once due, pending before (the meeting judges it).
 */
export function decisionOutcome(decision: Pick<Decision, 'action' | 'deadline' | 'decidedAt'>, event: GridEvent | null, nowMs: number): Outcome {
  const due = decision.deadline === null ? null : deadlineEndMs(decision.deadline);
  if (event !== null) {
    const from = parseIso(decision.decidedAt);
    const done = event.history.find((h) => DONE_ACTIONS[decision.action].includes(h.action) && parseIso(h.at) >= from);
    if (done && (due === null || parseIso(done.at) <= due)) return 'kept';
    if (due !== null && nowMs > due) return 'missed';
    return 'pending';
  }
  if (due !== null && nowMs > due) return 'unknown';
  return 'pending';
}

// ---------------------------------------------------------------- minutes

export const MINUTES_FORMATS = ['docx', 'pdf'] as const;
export const MinutesFormatSchema = z.enum(MINUTES_FORMATS);

export const MinutesSchema = z.object({
  id: z.string(),
  meetingId: z.string(),
  /** 文号-style number: "XX镇网会纪〔2026〕3号". */
  number: z.string(),
  title: z.string(),
  date: z.string(),
  createdAt: IsoTimeSchema,
  /** The events and departments it speaks of (searchable). */
  eventIds: z.array(z.string()),
  departments: z.array(z.string()),
  formats: z.array(MinutesFormatSchema),
});
export type Minutes = z.output<typeof MinutesSchema>;
