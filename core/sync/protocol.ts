// County link, version 1 (../shared/county-link-v1.md): the messages on the wire,
// their validation and the normalisation of entities to core's model. Both sides
// use this file: the app's link client and the bundled county simulator, so they
// cannot disagree on the shape of a message. Extensions the project adds (fields
// the spec leaves open) are marked "project:" and documented in docs/county-protocol.md.
import * as z from 'zod';
import type { Actor, ActorRole, Category, Department, Grid, GridEvent, IsoTime, PositionFix, Worker } from '../model';
import { ALL_ACTOR_ROLES, EVENT_STATUSES } from '../model';
import {
  AssigneeSchema,
  DeadlinesSchema,
  ExtensionRequestSchema,
  GeometrySchema,
  IsoTimeSchema,
  LimitSchema,
  ReporterSchema,
  SIZE,
  SatisfactionSchema,
  TierSchema,
  UrgencySchema,
  EventSourceSchema,
  WorkerRoleSchema,
} from '../api/schemas';
import { describeIssues as describe } from '../util/text';
import { compile, fastSafeParse } from '../util/fast-parse';
import { CODE_LENGTH, GRID_CODE_PATTERN, TOWN_CODE_PATTERN } from '../grid/codes';

export const PROTOCOL_VERSION = 1;
export const TOWN_NAMESPACE = '/town';

/**
 * Bounds on what one peer accepts from the other: hostile sizes are refused, not stored.
 * The shared vocabulary's bounds (reporter, assignee, clocks, extension requests,
 * geometry) are core/api/schemas.ts SIZE; those that only the wire has are here.
 */
export const LIMITS = {
  ...SIZE,
  cursor: 256,
  token: 1024,
  batchItems: 5000,
  positionItems: 20000,
  history: 1000,
  photos: 20,
  commandName: 64,
  /** A fix's speed: faster than any vehicle a grid worker uses is a broken fix. */
  speedMps: 1000,
  /** A fix's accuracy radius. */
  accuracyM: 100_000,
  /**
   * The largest message the town reads from the county (the link's socket, `maxPayload`
   * of its WebSocket): above the largest batch a county sends (5,000 items of a few KB),
   * far below what would strain the service's memory.
   */
  countyMessageBytes: 32 * 1024 * 1024,
  /** The largest message a county reads from a town (a `mutate`: one command, a few KB): Socket.IO's default, 1 MB. */
  townMessageBytes: 1_000_000,
} as const;

const str = (max: number) => z.string().max(max);
const nonEmpty = (max: number) => z.string().min(1).max(max);
const finite = z.number().finite();

// ---------------------------------------------------------------- handshake

export const RefusalCodeSchema = z.enum(['unauthorized', 'unsupported-version', 'unknown-town']);
export type RefusalCode = z.infer<typeof RefusalCodeSchema>;

export const TownCodeSchema = z.string().regex(TOWN_CODE_PATTERN);
const UuidSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

export const AuthSchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  town: TownCodeSchema,
  replica: UuidSchema,
  token: str(LIMITS.token),
  cursor: str(LIMITS.cursor).nullable(),
});
export type Auth = z.infer<typeof AuthSchema>;

/** Server side: the refusal for a handshake, or null when it is acceptable (token and town are the server's business). */
export function checkAuth(auth: unknown): { ok: true; auth: Auth } | { ok: false; code: RefusalCode; message: string } {
  const v = (auth as { v?: unknown } | null | undefined)?.v;
  if (v !== PROTOCOL_VERSION) {
    return { ok: false, code: 'unsupported-version', message: `county-link version ${JSON.stringify(v)} is not supported (1 is)` };
  }
  const parsed = AuthSchema.safeParse(auth);
  if (!parsed.success) return { ok: false, code: 'unauthorized', message: `invalid handshake: ${describeIssues(parsed.error)}` };
  return { ok: true, auth: parsed.data };
}

// ---------------------------------------------------------------- downstream: changes

export const KNOWN_TYPES = ['grid', 'department', 'worker', 'category', 'event'] as const;
export type EntityType = (typeof KNOWN_TYPES)[number];

export const ChangeItemSchema = z.object({
  type: nonEmpty(32),
  op: z.enum(['put', 'del']),
  id: nonEmpty(LIMITS.id),
  rev: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  data: z.unknown().optional(),
});
export type ChangeItem = z.infer<typeof ChangeItemSchema>;

/** The envelope of a batch; items are checked one by one (see parseEntity) so one bad item cannot hide the others. */
export const ChangesBatchSchema = z.object({
  from: str(LIMITS.cursor).nullable(),
  to: nonEmpty(LIMITS.cursor),
  more: z.boolean(),
  reset: z.boolean(),
  lastN: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
  items: z.array(z.unknown()).max(LIMITS.batchItems),
});
export type ChangesBatch = Omit<z.infer<typeof ChangesBatchSchema>, 'items'> & { items: ChangeItem[] };
/** A `changes` batch as the town receives it: the envelope passed ChangesBatchSchema, the items are still raw (the replica checks each one). */
export type WireBatch = z.infer<typeof ChangesBatchSchema>;

/** A town's entities as one side holds them (the county's store, the replica's bases), each list sorted by id or code. */
export interface TownSnapshot {
  grids: Grid[];
  departments: Department[];
  categories: Category[];
  workers: Worker[];
  events: GridEvent[];
}

export const ChangesAckSchema = z.object({ cursor: nonEmpty(LIMITS.cursor) });

// Entity data: the minimal fields of the spec are required, everything else is optional
// and filled with a neutral default, so a county that sends only the minimum is accepted.

const gridCode = z.string().regex(GRID_CODE_PATTERN);

export const GridWireSchema = z
  .object({
    code: gridCode,
    name: nonEmpty(LIMITS.name),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    kind: z.enum(['basic', 'dedicated']),
    parent: gridCode.nullable(),
    geometry: GeometrySchema,
    households: z.number().int().min(0).max(1e7).optional(),
  })
  .refine((g) => g.code.length === CODE_LENGTH[g.level], { message: 'code length does not match level', path: ['code'] })
  // Grid codes are hierarchical (core/grid/codes.ts parentCode): a grid's parent is its code
  // without the last three digits, a town has none. Anything else would let a county build
  // chains or cycles that no tree of the town can show.
  .refine((g) => g.parent === (g.level === 1 ? null : g.code.slice(0, g.code.length - 3)), {
    message: 'parent must be the code one level up (the code without its last 3 digits), null for a town',
    path: ['parent'],
  });

export const DepartmentWireSchema = z.object({
  name: nonEmpty(LIMITS.name),
  categories: z.array(str(LIMITS.id)).max(1000),
  phone: str(LIMITS.phone).optional(),
});

export const WorkerWireSchema = z.object({
  name: nonEmpty(LIMITS.name),
  role: WorkerRoleSchema,
  grids: z.array(gridCode).max(1000),
  phone: str(LIMITS.phone),
  onDuty: z.boolean(),
});

export const CategoryWireSchema = z.object({
  code: nonEmpty(LIMITS.id),
  name: nonEmpty(LIMITS.name),
  parent: str(LIMITS.id).nullable(),
  acceptMinutes: finite.min(0).max(525_600),
  finishLimit: LimitSchema.refine((l) => Number.isFinite(l.value) && l.value <= 100_000, 'limit out of range'),
  department: str(LIMITS.id),
  tier: TierSchema.optional(),
  cooperating: z.array(str(LIMITS.id)).max(LIMITS.cooperating).optional(),
  verifyLimit: LimitSchema.optional(),
  firstReportReward: z.boolean().optional(),
});

const WireHistoryEntrySchema = z.object({
  at: IsoTimeSchema,
  actor: str(LIMITS.id),
  action: str(LIMITS.commandName),
  note: str(LIMITS.text),
  // project: the person who acted in the town (mutate.actor), optional.
  name: str(LIMITS.name).optional(),
  role: z.enum(ALL_ACTOR_ROLES as [ActorRole, ...ActorRole[]]).optional(),
  departmentId: str(LIMITS.id).optional(),
});

export const EventWireSchema = z.object({
  code: str(LIMITS.id),
  title: str(LIMITS.name),
  category: str(LIMITS.id),
  status: z.enum(EVENT_STATUSES as [GridEvent['status'], ...GridEvent['status'][]]),
  urgency: UrgencySchema,
  source: EventSourceSchema,
  location: z.object({
    lon: finite.min(-180).max(180),
    lat: finite.min(-90).max(90),
    address: str(LIMITS.name * 2),
  }),
  grid: gridCode,
  reportedAt: IsoTimeSchema,
  deadlines: DeadlinesSchema,
  assignee: AssigneeSchema.nullable(),
  history: z.array(WireHistoryEntrySchema).max(LIMITS.history),
  // project: optional fields, defaulted when absent
  description: str(LIMITS.text).optional(),
  reporter: ReporterSchema.nullable().optional(),
  tier: TierSchema.optional(),
  selfHandled: z.boolean().optional(),
  suspendedFrom: z.enum(EVENT_STATUSES as [GridEvent['status'], ...GridEvent['status'][]]).nullable().optional(),
  reworkCount: z.number().int().min(0).max(1e6).optional(),
  supervisionCount: z.number().int().min(0).max(1e6).optional(),
  extensionRequest: ExtensionRequestSchema.nullable().optional(),
  satisfaction: SatisfactionSchema.nullable().optional(),
  mergedInto: str(LIMITS.id).nullable().optional(),
  photos: z.array(str(2048)).max(LIMITS.photos).optional(),
  device: str(LIMITS.id).optional(),
});

export type Entity =
  | { type: 'grid'; id: string; value: Grid }
  | { type: 'department'; id: string; value: Department }
  | { type: 'worker'; id: string; value: Worker }
  | { type: 'category'; id: string; value: Category }
  | { type: 'event'; id: string; value: GridEvent };

export type ParsedItem =
  | { ok: true; op: 'put'; type: EntityType; id: string; rev: number; entity: Entity }
  | { ok: true; op: 'del'; type: EntityType; id: string; rev: number }
  | { ok: false; unknownType: boolean; reason: string };

// The item and entity schemas compiled (core/util/fast-parse.ts): the same accepted values
// and output as zod, several times faster on the valid items a catch-up brings by the
// ten thousand; zod itself runs only on a refused value, to word the reason.
const FAST = {
  item: compile(ChangeItemSchema),
  grid: compile(GridWireSchema),
  department: compile(DepartmentWireSchema),
  worker: compile(WorkerWireSchema),
  category: compile(CategoryWireSchema),
  event: compile(EventWireSchema),
};

/**
 * Validate one change item and normalise its entity to core's model. An unknown type is
 * reported as such (the spec: a client ignores it and logs it); anything else that does
 * not validate carries the reason.
 */
export function parseChangeItem(raw: unknown): ParsedItem {
  const item = fastSafeParse(ChangeItemSchema, FAST.item, raw);
  if (!item.success) return { ok: false, unknownType: false, reason: `invalid change item: ${describeIssues(item.error)}` };
  const { type, op, id, rev, data } = item.data;
  if (!(KNOWN_TYPES as readonly string[]).includes(type)) {
    return { ok: false, unknownType: true, reason: `unknown entity type ${JSON.stringify(type.slice(0, 32))}` };
  }
  const t = type as EntityType;
  if (op === 'del') return { ok: true, op, type: t, id, rev };
  const entity = normaliseEntity(t, id, data);
  if (!entity.ok) return { ok: false, unknownType: false, reason: `invalid ${t} ${JSON.stringify(id.slice(0, 64))}: ${entity.reason}` };
  return { ok: true, op, type: t, id, rev, entity: entity.entity };
}

export function normaliseEntity(type: EntityType, id: string, data: unknown): { ok: true; entity: Entity } | { ok: false; reason: string } {
  switch (type) {
    case 'grid': {
      const r = fastSafeParse(GridWireSchema, FAST.grid, data);
      if (!r.success) return { ok: false, reason: describeIssues(r.error) };
      if (r.data.code !== id) return { ok: false, reason: 'grid id must equal its code' };
      const g: Grid = { ...r.data };
      if (g.households === undefined) delete g.households;
      return { ok: true, entity: { type, id, value: g } };
    }
    case 'department': {
      const r = fastSafeParse(DepartmentWireSchema, FAST.department, data);
      if (!r.success) return { ok: false, reason: describeIssues(r.error) };
      const d: Department = { id, name: r.data.name, categories: r.data.categories };
      if (r.data.phone !== undefined) d.phone = r.data.phone;
      return { ok: true, entity: { type, id, value: d } };
    }
    case 'worker': {
      const r = fastSafeParse(WorkerWireSchema, FAST.worker, data);
      if (!r.success) return { ok: false, reason: describeIssues(r.error) };
      return { ok: true, entity: { type, id, value: { id, ...r.data } } };
    }
    case 'category': {
      const r = fastSafeParse(CategoryWireSchema, FAST.category, data);
      if (!r.success) return { ok: false, reason: describeIssues(r.error) };
      if (r.data.code !== id) return { ok: false, reason: 'category id must equal its code' };
      const { tier, cooperating, verifyLimit, firstReportReward, ...rest } = r.data;
      const c: Category = { ...rest, tier: tier ?? 'general' };
      if (cooperating !== undefined) c.cooperating = cooperating;
      if (verifyLimit !== undefined) c.verifyLimit = verifyLimit;
      if (firstReportReward !== undefined) c.firstReportReward = firstReportReward;
      return { ok: true, entity: { type, id, value: c } };
    }
    case 'event': {
      const r = fastSafeParse(EventWireSchema, FAST.event, data);
      if (!r.success) return { ok: false, reason: describeIssues(r.error) };
      const e = r.data;
      const value: GridEvent = {
        id,
        code: e.code,
        title: e.title,
        description: e.description ?? '',
        category: e.category,
        status: e.status,
        urgency: e.urgency,
        source: e.source,
        location: e.location,
        grid: e.grid,
        reportedAt: e.reportedAt,
        reporter: e.reporter ?? null,
        deadlines: e.deadlines,
        assignee: e.assignee,
        history: e.history,
        tier: e.tier ?? 'general',
        selfHandled: e.selfHandled ?? false,
        suspendedFrom: e.suspendedFrom ?? null,
        reworkCount: e.reworkCount ?? 0,
        supervisionCount: e.supervisionCount ?? 0,
        extensionRequest: e.extensionRequest ?? null,
        satisfaction: e.satisfaction ?? null,
        mergedInto: e.mergedInto ?? null,
        photos: e.photos ?? [],
        ...(e.device !== undefined ? { device: e.device } : {}),
      };
      return { ok: true, entity: { type, id, value } };
    }
  }
}

/** The wire form of an entity (server side): the model object without the id, which travels beside it. */
export function entityData(entity: Entity): Record<string, unknown> {
  if (entity.type === 'department' || entity.type === 'worker' || entity.type === 'event') {
    const { id: _id, ...rest } = entity.value;
    return rest;
  }
  return { ...entity.value };
}

// ---------------------------------------------------------------- downstream: positions

export const PositionsEnvelopeSchema = z.object({
  at: finite,
  items: z.array(z.unknown()).max(LIMITS.positionItems),
});

// Speed, heading and accuracy are optional (null), but a value out of its physical range
// (a negative speed, a heading of 400°) is a broken fix, not a position to show.
const orNull = (schema: z.ZodNumber) => z.union([schema, z.null()]);
export const PositionItemSchema = z.tuple([
  nonEmpty(LIMITS.id),
  finite.min(-180).max(180),
  finite.min(-90).max(90),
  z.number().int().min(0).max(8.64e15),
  orNull(finite.min(0).max(LIMITS.speedMps)),
  orNull(finite.min(0).max(360)),
  orNull(finite.min(0).max(LIMITS.accuracyM)),
]);

/** One positions item as a fix, or the reason it is refused. */
export function parsePositionItem(raw: unknown): { ok: true; fix: PositionFix } | { ok: false; reason: string } {
  const r = PositionItemSchema.safeParse(raw);
  if (!r.success) return { ok: false, reason: `invalid position item: ${describeIssues(r.error)}` };
  const [workerId, lon, lat, at, speed, heading, accuracy] = r.data;
  return { ok: true, fix: { workerId, lon, lat, at, speed, heading, accuracy } };
}

export function positionItem(fix: PositionFix): [string, number, number, number, number | null, number | null, number | null] {
  return [fix.workerId, fix.lon, fix.lat, fix.at, fix.speed, fix.heading, fix.accuracy];
}

// ---------------------------------------------------------------- upstream: mutate

/** project: the actor travels with the command, so the county checks the same role the town checked. */
export const WireActorSchema = z.object({
  id: nonEmpty(LIMITS.id),
  role: z.enum(ALL_ACTOR_ROLES as [ActorRole, ...ActorRole[]]),
  name: str(LIMITS.name).optional(),
  departmentId: str(LIMITS.id).optional(),
});

export const MutateSchema = z.object({
  id: nonEmpty(LIMITS.id * 2),
  n: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  name: nonEmpty(LIMITS.commandName),
  args: z.unknown(),
  at: IsoTimeSchema,
  actor: WireActorSchema.optional(),
});
export type Mutate = z.infer<typeof MutateSchema> & { actor?: Actor };

/** One command of the town's outbox as the replica hands it to the link for sending (as a `mutate`). */
export interface OutboundCommand {
  n: number;
  /** `replica:n` (commandId). */
  id: string;
  name: string;
  args: unknown;
  at: IsoTime;
  actor: Actor;
}

export const MutateAckSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('applied') }),
  z.object({ status: z.literal('rejected'), code: nonEmpty(64), message: str(LIMITS.text) }),
]);
export type MutateAck = z.infer<typeof MutateAckSchema>;

/** `replica:n`, the id of a command on the wire. */
export const commandId = (replica: string, n: number): string => `${replica}:${n}`;

// ---------------------------------------------------------------- liveness: ping

/**
 * `ping` (town to county, acknowledged) and its answer have the same shape: the sender's
 * clock in ms. A county that implements it answers at once with its own clock.
 */
export const PingSchema = z.object({ at: finite });
export type Ping = z.infer<typeof PingSchema>;

// ---------------------------------------------------------------- helpers

/** A short, single-line account of what failed validation, for logs and rejections. */
export function describeIssues(error: z.ZodError): string {
  return describe(error, { max: 3, root: '(root)', separator: '; ', limit: 500 });
}
