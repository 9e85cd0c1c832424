// The consultation meeting's methods (会商, issue 10) on the app API: the agenda and its
// candidates, the presenter's shared state, the decisions and the minutes. Spread into
// CONTRACT (contract.ts); who may call which is in access.ts (the secretary runs the
// agenda and the minutes, a leader presents and decides). The shapes are core/meeting.
import * as z from 'zod';
import type { MethodKind, MethodSpec } from './contract';
import {
  AGENDA_DEFAULTS,
  AgendaItemSchema,
  AttendeeSchema,
  CandidateSchema,
  DecisionActionSchema,
  DecisionSchema,
  FollowupSchema,
  MeetingSchema,
  MeetingStateSchema,
  MinutesFormatSchema,
  MinutesSchema,
  SNAPSHOT_MAX_BASE64,
} from '../meeting/model';

// contract.ts imports this file: its defineMethod is restated here (a type-only import back), so no cycle runs.
function defineMethod<const K extends MethodKind, A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<K, A, R>): MethodSpec<K, A, R> {
  return spec;
}

const Id = z.string().min(1).max(128);
const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const Text = (max: number) => z.string().trim().max(max);
/** The map's view as the renderer gives it (MapViewState), bounded like view.share's. */
const ViewSchema = z.record(z.string(), z.unknown());

const meetingFields = {
  title: Text(100).min(1, '请填写会议名称'),
  date: DateSchema,
  place: Text(100).min(1, '请填写会议地点'),
  chair: Text(40).min(1, '请填写主持人'),
  attendees: z.array(AttendeeSchema).max(100),
  departments: z.array(Id).max(100),
};

export const MeetingDetailSchema = z.object({
  meeting: MeetingSchema,
  items: z.array(AgendaItemSchema),
  decisions: z.array(DecisionSchema),
});

export const MinutesFileSchema = z.object({
  fileName: z.string(),
  mime: z.string(),
  /** The file, base64. */
  base64: z.string(),
  /** Personal data masked for the caller's role. */
  masked: z.boolean(),
});

export const MEETING_METHODS = {
  'meeting.candidates': defineMethod({
    kind: 'query',
    args: z.strictObject({
      meetingId: Id.optional(),
      suspendedDays: z.number().int().min(1).max(365).optional(),
      hotspotMin: z.number().int().min(2).max(100).optional(),
      limit: z.number().int().min(1).max(1000).default(AGENDA_DEFAULTS.limit),
    }),
    result: z.array(CandidateSchema),
    summary:
      'Agenda candidates from the replica, each with its reasons: overdue, returned ≥2, reworked, suspended too long, supervised, several departments, sent back by the county, hotspots (one category in one grid ≥N in 30 days), last meeting\'s missed decisions.',
  }),
  'meeting.list': defineMethod({
    kind: 'query',
    args: z.strictObject({ limit: z.number().int().min(1).max(200).default(50) }),
    result: z.array(MeetingSchema),
    summary: 'Meetings, newest first.',
  }),
  'meeting.get': defineMethod({
    kind: 'query',
    args: z.strictObject({ id: Id }),
    result: MeetingDetailSchema.nullable(),
    summary: 'One meeting with its agenda and decisions, or null.',
  }),
  'meeting.state': defineMethod({
    kind: 'query',
    args: z.strictObject({}),
    result: MeetingStateSchema.nullable(),
    summary: 'The meeting in progress as every follower shows it (agenda, item on screen, map view, figures), or null; pushed as meeting.state on each change. Kept in the replica: a restart resumes it.',
  }),
  'meeting.followups': defineMethod({
    kind: 'query',
    args: z.strictObject({ open: z.boolean().default(true) }),
    result: z.array(FollowupSchema),
    summary: "Decisions with a deadline and whether each was kept (kept, missed, pending, unknown); open: only those not kept yet.",
  }),
  'meeting.create': defineMethod({
    kind: 'command',
    args: z.strictObject(meetingFields),
    result: MeetingDetailSchema,
    summary: "Plans a meeting; its agenda opens with the last meeting's decisions that have a deadline (follow-up items, with whether each was kept).",
  }),
  'meeting.update': defineMethod({
    kind: 'command',
    args: z.strictObject({ id: Id, ...z.strictObject(meetingFields).partial().shape }),
    result: MeetingSchema,
    summary: 'Changes a meeting\'s title, date, place, chair, attendees (people and departments); not once ended.',
  }),
  'meeting.item.add': defineMethod({
    kind: 'command',
    args: z.strictObject({
      meetingId: Id,
      /** A candidate's key (event id, hotspot:GRID:CATEGORY, decision:ID) … */
      key: Id.optional(),
      /** … or a topic that is not an event. */
      topic: Text(200).min(1).optional(),
    }),
    result: z.array(AgendaItemSchema),
    summary: 'Adds a candidate (by its key, with its reasons) or a topic to the agenda, last; answers the agenda.',
  }),
  'meeting.item.remove': defineMethod({
    kind: 'command',
    args: z.strictObject({ meetingId: Id, itemId: Id }),
    result: z.array(AgendaItemSchema),
    summary: 'Removes an item that has no decision; answers the agenda.',
  }),
  'meeting.item.order': defineMethod({
    kind: 'command',
    args: z.strictObject({ meetingId: Id, itemIds: z.array(Id).min(1).max(500) }),
    result: z.array(AgendaItemSchema),
    summary: 'Orders the agenda: every item id once, in the new order.',
  }),
  'meeting.item.note': defineMethod({
    kind: 'command',
    args: z.strictObject({ meetingId: Id, itemId: Id, note: Text(4000) }),
    result: AgendaItemSchema,
    summary: "The discussion's note of an item (讨论情况), for the minutes.",
  }),
  'meeting.present': defineMethod({
    kind: 'command',
    args: z.strictObject({ meetingId: Id, itemId: Id.nullable().optional(), view: ViewSchema.nullable().optional() }),
    result: MeetingStateSchema,
    summary: 'Presents: the item on screen and/or the map view (camera, layers, selection, time window); starts a planned meeting. Pushed to every follower (meeting.state) and kept in the replica.',
  }),
  'meeting.decide': defineMethod({
    kind: 'command',
    args: z.strictObject({
      meetingId: Id,
      itemId: Id,
      action: DecisionActionSchema,
      leadDepartment: Id.optional(),
      cooperating: z.array(Id).max(10).default([]),
      deadline: DateSchema.optional(),
      instruction: Text(2000).min(1, '请填写会商意见'),
      /** A PNG of the map for the minutes, base64 (optional, bounded). */
      snapshot: z.string().max(SNAPSHOT_MAX_BASE64, '地图截图过大').regex(/^[A-Za-z0-9+/=]*$/, '地图截图应为 base64').optional(),
    }),
    result: DecisionSchema,
    summary:
      "A decision on an item: lead and cooperating departments, deadline, instruction, and its action run as the workflow command (event.dispatch, event.supervise, event.approveExtension, event.escalate, event.close) signed by the person deciding, through the outbox (holds with the county link down); keep: stays on the agenda.",
  }),
  'meeting.end': defineMethod({
    kind: 'command',
    args: z.strictObject({ meetingId: Id }),
    result: MinutesSchema,
    summary: 'Ends the meeting and files its minutes (会商纪要) in the replica as .docx and .pdf.',
  }),
  'minutes.list': defineMethod({
    kind: 'query',
    args: z.strictObject({ meetingId: Id.optional(), eventId: Id.optional(), department: Id.optional() }),
    result: z.array(MinutesSchema),
    summary: 'Filed minutes, newest first, by meeting, event or department.',
  }),
  'minutes.search': defineMethod({
    kind: 'query',
    args: z.strictObject({ text: Text(100) }),
    result: z.array(MinutesSchema),
    summary: 'Minutes whose text holds the words (title, items, decisions, departments), newest first; blank text: every minutes.',
  }),
  'minutes.download': defineMethod({
    kind: 'query',
    args: z.strictObject({ id: Id, format: MinutesFormatSchema }),
    result: MinutesFileSchema,
    summary: "A filed minutes file (base64), personal data masked unless the caller's role may see it in an export; recorded in the audit trail.",
  }),
} as const;

/** The meeting's commands: the secretary's part (agenda, attendance, minutes). */
export const SECRETARY_MEETING_METHODS = [
  'meeting.create',
  'meeting.update',
  'meeting.item.add',
  'meeting.item.remove',
  'meeting.item.order',
  'meeting.item.note',
  'meeting.present',
  'meeting.end',
] as const;

/** The leader's part: presents and decides. */
export const LEADER_MEETING_METHODS = ['meeting.present', 'meeting.decide', 'meeting.end'] as const;

/** What the screens of a scope (a department, a village) may not read of the meeting: its agenda spans the town. */
export const MEETING_READS_RESTRICTED = ['meeting.state', 'meeting.candidates', 'meeting.list', 'meeting.get', 'meeting.followups', 'minutes.list', 'minutes.search', 'minutes.download'] as const;
