// The app API contract: the ONE declaration of every method the renderer may
// call on the data service, with its argument and result schemas, and of every
// push topic. The Electron bridge (preload + main), the web shell's Socket.IO
// transport, the data service and the renderer's typed client are all derived
// from this object; nothing else names a method.
import * as z from 'zod';
import {
  CategorySchema,
  DepartmentSchema,
  EventSourceSchema,
  EventStatusSchema,
  GridEventSchema,
  GridKindSchema,
  GridLevelSchema,
  GridSchema,
  IsoTimeSchema,
  LinkStateSchema,
  PositionFixSchema,
  UrgencySchema,
  WorkerSchema,
} from './schemas';
import { COMMAND_ARGS, COMMAND_NAMES, type CommandName } from '../events/commands';
import { COMMAND_LABELS } from '../events/labels';
import { StatsOverviewSchema } from './stats';
import { BasemapConfigSchema } from './basemap';
import { OPS_METHODS } from './ops';
import { RefusalCodeSchema } from '../sync/protocol';
import { FIELD_METHODS, FieldChangedSchema } from './field';
import { REGISTER_METHODS } from './registers';
import {
  AccountCreateArgsSchema,
  AccountSchema,
  AccountUpdateArgsSchema,
  AuditEntrySchema,
  AuditListArgsSchema,
  AuthResultSchema,
  DemoAccountSchema,
  DeviceIssuedSchema,
  DeviceSchema,
  PasswordSchema,
  RevealArgsSchema,
  SessionUserSchema,
  SettingsSchema,
  SetupArgsSchema,
} from './people';
import { DESK_METHODS } from './desk';
import { ASSESSMENT_METHODS } from './assessment';
import { MEETING_METHODS } from './meeting';
import { MeetingStateSchema } from '../meeting/model';

// ---------------------------------------------------------------- method declarations

/**
 * query: reads the replica, always answerable offline. command: an action on events or on
 * the service, queued for the county when it is a workflow command. auth: the caller's own
 * session (login, logout, who am I). admin: accounts, device tokens, settings, the audit
 * log. reveal: shows one piece of personal data, with a reason, recorded.
 */
export type MethodKind = 'query' | 'command' | 'auth' | 'admin' | 'reveal';

export interface MethodSpec<K extends MethodKind = MethodKind, A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** What the method does (MethodKind): the role table grants kinds. */
  kind: K;
  args: A;
  result: R;
  /** One line for docs/api.md and for the reviewer. */
  summary: string;
}

/** Declares one method; the identity function keeps the literal kind and the exact schema types. */
export function defineMethod<const K extends MethodKind, A extends z.ZodType, R extends z.ZodType>(
  spec: MethodSpec<K, A, R>,
): MethodSpec<K, A, R> {
  return spec;
}

// Arguments are strict objects: an unknown key is a caller's mistake, refused at the boundary.
const noArgs = z.strictObject({});

// ---------------------------------------------------------------- result shapes

export interface GridTreeNode {
  code: string;
  name: string;
  level: 1 | 2 | 3;
  kind: 'basic' | 'dedicated';
  households?: number;
  /** Grid workers (1+1+1+N) responsible for this grid or for any grid below it. */
  staff: number;
  children: GridTreeNode[];
}

export const GridTreeNodeSchema: z.ZodType<GridTreeNode> = z.lazy(() =>
  z.object({
    code: z.string(),
    name: z.string(),
    level: GridLevelSchema,
    kind: GridKindSchema,
    households: z.number().int().nonnegative().optional(),
    staff: z.number().int().nonnegative(),
    children: z.array(GridTreeNodeSchema),
  }),
);

export { LinkStateSchema };
export const LinkRefusalSchema = RefusalCodeSchema;

export const LinkStatusSchema = z.object({
  /** none: no county link is configured (a service started without one). */
  state: LinkStateSchema,
  /** When the link entered this state. */
  since: IsoTimeSchema,
  /** Dispatcher commands kept in the outbox, not yet acknowledged by the county. */
  queueLength: z.number().int().nonnegative(),
  /** The last committed `changes` batch, or null when none has been received. */
  lastSyncAt: IsoTimeSchema.nullable(),
  /** True while the county says `more: true` (county-link-v1). */
  catchingUp: z.boolean(),
  /** The county's refusal code, when state is `refused`. */
  refusal: LinkRefusalSchema.optional(),
  /** Connected, commands waiting, and none settled for a while (the link's watchdog). */
  stalled: z.boolean().optional(),
  /** When the link was last lost (or, never connected yet, when it started trying); null while online. */
  offlineSince: IsoTimeSchema.nullable().optional(),
  /** Commands the county has not acknowledged yet (a part of queueLength). */
  unsent: z.number().int().nonnegative().optional(),
  /** Chinese, for the operator: why the link is refused or offline. */
  detail: z.string().optional(),
  /** The replica's disk is full: the link waits for room (磁盘空间不足, in detail) instead of downloading in a loop. */
  diskFull: z.boolean().optional(),
});
export type LinkState = z.output<typeof LinkStateSchema>;
/** The county link's state as link.status answers and pushes it (the link, the service and the wall share it). */
export type LinkStatus = z.output<typeof LinkStatusSchema>;

export const LinkLogEntrySchema = z.object({
  at: IsoTimeSchema,
  level: z.enum(['info', 'warn', 'error']),
  /** changes, positions, mutate, connection or watchdog. */
  topic: z.string(),
  message: z.string(),
});

export const PositionTrackArgsSchema = z
  .strictObject({
    workerId: z.string().min(1).max(128),
    from: IsoTimeSchema,
    to: IsoTimeSchema,
  })
  .refine((a) => Date.parse(a.from) <= Date.parse(a.to), { message: '起始时间不能晚于结束时间', path: ['to'] });

export const RejectedCommandSchema = z.object({
  /** `replica:n`, as sent on the county link. */
  id: z.string(),
  n: z.number().int().positive(),
  name: z.string(),
  args: z.unknown(),
  at: IsoTimeSchema,
  code: z.string(),
  message: z.string(),
  rejectedAt: IsoTimeSchema,
});

export const FeatureSchema = z.object({
  key: z.string(),
  /** Chinese name, shown to the operator. */
  name: z.string(),
  ready: z.boolean(),
  note: z.string().optional(),
});

export const AppInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  town: z.object({ code: z.string(), name: z.string() }),
  /** True when the data comes from the bundled demo town, not from a county platform. */
  demo: z.boolean(),
  /** What is built and what is not yet, stated honestly for the operator. */
  features: z.array(FeatureSchema),
  /** The bundled county simulator's loopback URL (its HTTP control endpoint), in the demo only. */
  demoCounty: z.string().optional(),
  /** This replica's id on the county link (commands travel as `replicaId:n`), for support and the demo's tests. */
  replicaId: z.string().optional(),
  /** The base map the screens draw (core/api/basemap.ts, as the renderer sees it); absent means the demo town's. */
  basemap: BasemapConfigSchema.optional(),
  /** No account exists yet (first run outside the demo): the app asks for the first admin account (auth.setup). */
  needsSetup: z.boolean(),
  /** The demo's accounts, one per role, with their passwords (for the login screen); in the demo only. */
  demoAccounts: z.array(DemoAccountSchema).optional(),
});

export const EVENTS_PAGE_MAX = 500;
/** The most ids an id filter of the queue may name (an assessment figure's events). */
export const EVENT_IDS_MAX = 10_000;

/** The filters of the event queue, shared by events.list and events.counts. */
const eventFilterShape = {
  category: z.string().optional(),
  grid: z.string().optional(),
  source: EventSourceSchema.optional(),
  urgency: UrgencySchema.optional(),
  from: IsoTimeSchema.optional(),
  to: IsoTimeSchema.optional(),
  /** Free text over code, title, description and address. */
  text: z.string().max(100).optional(),
  /** Only these events (an assessment figure's drill-down: assessment.events). */
  ids: z.array(z.string().min(1).max(128)).max(EVENT_IDS_MAX).optional(),
};

const fromNotAfterTo = (a: { from?: string | undefined; to?: string | undefined }): boolean =>
  a.from === undefined || a.to === undefined || Date.parse(a.from) <= Date.parse(a.to);

export const EventsListArgsSchema = z
  .strictObject({
    status: z.array(EventStatusSchema).optional(),
    /** Only events with a running deadline clock past its due (超时), whatever their status. */
    overdue: z.boolean().optional(),
    ...eventFilterShape,
    paging: z
      .strictObject({
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().min(1).max(EVENTS_PAGE_MAX).default(100),
      })
      .default({ offset: 0, limit: 100 }),
    /** risk: most pressing first (deadline and urgency); reportedAt: newest first. */
    sort: z.enum(['risk', 'reportedAt']).default('risk'),
  })
  .refine(fromNotAfterTo, { message: '起始时间不能晚于结束时间', path: ['to'] });

export const EventsCountsArgsSchema = z
  .strictObject(eventFilterShape)
  .refine(fromNotAfterTo, { message: '起始时间不能晚于结束时间', path: ['to'] });

/** The console's queue tabs, counted in one call (events.counts). */
export const EventCountsSchema = z.object({
  /** Every event matching the filters. */
  all: z.number().int().nonnegative(),
  /** Per status (statuses without events are 0). */
  byStatus: z.record(EventStatusSchema, z.number().int().nonnegative()),
  /** Events with a running clock past its due (超时), at the time of the query. */
  overdue: z.number().int().nonnegative(),
  /** The instant the overdue count was taken at. */
  at: IsoTimeSchema,
});

export const DuplicateCandidateSchema = z.object({
  event: GridEventSchema,
  /** Metres between the two reported locations. */
  distanceM: z.number().nonnegative(),
  /** Minutes between the two reports (absolute). */
  minutesApart: z.number().nonnegative(),
});

export const WorkerRecommendationSchema = z.object({
  worker: WorkerSchema,
  /** Metres from the event to the worker's last fix; null without a fix. */
  distanceM: z.number().nonnegative().nullable(),
  /** Responsible for the event's own grid (otherwise for a neighbouring one). */
  sameGrid: z.boolean(),
  /** Age of the last fix; null without a fix. */
  positionAgeMs: z.number().nonnegative().nullable(),
  /** The last fix, for the map. */
  position: PositionFixSchema.nullable(),
});

export const PendingCommandSchema = z.object({
  n: z.number().int().positive(),
  name: z.string(),
  /** queued: not acknowledged yet; applied: acknowledged, its change not replicated back yet. */
  state: z.enum(['queued', 'applied']),
});

export const GridLocationSchema = z.object({
  /** The grid (level 3) containing the point. */
  grid: z.object({ code: z.string(), name: z.string(), kind: GridKindSchema }),
  /** Its village or community (level 2), when known. */
  village: z.object({ code: z.string(), name: z.string() }).nullable(),
});

export const EventsPageSchema = z.object({
  items: z.array(GridEventSchema),
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
  /** Ids of the items on this page whose view shows dispatcher commands the county has not settled yet (optimistic). */
  pending: z.array(z.string()).optional(),
});

// ---------------------------------------------------------------- queries

/**
 * A map view one screen shares and others follow (the console casting to the wall; the
 * consultation meeting's one shared view). `view` is the renderer's MapViewState
 * (renderer/src/map/view-state.ts): the service keeps it as given, bounded in size, and
 * each follower validates it before it moves.
 */
export const SharedViewSchema = z.object({
  view: z.record(z.string(), z.unknown()),
  /** Who shares it, as the followers say: "调度台". */
  by: z.string().min(1).max(40),
  at: IsoTimeSchema,
  /** Counts shares since the service started: a follower ignores an older one arriving late. */
  version: z.number().int().min(1),
});
export type SharedView = z.output<typeof SharedViewSchema>;

/** The most a shared view may weigh, as JSON (a view is a few hundred bytes; filters add some). */
export const SHARED_VIEW_MAX_BYTES = 32_768;

export const QUERIES = {
  'grids.list': defineMethod({
    kind: 'query',
    args: z.strictObject({ level: GridLevelSchema.optional() }),
    result: z.array(GridSchema),
    summary: 'All grids of the town with geometry (town, villages and communities, grids), optionally one level.',
  }),
  'grids.tree': defineMethod({
    kind: 'query',
    args: noArgs,
    result: GridTreeNodeSchema.nullable(),
    summary: 'The town → village/community → grid tree, names and codes without geometry, with staff counts.',
  }),
  'departments.list': defineMethod({
    kind: 'query',
    args: noArgs,
    result: z.array(DepartmentSchema),
    summary: 'Handling departments (职能部门) and the category codes each leads.',
  }),
  'categories.list': defineMethod({
    kind: 'query',
    args: noArgs,
    result: z.array(CategorySchema),
    summary: 'The list of matters (事项清单): categories with their limits, lead department and tier.',
  }),
  'workers.list': defineMethod({
    kind: 'query',
    args: z.strictObject({ grid: z.string().optional(), onDuty: z.boolean().optional() }),
    result: z.array(WorkerSchema),
    summary: 'Grid workers (网格长、镇网格员、村网格员、网格联络员), optionally of one grid or on duty only.',
  }),
  'workers.positions': defineMethod({
    kind: 'query',
    args: noArgs,
    result: z.array(PositionFixSchema),
    summary: 'The latest position fix of every grid worker that has one (county-link `positions`, latest fix wins).',
  }),
  'workers.track': defineMethod({
    kind: 'query',
    args: PositionTrackArgsSchema,
    result: z.array(PositionFixSchema),
    summary: "One worker's track: the fixes kept between from and to, oldest first (history is bounded and pruned).",
  }),
  'events.list': defineMethod({
    kind: 'query',
    args: EventsListArgsSchema,
    result: EventsPageSchema,
    summary: 'One page of events matching the filters, sorted by risk or by report time.',
  }),
  'events.get': defineMethod({
    kind: 'query',
    args: z.strictObject({ id: z.string().min(1) }),
    result: GridEventSchema.nullable(),
    summary: 'One event with its history and clocks, or null when the replica has no such event.',
  }),
  'events.counts': defineMethod({
    kind: 'query',
    args: EventsCountsArgsSchema,
    result: EventCountsSchema,
    summary: 'Counts of the queue tabs in one call: all, per status and overdue (a running clock past due), under the same filters as events.list.',
  }),
  'events.duplicates': defineMethod({
    kind: 'query',
    args: z.strictObject({ id: z.string().min(1).max(128) }),
    result: z.array(DuplicateCandidateSchema),
    summary: 'Likely duplicates of an event: open events of the same category within about 200 m and 48 h, nearest first.',
  }),
  'dispatch.recommend': defineMethod({
    kind: 'query',
    args: z.strictObject({ eventId: z.string().min(1).max(128), limit: z.number().int().min(1).max(50).default(5) }),
    result: z.array(WorkerRecommendationSchema),
    summary: "Whom to send: on-duty grid workers of the event's grid and its neighbours, in core/catalog's RECOMMEND_ORDER (own grid, full-time, a recent fix, then nearest).",
  }),
  'commands.pending': defineMethod({
    kind: 'query',
    args: z.strictObject({ eventId: z.string().min(1).max(128) }),
    result: z.array(PendingCommandSchema),
    summary: "One event's dispatcher commands the county has not settled yet, in order (what its view shows beyond the county's state).",
  }),
  'grids.locate': defineMethod({
    kind: 'query',
    args: z.strictObject({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }),
    result: GridLocationSchema.nullable(),
    summary: 'The grid (and its village or community) containing a point, or null outside the town.',
  }),
  'link.status': defineMethod({
    kind: 'query',
    args: noArgs,
    result: LinkStatusSchema,
    summary: 'The county link: state, outbox length, last sync, catching up, refusal code.',
  }),
  'link.log': defineMethod({
    kind: 'query',
    args: z.strictObject({ limit: z.number().int().min(1).max(EVENTS_PAGE_MAX).default(100) }),
    result: z.array(LinkLogEntrySchema),
    summary: 'The county link\'s recent log, newest first: dropped messages with their reasons, refusals, timeouts, stalls.',
  }),
  'commands.rejected': defineMethod({
    kind: 'query',
    args: z.strictObject({ limit: z.number().int().min(1).max(EVENTS_PAGE_MAX).default(100) }),
    result: z.array(RejectedCommandSchema),
    summary: 'Dispatcher commands the county rejected (final), newest first, with the reason.',
  }),
  'stats.overview': defineMethod({
    kind: 'query',
    args: noArgs,
    result: StatsOverviewSchema,
    summary: "The video wall's figures: today's counts, 按期结案率 and 结案率 over 7 days, categories, trend, grid load, workers, patrol coverage, latest events, link state.",
  }),
  'view.shared': defineMethod({
    kind: 'query',
    args: noArgs,
    result: SharedViewSchema.nullable(),
    summary: 'The map view a screen is sharing (view.share), or null: what a following screen (the wall) shows.',
  }),
  'app.info': defineMethod({
    kind: 'query',
    args: noArgs,
    result: AppInfoSchema,
    summary: 'Version, shell (electron or web), town, demo flag and the features built so far.',
  }),
} as const;

// ---------------------------------------------------------------- commands
//
// Every workflow command of core/events is an app method under the name it has in
// the county protocol (docs/county-protocol.md). The wire schemas strip unknown
// fields (newer peers may add optional ones); at the app boundary an unknown
// top-level key is a caller's mistake, so the same schemas are made strict here.

/** What a command call answers: it is applied to the local view and queued for the county as number n. */
export const CommandReceiptSchema = z.object({
  /** `replica:n`, the id the command carries on the county link. */
  commandId: z.string(),
  n: z.number().int().min(1),
  eventId: z.string(),
  /** The event as the dispatcher now sees it (optimistic until the county settles the command). */
  event: GridEventSchema,
});
export type CommandReceipt = z.infer<typeof CommandReceiptSchema>;

type CommandMethods = {
  [N in CommandName]: MethodSpec<'command', ReturnType<(typeof COMMAND_ARGS)[N]['strict']>, typeof CommandReceiptSchema>;
};

export const COMMANDS = Object.fromEntries(
  COMMAND_NAMES.map((name) => [
    name,
    defineMethod({
      kind: 'command',
      args: COMMAND_ARGS[name].strict(),
      result: CommandReceiptSchema,
      summary: `${COMMAND_LABELS[name]}: the workflow command ${name} of core/events, applied locally and queued for the county.`,
    }),
  ]),
) as CommandMethods;

/** Operator actions on the service itself (not workflow commands): kind `command`, so read-only screens cannot call them. */
export const SERVICE_COMMANDS = {
  'link.reconnect': defineMethod({
    kind: 'command',
    args: noArgs,
    result: LinkStatusSchema,
    summary: 'Try the county link again now: the one way out of a refusal (bad token, version, town) besides a settings change; also ends a backoff wait.',
  }),
  'view.share': defineMethod({
    kind: 'command',
    args: z.strictObject({ view: z.record(z.string(), z.unknown()).nullable(), by: z.string().trim().min(1).max(40).default('调度台') }),
    result: SharedViewSchema.nullable(),
    summary: 'Shares this screen’s map view with every screen that follows it (pushed as view.shared), or stops sharing (null). Local to the data service, never sent to the county.',
  }),
  'commands.dismiss': defineMethod({
    kind: 'command',
    args: z.strictObject({ n: z.number().int().positive() }),
    result: z.object({ n: z.number().int().positive(), dismissed: z.boolean() }),
    summary: 'Hides a command the county rejected from commands.rejected (the dispatcher has dealt with it); kept in the replica.',
  }),
} as const;

const idArgs = z.strictObject({ id: z.string().min(1).max(128) });

/** The caller's own session: auth.login, auth.device, auth.setup and app.info are the only methods answered without one. */
export const AUTH_METHODS = {
  'auth.setup': defineMethod({
    kind: 'auth',
    args: SetupArgsSchema,
    result: AuthResultSchema,
    summary: 'Creates the first admin account and logs it in; allowed only while no account exists (first run outside the demo; app.info says needsSetup). Otherwise `forbidden`.',
  }),
  'auth.login': defineMethod({
    kind: 'auth',
    args: z.strictObject({ username: z.string().trim().min(1, '请输入用户名').max(64), password: PasswordSchema }),
    result: AuthResultSchema,
    summary: 'Opens a session for an account (username and password): a token for the Socket.IO handshake (`auth.token`) or for each IPC call. Failures answer `unauthorized`; a locked account `locked`.',
  }),
  'auth.device': defineMethod({
    kind: 'auth',
    args: z.strictObject({ code: z.string().min(8).max(128) }),
    result: AuthResultSchema,
    summary: 'Exchanges a device token\'s one-time enrolment code (given in the page\'s URL fragment) for the device\'s session; the code cannot be used again.',
  }),
  'auth.logout': defineMethod({
    kind: 'auth',
    args: noArgs,
    result: z.object({ loggedOut: z.literal(true) }),
    summary: 'Ends the caller\'s session.',
  }),
  'auth.me': defineMethod({
    kind: 'auth',
    args: noArgs,
    result: SessionUserSchema,
    summary: 'Who the caller is: the account (or device) of the session, its role and scope.',
  }),
  'auth.password': defineMethod({
    kind: 'auth',
    args: z.strictObject({ current: PasswordSchema, next: PasswordSchema }),
    result: z.object({ changed: z.literal(true) }),
    summary: 'Changes the caller\'s own password (the policy of core/people/policy.ts applies).',
  }),
} as const;

/** The admin's tools: accounts, device tokens, settings and the audit log. */
export const ADMIN_METHODS = {
  'accounts.list': defineMethod({ kind: 'admin', args: noArgs, result: z.array(AccountSchema), summary: 'Every account of the town, without secrets.' }),
  'accounts.create': defineMethod({
    kind: 'admin',
    args: AccountCreateArgsSchema,
    result: AccountSchema,
    summary: 'Creates an account (the password policy applies; department and grids where the role needs them).',
  }),
  'accounts.update': defineMethod({
    kind: 'admin',
    args: AccountUpdateArgsSchema,
    result: AccountSchema,
    summary: 'Changes an account\'s name, role, scope, or disables it (its sessions end at once).',
  }),
  'accounts.reset': defineMethod({
    kind: 'admin',
    args: z.strictObject({ id: z.string().min(1).max(128), password: PasswordSchema }),
    result: AccountSchema,
    summary: 'Sets a new password for an account, unlocks it and ends its sessions; the person must change it at next login.',
  }),
  'devices.list': defineMethod({ kind: 'admin', args: noArgs, result: z.array(DeviceSchema), summary: 'Device tokens (walls and meeting screens), revoked ones included.' }),
  'devices.issue': defineMethod({
    kind: 'admin',
    args: z.strictObject({ name: z.string().trim().min(1).max(40) }),
    result: DeviceIssuedSchema,
    summary: 'Issues a device token for a screen: a one-time enrolment code to open on it, exchanged for the device\'s session.',
  }),
  'devices.revoke': defineMethod({
    kind: 'admin',
    args: idArgs,
    result: DeviceSchema,
    summary: 'Revokes a device token: its sessions end and the screens using it are disconnected at once.',
  }),
  'audit.list': defineMethod({
    kind: 'admin',
    args: AuditListArgsSchema,
    result: z.object({ entries: z.array(AuditEntrySchema), total: z.number().int().nonnegative() }),
    summary: 'The audit trail, newest first, filtered by kind, person, target and time.',
  }),
  'settings.get': defineMethod({ kind: 'admin', args: noArgs, result: SettingsSchema, summary: 'The service\'s settings (session idle timeout).' }),
  'settings.update': defineMethod({
    kind: 'admin',
    args: SettingsSchema.partial().strict(),
    result: SettingsSchema,
    summary: 'Changes settings; recorded in the audit trail.',
  }),
} as const;

/** Personal data shown on purpose: masked everywhere else. */
export const REVEAL_METHODS = {
  'personal.reveal': defineMethod({
    kind: 'reveal',
    args: RevealArgsSchema,
    result: z.object({ value: z.string().nullable() }),
    summary: "Shows one event reporter's phone or ID number in full, with the caller's reason; recorded in the audit trail.",
  }),
} as const;

export const CONTRACT = { ...QUERIES, ...COMMANDS, ...SERVICE_COMMANDS, ...AUTH_METHODS, ...ADMIN_METHODS, ...REVEAL_METHODS, ...DESK_METHODS, ...ASSESSMENT_METHODS, ...OPS_METHODS, ...MEETING_METHODS, ...FIELD_METHODS, ...REGISTER_METHODS } as const;

/** The methods answered without a session (everything else answers `unauthorized`). */
export const PUBLIC_METHODS: readonly MethodName[] = ['auth.login', 'auth.device', 'auth.setup', 'app.info'];

export type Contract = typeof CONTRACT;
export type MethodName = keyof Contract;
/** What a caller passes (defaults may be omitted). */
export type ArgsOf<M extends MethodName> = z.input<Contract[M]['args']>;
/** What a handler receives, after validation and defaults. */
export type ParsedArgsOf<M extends MethodName> = z.output<Contract[M]['args']>;
export type ResultOf<M extends MethodName> = z.output<Contract[M]['result']>;
export type KindOf<M extends MethodName> = Contract[M]['kind'];

export const METHOD_NAMES = Object.keys(CONTRACT) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(CONTRACT, name);
}

export function isCommand(method: MethodName): boolean {
  const spec: MethodSpec = CONTRACT[method];
  return spec.kind === 'command';
}

// ---------------------------------------------------------------- push topics (service → renderer)

export const EntityTypeSchema = z.enum(['grid', 'department', 'worker', 'category', 'event']);

export const PUSH_TOPICS = {
  /**
   * The replica changed: types, and ids when known. For events the push carries what
   * changed, so that screens update without asking back: `events`, the changed events
   * as this caller may see them (masked for a viewer), when they are few enough (ids
   * beyond the bound come without); `pending`, which of them show commands the county
   * has not settled; `counts`, the queue's tab counts without filters after the change;
   * `rejected`, a dispatcher command was rejected (commands.rejected changed). Every
   * field but `types` is optional: an older service sends types and ids only.
   */
  'entities.changed': z.object({
    types: z.array(EntityTypeSchema).min(1),
    ids: z.array(z.string()).optional(),
    /** The changed events that still exist (an id of `ids` missing here and listed in `gone` is no more). */
    events: z.array(GridEventSchema).optional(),
    /** Ids of `ids` the replica no longer holds. */
    gone: z.array(z.string()).optional(),
    /** True when `events` were masked for this caller (a dispatcher's view must fetch the event itself). */
    masked: z.boolean().optional(),
    pending: z.array(z.string()).optional(),
    counts: EventCountsSchema.optional(),
    rejected: z.boolean().optional(),
  }),
  /** Latest worker positions, lossy (county-link-v1 `positions`, as objects). */
  positions: z.object({ at: z.number().int(), items: z.array(PositionFixSchema) }),
  'link.status': LinkStatusSchema,
  /** The shared map view changed (null: no screen shares one now). */
  'view.shared': SharedViewSchema.nullable(),
  /** The meeting in progress changed (the presenter moved, the agenda changed); null: no meeting in progress. */
  'meeting.state': MeetingStateSchema.nullable(),
  /** This caller's session ended (logged out elsewhere, expired, account disabled, device revoked): log in again. */
  'auth.ended': z.object({ reason: z.enum(['logout', 'expired', 'disabled', 'revoked', 'reset']), message: z.string() }),
  /** The field desk changed (an emergency opened, ticked, closed, a message sent; the plans library): screens showing it read it again. */
  'field.changed': FieldChangedSchema,
} as const;

export type PushTopic = keyof typeof PUSH_TOPICS;
export type PayloadOf<T extends PushTopic> = z.output<(typeof PUSH_TOPICS)[T]>;

export function isPushTopic(name: unknown): name is PushTopic {
  return typeof name === 'string' && Object.hasOwn(PUSH_TOPICS, name);
}

// ---------------------------------------------------------------- responses and errors

/**
 * Codes a transport or the service answers with. `invalid` and `unknown-method`
 * are the caller's fault; `unauthorized` (no valid session), `locked` (too many failed
 * logins) and `forbidden` (the role may not) the caller's credentials; `unavailable`
 * means not built or not reachable yet; `internal` is a bug.
 */
export const API_ERROR_CODES = [
  'invalid',
  'unknown-method',
  'unauthorized',
  'locked',
  'forbidden',
  'not-found',
  'unavailable',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiError {
  /** One of API_ERROR_CODES, or a county rejection code passed through (e.g. "invalid-transition"). */
  code: ApiErrorCode | (string & {});
  /** Chinese, fit to show to the operator. */
  message: string;
}

export type ApiResponse<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiError };

export const ApiErrorSchema = z.object({ code: z.string().min(1), message: z.string() });

export const ApiResponseSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorSchema }),
]);

export const apiError = (code: ApiError['code'], message: string): { ok: false; error: ApiError } => ({
  ok: false,
  error: { code, message },
});
