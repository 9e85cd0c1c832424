// Runtime schemas of the shared vocabulary (core/model.ts), used at every
// boundary of the app API: arguments on the way in, results on the way out.
// The type assertions at the end keep each schema equal to its model type, so
// a change to model.ts that is not mirrored here fails `tsc -b`.
import * as z from 'zod';
import type {
  ActorRole,
  Assignee,
  Category,
  Clock,
  Deadlines,
  Department,
  EventLocation,
  ExtensionRequest,
  Grid,
  GridEvent,
  HistoryEntry,
  Limit,
  PositionFix,
  Reporter,
  Worker,
} from '../model';
import { ALL_ACTOR_ROLES, EVENT_STATUSES } from '../model';
import { CODE_LENGTH, GRID_CODE_PATTERN } from '../grid/codes';

// ---------------------------------------------------------------- size bounds

/**
 * Bounds on the size of the shared vocabulary's strings and lists, wherever a value
 * arrives from outside (the county link reads them through core/sync/protocol.ts
 * LIMITS; docs/county-protocol.md lists them). Generous for any real town, small
 * enough that no single value can carry megabytes.
 */
export const SIZE = {
  /** Ids, codes, an actor's id. */
  id: 128,
  /** A person's, a grid's, a category's name. */
  name: 200,
  /** Free text: a note, a reason, a description. */
  text: 4000,
  /** A phone number or an id-card number (may be masked). */
  phone: 64,
  /** An ISO instant: the longest legitimate one (nanoseconds and an offset) is 35 characters. */
  isoTime: 64,
  /** Cooperating departments of an assignment or a category. */
  cooperating: 50,
  /** Extensions granted on one clock. */
  extensions: 100,
  /** Positions of one linear ring of a grid's boundary. */
  ringPoints: 10_000,
  /** Rings of one polygon (its outline and its holes). */
  polygonRings: 100,
  /** Polygons of one MultiPolygon. */
  multiPolygonParts: 1_000,
  /** Positions of a whole geometry, all rings of all polygons. */
  geometryPoints: 50_000,
} as const;

// ---------------------------------------------------------------- primitives

/** An ISO 8601 instant with an explicit offset ("+08:00" or "Z"), never a bare local time. */
export const IsoTimeSchema = z.iso.datetime({ offset: true }).max(SIZE.isoTime);

const nonEmpty = z.string().min(1);
const count = z.number().int().nonnegative();

// ---------------------------------------------------------------- geometry (GeoJSON, WGS84)

// z.number() already refuses NaN and ±Infinity; the ranges keep projected or
// swapped coordinates (a common export mistake) out of the replica.
const LonLatSchema = z
  .array(z.number())
  .min(2)
  .max(3)
  .refine((p) => Math.abs(p[0] ?? NaN) <= 180 && Math.abs(p[1] ?? NaN) <= 90, {
    message: '坐标超出经纬度范围(WGS84 经度 ±180、纬度 ±90)',
  });

/** A closed linear ring: at least four positions, the last equal to the first (RFC 7946 §3.1.6). */
const LinearRingSchema = z
  .array(LonLatSchema)
  .min(4)
  .max(SIZE.ringPoints)
  .refine(
    (ring) => {
      const first = ring[0];
      const last = ring[ring.length - 1];
      return first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
    },
    { message: '多边形的环未闭合(首尾坐标必须相同)' },
  );

const BBoxSchema = z.union([
  z.tuple([z.number(), z.number(), z.number(), z.number()]),
  z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]),
]);

export const PolygonSchema = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(LinearRingSchema).min(1).max(SIZE.polygonRings),
  bbox: BBoxSchema.optional(),
});

export const MultiPolygonSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(LinearRingSchema).min(1).max(SIZE.polygonRings)).min(1).max(SIZE.multiPolygonParts),
  bbox: BBoxSchema.optional(),
});

/** Positions of a geometry's rings, all polygons together. */
function pointCount(geometry: z.output<typeof PolygonSchema> | z.output<typeof MultiPolygonSchema>): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.reduce((sum, rings) => rings.reduce((n, ring) => n + ring.length, sum), 0);
}

export const GeometrySchema = z
  .discriminatedUnion('type', [PolygonSchema, MultiPolygonSchema])
  .refine((g) => pointCount(g) <= SIZE.geometryPoints, { message: `边界坐标点过多(最多 ${SIZE.geometryPoints} 个)` });

// ---------------------------------------------------------------- grids

export const GridLevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export const GridKindSchema = z.enum(['basic', 'dedicated']);


export const GridSchema = z
  .object({
    code: z.string().regex(GRID_CODE_PATTERN, '网格编码应为 9、12 或 15 位数字'),
    name: nonEmpty,
    level: GridLevelSchema,
    kind: GridKindSchema,
    parent: z.string().nullable(),
    geometry: GeometrySchema,
    households: count.optional(),
  })
  .refine((g) => g.code.length === CODE_LENGTH[g.level], {
    message: '网格编码位数与层级不符(镇 9 位、村/社区 12 位、网格 15 位)',
    path: ['code'],
  });

// ---------------------------------------------------------------- organisation

export const DepartmentSchema = z.object({
  id: nonEmpty,
  name: nonEmpty,
  categories: z.array(z.string()),
  phone: z.string().optional(),
});

export const WorkerRoleSchema = z.enum(['gridLeader', 'townWorker', 'villageWorker', 'liaison']);

export const WorkerSchema = z.object({
  id: nonEmpty,
  name: nonEmpty,
  role: WorkerRoleSchema,
  grids: z.array(z.string()),
  phone: z.string(),
  onDuty: z.boolean(),
});

export const PositionFixSchema = z.object({
  workerId: nonEmpty,
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  at: z.number().int(),
  speed: z.number().nullable(),
  heading: z.number().nullable(),
  accuracy: z.number().nullable(),
});

// ---------------------------------------------------------------- the list of matters

export const LimitUnitSchema = z.enum(['minutes', 'hours', 'days', 'workHours', 'workDays']);
export const LimitSchema = z.object({ value: z.number().positive(), unit: LimitUnitSchema });
export const TierSchema = z.enum(['simple', 'general', 'complex']);

export const CategorySchema = z.object({
  code: nonEmpty,
  name: nonEmpty,
  parent: z.string().nullable(),
  acceptMinutes: z.number().nonnegative(),
  finishLimit: LimitSchema,
  department: z.string(),
  tier: TierSchema,
  cooperating: z.array(z.string()).optional(),
  verifyLimit: LimitSchema.optional(),
  firstReportReward: z.boolean().optional(),
});

// ---------------------------------------------------------------- events

export const EventStatusSchema = z.enum(EVENT_STATUSES as [GridEvent['status'], ...GridEvent['status'][]]);
export const EventSourceSchema = z.enum(['patrol', 'hotline', 'wechat', 'sensor', 'superior', 'walkIn']);
export const UrgencySchema = z.enum(['normal', 'urgent', 'critical']);
export const SatisfactionSchema = z.enum(['satisfied', 'basicallySatisfied', 'dissatisfied']);

/** The county link's state (link.status, the wall's banner); none: no county link is configured. */
export const LinkStateSchema = z.enum(['online', 'offline', 'connecting', 'refused', 'none']);

export const EventLocationSchema = z.object({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  address: z.string(),
});

export const ReporterSchema = z.object({
  name: z.string().max(SIZE.name),
  phone: z.string().max(SIZE.phone).optional(),
  idNumber: z.string().max(SIZE.phone).optional(),
  workerId: z.string().max(SIZE.id).optional(),
});

export const AssigneeSchema = z.object({
  kind: z.enum(['department', 'person']),
  id: nonEmpty.max(SIZE.id),
  cooperating: z.array(z.string().max(SIZE.id)).max(SIZE.cooperating),
});

export const HistoryEntrySchema = z.object({
  at: IsoTimeSchema,
  actor: z.string(),
  action: z.string(),
  note: z.string(),
  name: z.string().optional(),
  role: z.enum(ALL_ACTOR_ROLES as [ActorRole, ...ActorRole[]]).optional(),
  departmentId: z.string().optional(),
});

export const ClockSchema = z.object({
  kind: z.enum(['accept', 'finish', 'verify']),
  limit: LimitSchema,
  startedAt: IsoTimeSchema,
  dueAt: IsoTimeSchema,
  pausedAt: IsoTimeSchema.nullable(),
  remainingAtPause: z.number().nullable(),
  stoppedAt: IsoTimeSchema.nullable(),
  extensions: z.array(LimitSchema).max(SIZE.extensions),
});

export const DeadlinesSchema = z.object({
  accept: ClockSchema.optional(),
  finish: ClockSchema.optional(),
  verify: ClockSchema.optional(),
});

export const ExtensionRequestSchema = z.object({
  by: LimitSchema,
  reason: z.string().max(SIZE.text),
  at: IsoTimeSchema,
  actor: z.string().max(SIZE.id),
});

export const GridEventSchema = z.object({
  id: nonEmpty,
  code: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  status: EventStatusSchema,
  urgency: UrgencySchema,
  source: EventSourceSchema,
  location: EventLocationSchema,
  grid: z.string(),
  reportedAt: IsoTimeSchema,
  reporter: ReporterSchema.nullable(),
  deadlines: DeadlinesSchema,
  assignee: AssigneeSchema.nullable(),
  history: z.array(HistoryEntrySchema),
  tier: TierSchema,
  selfHandled: z.boolean(),
  suspendedFrom: EventStatusSchema.nullable(),
  reworkCount: count,
  supervisionCount: count,
  extensionRequest: ExtensionRequestSchema.nullable(),
  satisfaction: SatisfactionSchema.nullable(),
  mergedInto: z.string().nullable(),
  photos: z.array(z.string()),
  device: z.string().optional(),
});

// ---------------------------------------------------------------- schema = model, checked by the compiler

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile unless the schema's output and the model type are mutually assignable. */
type Same<S extends z.ZodType, T> = Mutual<z.output<S>, T>;
const assert = <T extends true>(): T | undefined => undefined;

assert<Same<typeof GridSchema, Grid>>();
assert<Same<typeof DepartmentSchema, Department>>();
assert<Same<typeof WorkerSchema, Worker>>();
assert<Same<typeof PositionFixSchema, PositionFix>>();
assert<Same<typeof LimitSchema, Limit>>();
assert<Same<typeof CategorySchema, Category>>();
assert<Same<typeof EventLocationSchema, EventLocation>>();
assert<Same<typeof ReporterSchema, Reporter>>();
assert<Same<typeof AssigneeSchema, Assignee>>();
assert<Same<typeof HistoryEntrySchema, HistoryEntry>>();
assert<Same<typeof ClockSchema, Clock>>();
assert<Same<typeof DeadlinesSchema, Deadlines>>();
assert<Same<typeof ExtensionRequestSchema, ExtensionRequest>>();
assert<Same<typeof GridEventSchema, GridEvent>>();
// Closed unions must match exactly, not only be assignable one way.
assert<Equals<z.output<typeof EventStatusSchema>, GridEvent['status']>>();
assert<Equals<z.output<typeof GridLevelSchema>, Grid['level']>>();
