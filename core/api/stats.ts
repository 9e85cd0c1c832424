// The video wall's figures (stats.overview): what the leaders read from the back of
// the room. Declared beside the contract so that the service computes, and the wall
// shows, exactly these fields. No personal data of residents appears in it: the
// ticker carries the event's title, category and grid, never its reporter or address.
import * as z from 'zod';
import { EventStatusSchema, IsoTimeSchema, LinkStateSchema, UrgencySchema } from './schemas';

const count = z.number().int().nonnegative();

/** core/analytics Ratio: a share with its parts (rate null when nothing is measured). */
export const RatioSchema = z.object({
  numerator: count,
  denominator: count,
  rate: z.number().nonnegative().nullable(),
});

export const StatsTodaySchema = z.object({
  /** Events reported today (Asia/Shanghai day). */
  reported: count,
  /** Events accepted (受理) today: an 'event.accept' step today. */
  accepted: count,
  /** Events dispatched (派遣) today: an 'event.dispatch' step today. */
  dispatched: count,
  /** Events closed (结案) today: an 'event.close' step today. */
  closed: count,
  /** Events not finished with a running deadline clock past its due, now (超时; events.counts' overdue). */
  overdue: count,
});

export const StatsCategorySchema = z.object({
  /** The category group's code (the top of the list of matters, e.g. "02"). */
  code: z.string(),
  name: z.string(),
  today: count,
  /** Reported in the 7 days (today included). */
  week: count,
});

export const StatsDaySchema = z.object({
  /** "YYYY-MM-DD", Asia/Shanghai. */
  date: z.string(),
  reported: count,
  closed: count,
});

export const StatsGridLoadSchema = z.object({
  code: z.string(),
  name: z.string(),
  /** The village or community's name, when known. */
  village: z.string().nullable(),
  /** Events not finished (closed, rejected and merged ones are). */
  open: count,
  overdue: count,
});

export const StatsTickerItemSchema = z.object({
  id: z.string(),
  code: z.string(),
  reportedAt: IsoTimeSchema,
  category: z.string(),
  categoryName: z.string(),
  grid: z.string(),
  gridName: z.string(),
  title: z.string(),
  urgency: UrgencySchema,
  status: EventStatusSchema,
  /** Where it is, for the wall's map (the point, not the address). */
  lon: z.number(),
  lat: z.number(),
});

export const StatsOverviewSchema = z.object({
  /** When the figures were taken. */
  at: IsoTimeSchema,
  /** Today, "YYYY-MM-DD" (Asia/Shanghai). */
  day: z.string(),
  today: StatsTodaySchema,
  /** Events not finished, now. */
  open: count,
  rates: z.object({
    /** The period of the rates: the last 7 days up to now, today included. */
    from: IsoTimeSchema,
    to: IsoTimeSchema,
    /** 按期结案率 = 按期结案 / (应结案 − 缓办), core/analytics onTimeClosureRate. */
    onTimeClosure: RatioSchema.extend({ due: count, suspended: count }),
    /** 结案率 = 结案 / 立案 in the period, core/analytics closureRate (may exceed 1). */
    closure: RatioSchema,
  }),
  /** By category group, the most reported in the 7 days first. */
  categories: z.array(StatsCategorySchema),
  /** The 7 days, oldest first, today last. */
  trend: z.array(StatsDaySchema),
  /** Grids with open events, the most loaded first (bounded). */
  gridLoad: z.array(StatsGridLoadSchema),
  workers: z.object({
    total: count,
    onDuty: count,
    /** With a position fix in the last `onlineMinutes`. */
    online: count,
    onlineMinutes: z.number().int().positive(),
  }),
  /** Today's patrol coverage: basic grids with at least one grid worker's fix inside them today. */
  patrol: z.object({
    basicGrids: count,
    covered: count,
    rate: z.number().nonnegative().nullable(),
  }),
  /** The latest events, newest first: for the ticker, without personal data. */
  latest: z.array(StatsTickerItemSchema),
  link: z.object({
    state: LinkStateSchema,
    since: IsoTimeSchema,
    /** When the link was lost (null while online). */
    offlineSince: IsoTimeSchema.nullable(),
    /** Dispatcher commands waiting for the county (待发送指令). */
    waiting: count,
    lastSyncAt: IsoTimeSchema.nullable(),
  }),
  /** How much was read: events whose documents entered the figures, and whether a bound cut them. */
  basis: z.object({ events: count, truncated: z.boolean(), windowDays: z.number().int().positive() }),
});

export type StatsOverview = z.output<typeof StatsOverviewSchema>;
