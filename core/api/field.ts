// The field desk on the app API (issue 13, second half): emergency mode (plans, the
// register of teams and resources, the search around an incident, the checklist,
// worker.notify), patrol management (today's unpatrolled grids, each worker's day, the
// sweeps) and the county's sensors and cameras. Shapes only; the rules are in
// core/emergency, core/patrol and core/devices, the handlers in electron/service/emergency.
import * as z from 'zod';
import type { MethodKind, MethodSpec } from './contract';
import { IsoTimeSchema, PositionFixSchema, UrgencySchema, WorkerSchema } from './schemas';
import { PlanSchema } from '../emergency/plans';
import { ResourceDraftSchema, ResourceSchema } from '../emergency/resources';
import { WorkerNotifyArgsSchema } from '../emergency/notify';
import { DEVICE_KINDS, DEVICE_STATUSES } from '../devices/device';

// A local identity (as contract.ts's defineMethod): importing contract.ts's value here would make a cycle.
function defineMethod<const K extends MethodKind, A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<K, A, R>): MethodSpec<K, A, R> {
  return spec;
}

const noArgs = z.strictObject({});
const eventIdArgs = z.strictObject({ eventId: z.string().min(1).max(128) });
export const RADIUS_DEFAULT_M = 1000;
const RadiusSchema = z.number().int().min(50, '半径至少 50 米').max(20_000, '半径最多 20 公里').default(RADIUS_DEFAULT_M);
const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const ChecklistItemSchema = z.object({
  stepId: z.string(),
  text: z.string(),
  role: z.string(),
  /** When it was ticked (null: not yet), and by whom. */
  doneAt: IsoTimeSchema.nullable(),
  doneBy: z.string().nullable(),
});

export const NoticeSchema = z.object({
  /** The outbox number and `replica:n` of the worker.notify command. */
  n: z.number().int().positive(),
  commandId: z.string(),
  workers: z.array(z.object({ id: z.string(), name: z.string() })),
  text: z.string(),
  at: IsoTimeSchema,
  /** queued: waiting for the county (the link may be down); applied: sent to the phones; rejected: final, see code/message. */
  state: z.enum(['queued', 'applied', 'rejected']),
  code: z.string().optional(),
  message: z.string().optional(),
});

export const EmergencySchema = z.object({
  eventId: z.string(),
  event: z.object({
    id: z.string(),
    code: z.string(),
    title: z.string(),
    category: z.string(),
    urgency: UrgencySchema,
    status: z.string(),
    grid: z.string(),
    location: z.object({ lon: z.number(), lat: z.number(), address: z.string() }),
  }),
  plan: PlanSchema,
  status: z.enum(['active', 'closed']),
  openedAt: IsoTimeSchema,
  openedBy: z.string(),
  closedAt: IsoTimeSchema.nullable(),
  radiusM: z.number().int(),
  checklist: z.array(ChecklistItemSchema),
  notices: z.array(NoticeSchema),
});
export type Emergency = z.output<typeof EmergencySchema>;

export const NearbySchema = z.object({
  center: z.object({ lon: z.number(), lat: z.number() }),
  radiusM: z.number().int(),
  workers: z.array(z.object({ worker: WorkerSchema, distanceM: z.number().nonnegative(), position: PositionFixSchema })),
  resources: z.array(z.object({ resource: ResourceSchema, distanceM: z.number().nonnegative() })),
  grids: z.array(z.object({ code: z.string(), name: z.string(), distanceM: z.number().nonnegative() })),
});

/** The wall's panel: no person named, no phone. */
export const EmergencyBoardSchema = z.array(
  z.object({
    eventId: z.string(),
    code: z.string(),
    title: z.string(),
    planName: z.string(),
    openedAt: IsoTimeSchema,
    stepsDone: z.number().int().nonnegative(),
    stepsTotal: z.number().int().nonnegative(),
    /** Workers sent a message about it, and of those how many are within 100 m of it now. */
    notified: z.number().int().nonnegative(),
    onScene: z.number().int().nonnegative(),
    location: z.object({ lon: z.number(), lat: z.number() }),
  }),
);

const GridRefSchema = z.object({ code: z.string(), name: z.string(), village: z.string().nullable() });

export const PatrolTodaySchema = z.object({
  date: z.string(),
  basicGrids: z.number().int().nonnegative(),
  patrolled: z.number().int().nonnegative(),
  /** Basic grids no grid worker has entered today, by code. */
  unpatrolled: z.array(GridRefSchema.extend({ geometry: z.unknown() })),
});

export const WorkerDaySchema = z.object({
  workerId: z.string(),
  name: z.string(),
  role: z.string(),
  onDuty: z.boolean(),
  /** Metres along the day's fixes (gaps over 2 h not counted), and the time those fixes cover. */
  distanceM: z.number().nonnegative(),
  onlineMs: z.number().nonnegative(),
  gridsEntered: z.array(z.string()),
  stops: z.number().int().nonnegative(),
  firstFixAt: IsoTimeSchema.nullable(),
  lastFixAt: IsoTimeSchema.nullable(),
});

export const SweepTaskViewSchema = z.object({
  grid: z.string(),
  name: z.string(),
  village: z.string().nullable(),
  done: z.boolean(),
  doneOn: z.string().nullable(),
  workers: z.array(z.string()),
  reports: z.number().int().nonnegative(),
});

export const SweepViewSchema = z.object({
  kind: z.enum(['monthly', 'quarterly']),
  key: z.string(),
  label: z.string(),
  from: z.string(),
  to: z.string(),
  /** Over (today only up to now; a sweep still to come is not over). */
  due: z.boolean(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  tasks: z.array(SweepTaskViewSchema),
});

export const SensorSchema = z.object({
  id: z.string(),
  kind: z.enum(DEVICE_KINDS),
  name: z.string(),
  location: z.object({ lon: z.number(), lat: z.number() }),
  grid: z.string(),
  status: z.enum(DEVICE_STATUSES),
  lastSeenAt: IsoTimeSchema.nullable(),
  intervalS: z.number().int(),
  address: z.string().optional(),
  /** Nothing heard for longer than its interval. */
  silent: z.boolean(),
  /** The latest alarm event linked to it (GridEvent.device), when the replica holds one. */
  lastAlarm: z.object({ eventId: z.string(), code: z.string(), title: z.string(), reportedAt: IsoTimeSchema, status: z.string() }).nullable(),
});

export const PlanImportArgsSchema = z.strictObject({
  fileName: z.string().trim().min(1).max(200).regex(/\.(json|xlsx)$/i, '只能导入 .json 或 .xlsx 文件'),
  /** The file, base64 (at most about 2 MB). */
  content: z.string().min(1, '文件为空').max(2_800_000, '文件过大(最多 2 MB)'),
  /** replace: the library becomes the file's plans; merge: the file's plans are added or replace those of the same id. */
  mode: z.enum(['merge', 'replace']).default('merge'),
});

/** The push `field.changed`: what changed on the field desk (no personal data: every screen gets it). */
export const FieldChangedSchema = z.object({ kind: z.enum(['emergency', 'plans', 'resources']), eventId: z.string().optional() });

export const FIELD_METHODS = {
  'emergency.plans': defineMethod({ kind: 'query', args: noArgs, result: z.array(PlanSchema), summary: 'The 应急预案 library kept in the replica (steps, roles, contacts, resources).' }),
  'emergency.resources': defineMethod({
    kind: 'query',
    args: z.strictObject({ includeRetired: z.boolean().default(false) }),
    result: z.array(ResourceSchema),
    summary: 'The register of emergency teams and resources: 应急队伍, 物资仓库, 避难场所, 应急车辆, with their places (the retired ones too when asked).',
  }),
  'emergency.get': defineMethod({
    kind: 'query',
    args: eventIdArgs,
    result: EmergencySchema.nullable(),
    summary: "An event's emergency: its plan, the checklist with times, the messages sent and their state; null when none was opened.",
  }),
  'emergency.nearby': defineMethod({
    kind: 'query',
    args: z.strictObject({ eventId: z.string().min(1).max(128), radiusM: RadiusSchema }),
    result: NearbySchema,
    summary: 'Grid workers (by their last fix), teams and resources and grids within a radius of the event, nearest first, with distances (flatbush index).',
  }),
  'emergency.board': defineMethod({
    kind: 'query',
    args: noArgs,
    result: EmergencyBoardSchema,
    summary: "The wall's emergency panel: active emergencies with their plan, checklist progress and workers notified and on scene; no personal data.",
  }),
  'patrol.today': defineMethod({
    kind: 'query',
    args: noArgs,
    result: PatrolTodaySchema,
    summary: "Today's basic grids no grid worker has entered yet (日巡查), live from the positions, with their outlines.",
  }),
  'patrol.workers': defineMethod({
    kind: 'query',
    args: z.strictObject({ date: DateSchema.optional() }),
    result: z.array(WorkerDaySchema),
    summary: "Each grid worker's day: on duty, distance, time online, grids entered, stops (today by default; tracks are kept 24 h, grids entered for good).",
  }),
  'patrol.sweeps': defineMethod({
    kind: 'query',
    args: z.strictObject({ date: DateSchema.optional() }),
    result: z.array(SweepViewSchema),
    summary: 'The sweeps of the month (集中排查 on the 1st and 15th) and the quarter (季度联查) as tasks per basic grid, done from the tracks and the patrol reports.',
  }),
  'sensors.list': defineMethod({
    kind: 'query',
    args: noArgs,
    result: z.array(SensorSchema),
    summary: 'Sensors and cameras replicated from the county (`device` entities) with their state, silent ones flagged, and their latest alarm event.',
  }),
  'worker.notify': defineMethod({
    kind: 'command',
    args: WorkerNotifyArgsSchema.strict(),
    result: z.object({ commandId: z.string(), n: z.number().int().positive(), state: z.literal('queued') }),
    summary: "A message to grid workers' phones through the county (county-link `worker.notify`), queued in the outbox: sent once, also after the link comes back.",
  }),
  'emergency.open': defineMethod({
    kind: 'command',
    args: z.strictObject({ eventId: z.string().min(1).max(128), planId: z.string().min(1).max(40).optional(), radiusM: RadiusSchema }),
    result: EmergencySchema,
    summary: "Starts emergency mode for an urgent event with the plan that fits its category (or the one chosen); opening it again answers the open one.",
  }),
  'emergency.check': defineMethod({
    kind: 'command',
    args: z.strictObject({ eventId: z.string().min(1).max(128), stepId: z.string().min(1).max(32), done: z.boolean() }),
    result: EmergencySchema,
    summary: 'Ticks (or unticks) a step of the emergency checklist, with the time and the person.',
  }),
  'emergency.close': defineMethod({
    kind: 'command',
    args: eventIdArgs,
    result: EmergencySchema,
    summary: 'Ends emergency mode for the event (the wall panel drops it).',
  }),
  'emergency.plans.save': defineMethod({
    kind: 'command',
    args: z.strictObject({ plan: PlanSchema }),
    result: PlanSchema,
    summary: 'Adds or replaces a plan of the library (by id).',
  }),
  'emergency.plans.delete': defineMethod({
    kind: 'command',
    args: z.strictObject({ id: z.string().min(1).max(40) }),
    result: z.object({ deleted: z.boolean() }),
    summary: 'Removes a plan from the library (open emergencies keep their copy).',
  }),
  'emergency.plans.import': defineMethod({
    kind: 'command',
    args: PlanImportArgsSchema,
    result: z.object({ imported: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
    summary: 'Imports plans from a JSON or Excel file (columns 预案编号, 预案名称, …); a file with any error imports nothing and names each error.',
  }),
  'emergency.resources.save': defineMethod({
    kind: 'command',
    args: z.strictObject({ resource: ResourceDraftSchema }),
    result: ResourceSchema,
    summary: 'Adds (no id) or changes an entry of the register of teams and resources; placed in the basic grid its point lies in (a point outside the town is refused). Local to the town: works with the county link down.',
  }),
  'emergency.resources.retire': defineMethod({
    kind: 'command',
    args: z.strictObject({ id: z.string().min(1).max(64), retired: z.boolean().default(true) }),
    result: ResourceSchema,
    summary: 'Retires an entry of the register (kept on record, no longer offered by the search around an incident), or puts it back in service.',
  }),
} as const;

/** The field queries a scoped or read-only screen may not call (personal data, tracks): all but the wall panel. */
export const FIELD_PERSONAL_QUERIES = ['emergency.get', 'emergency.nearby', 'patrol.today', 'patrol.workers', 'patrol.sweeps', 'sensors.list', 'emergency.plans', 'emergency.resources'] as const;
/** The plan library's editing (kind command: the dispatcher's), also granted to the admin. */
export const PLAN_EDIT_METHODS = ['emergency.plans.save', 'emergency.plans.delete', 'emergency.plans.import'] as const;
/** The register's editing (kind command: the dispatcher's), also granted to the admin with the register's query. */
export const RESOURCE_EDIT_METHODS = ['emergency.resources.save', 'emergency.resources.retire'] as const;
