// The assessment (考核), analysis (分析研判) and ledger methods of the app API (issue 11),
// spread into CONTRACT (core/api/contract.ts). All are queries: the leader, the
// dispatcher and the secretary read them for the town; a department or village operator
// gets its own rows only (electron/service/assessment/handlers.ts applies the scope);
// a viewer (the wall) gets no person-level rows (no worker table).
import * as z from 'zod';
import type { MethodKind, MethodSpec } from './contract';
import { ASSESSMENT_TARGETS } from '../assessment/figures';
import { AssessmentSchemeSchema } from '../assessment/scheme';
import { EventSourceSchema, EventStatusSchema, IsoTimeSchema, UrgencySchema } from './schemas';

/** contract.ts's defineMethod, repeated: importing it would make the two modules import each other. */
function defineMethod<const K extends MethodKind, A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<K, A, R>): MethodSpec<K, A, R> {
  return spec;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A period: a month (default: the current one), or a range of whole days (inclusive), Asia/Shanghai. */
export const AssessmentPeriodShape = {
  month: z.string().regex(MONTH, '月份格式应为 YYYY-MM').optional(),
  from: z.string().regex(DAY, '日期格式应为 YYYY-MM-DD').optional(),
  to: z.string().regex(DAY, '日期格式应为 YYYY-MM-DD').optional(),
};

const periodRefine = (a: { month?: string | undefined; from?: string | undefined; to?: string | undefined }): boolean =>
  (a.from === undefined) === (a.to === undefined) && (a.from === undefined || a.month === undefined) && (a.from === undefined || a.from <= (a.to as string));
const periodMessage = { message: '请给出月份，或起止日期（起始不晚于结束）', path: ['from'] };

export const AssessmentTargetSchema = z.enum(ASSESSMENT_TARGETS as unknown as ['workers', 'departments', 'villages', 'grids']);

export const FigureValueSchema = z.object({
  n: z.number().nullable(),
  d: z.number().optional(),
  rate: z.number().nullable().optional(),
});

export const AssessmentColumnSchema = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(['count', 'ratio', 'value']),
  direction: z.enum(['up', 'down']),
  unit: z.string().optional(),
  /** The figure has events behind it (a click opens them in the queue). */
  drill: z.boolean(),
});

export const AssessmentRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** A grid's village, a worker's first grid's village: for grouping on screen. */
  parent: z.string().nullable(),
  values: z.record(z.string(), FigureValueSchema),
  /** Workers and departments: the scheme's 总分 and 名次. */
  score: z.number().optional(),
  rank: z.number().int().positive().optional(),
});

export const AssessmentTableSchema = z.object({
  target: AssessmentTargetSchema,
  columns: z.array(AssessmentColumnSchema),
  rows: z.array(AssessmentRowSchema),
  /** Σ 权重 × 满分 of the scheme (workers and departments). */
  fullScore: z.number().optional(),
});

export const PeriodSchema = z.object({
  /** First day and last day, "YYYY-MM-DD" (Asia/Shanghai). */
  from: z.string(),
  to: z.string(),
  /** "2026年11月" or "2026-11-03 至 2026-11-20". */
  label: z.string(),
  /** The running period is cut at now: the figures are as of this instant. */
  asOf: z.string(),
});

export const AssessmentResultSchema = z.object({
  period: PeriodSchema,
  tables: z.array(AssessmentTableSchema),
  /** The previous period of the same length (month over month), when asked. */
  previous: z.object({ period: PeriodSchema, tables: z.array(AssessmentTableSchema) }).optional(),
  scheme: z.string(),
});
export type AssessmentResult = z.output<typeof AssessmentResultSchema>;
export type AssessmentTable = z.output<typeof AssessmentTableSchema>;

/** The queue's filter as events.list takes it (without paging): the event ledger exports what the queue shows. */
const ledgerFilter = z.strictObject({
  status: z.array(EventStatusSchema).optional(),
  overdue: z.boolean().optional(),
  category: z.string().optional(),
  grid: z.string().optional(),
  source: EventSourceSchema.optional(),
  urgency: UrgencySchema.optional(),
  from: IsoTimeSchema.optional(),
  to: IsoTimeSchema.optional(),
  text: z.string().max(100).optional(),
  ids: z.array(z.string().min(1).max(128)).max(10_000).optional(),
});

/** What to export: the event ledger (the queue's filter), the assessment tables, the overdue list, the patrol ledger, the monthly report (Word). */
export const ExportArgsSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('events'), filter: ledgerFilter.default({}), sort: z.enum(['risk', 'reportedAt']).default('reportedAt') }),
  z.strictObject({ kind: z.literal('assessment'), ...AssessmentPeriodShape }),
  z.strictObject({ kind: z.literal('overdue') }),
  z.strictObject({ kind: z.literal('patrol'), ...AssessmentPeriodShape }),
  z.strictObject({ kind: z.literal('report'), ...AssessmentPeriodShape }),
]);
export type ExportArgs = z.output<typeof ExportArgsSchema>;

export const ExportStatusSchema = z.object({
  id: z.string(),
  kind: z.enum(['events', 'assessment', 'overdue', 'patrol', 'report']),
  fileName: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  /** Rows written so far, and of how many (null while unknown): the progress of a long export. */
  rows: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
  /** The file's size in bytes, once done. */
  size: z.number().int().nonnegative(),
  error: z.string().optional(),
});
export type ExportStatus = z.output<typeof ExportStatusSchema>;

const countSchema = z.number().int().nonnegative();

export const AnalysisResultSchema = z.object({
  period: PeriodSchema,
  /** The busiest (grid, hour of day, weekday, category group) cells, most reports first. */
  hotspots: z.array(z.object({ grid: z.string(), gridName: z.string(), hour: z.number().int(), weekday: z.number().int(), category: z.string(), categoryName: z.string(), count: countSchema })),
  /** Reports per weekday (0 Sunday … 6 Saturday) × hour of day: 7 rows of 24. */
  hourByWeekday: z.array(z.array(countSchema)),
  /** Reports per week (Monday's date) and per month of the 12 months to the period's end, with the same month a year before where the replica has it. */
  weekly: z.array(z.object({ label: z.string(), count: countSchema })),
  monthly: z.array(z.object({ label: z.string(), count: countSchema, lastYear: countSchema.nullable() })),
  /** Category groups by growth against the previous period of the same length, fastest rising first. */
  rising: z.array(z.object({ code: z.string(), name: z.string(), count: countSchema, previous: countSchema, growth: z.number().nullable() })),
  /** Report locations in the period (at most 5,000, newest first), for the heat map. */
  heat: z.array(z.tuple([z.number(), z.number()])),
  /** Reports per grid in the period, for the map's shading. */
  grids: z.array(z.object({ code: z.string(), name: z.string(), count: countSchema })),
});
export type AnalysisResult = z.output<typeof AnalysisResultSchema>;

/** An Excel file sent to an importer: its name and its bytes in base64 (the service caps the size before reading it). */
const uploadArgs = z.strictObject({
  fileName: z.string().min(1).max(200),
  data: z.string().max(1_000_000, '文件过大，上限 0.7 MB'),
});

/** An import's outcome: stored (ok, rows) or refused as a whole (message, and every rejected row with why). */
export const ImportResultSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  rows: z.number().int().nonnegative(),
  errors: z.array(z.object({ row: z.number().int().nonnegative(), reason: z.string() })),
});
export type ImportResult = z.output<typeof ImportResultSchema>;

/** Bytes of a file per exports.read call (base64 on the wire). */
export const EXPORT_CHUNK = 512 * 1024;

export const ASSESSMENT_METHODS = {
  'assessment.run': defineMethod({
    kind: 'query',
    args: z
      .strictObject({ ...AssessmentPeriodShape, targets: z.array(AssessmentTargetSchema).max(4).optional(), compare: z.boolean().default(false) })
      .refine(periodRefine, periodMessage),
    result: AssessmentResultSchema,
    summary: "The period's assessment (a month by default): workers, departments, villages and grids with their figures, the scheme's scores and ranks; with compare, the previous period too.",
  }),
  'assessment.events': defineMethod({
    kind: 'query',
    args: z
      .strictObject({
        ...AssessmentPeriodShape,
        target: AssessmentTargetSchema,
        id: z.string().min(1).max(128),
        figure: z.string().min(1).max(40),
        /** num: the events a count or a ratio's numerator counts; den: a ratio's denominator. */
        part: z.enum(['num', 'den']).default('num'),
      })
      .refine(periodRefine, periodMessage),
    result: z.object({ ids: z.array(z.string()), truncated: z.boolean(), label: z.string() }),
    summary: "The ids of the events behind one figure of one row (the same condition as the figure's count), for the queue's id filter.",
  }),
  'assessment.scheme': defineMethod({
    kind: 'query',
    args: z.strictObject({}),
    result: z.object({ scheme: AssessmentSchemeSchema, source: z.enum(['default', 'file', 'imported']), at: z.string().nullable() }),
    summary: 'The assessment scheme in force (满分 and 权重 per figure): imported, else the settings file, else the default from the seeds.',
  }),
  'analysis.run': defineMethod({
    kind: 'query',
    args: z.strictObject({ ...AssessmentPeriodShape }).refine(periodRefine, periodMessage),
    result: AnalysisResultSchema,
    summary: '分析研判 over a period (a month by default): hotspots by grid × hour × weekday × category, the hour-by-weekday matrix, weekly and monthly trends with last year, the fastest rising categories, report locations for the heat map.',
  }),
  'assessment.importScheme': defineMethod({
    kind: 'admin',
    args: uploadArgs,
    result: ImportResultSchema,
    summary: 'Imports the assessment scheme (考核对象, 指标, 满分, 权重, 生效日期) from an Excel sheet: all rows or none; every rejected row reported with why; recorded in the audit trail.',
  }),
  'catalog.import': defineMethod({
    kind: 'admin',
    args: uploadArgs,
    result: ImportResultSchema,
    summary: 'Imports the list of matters (事项清单: codes, names, limits, lead departments, tiers) from an Excel sheet into the replica\'s settings: all rows or none; every rejected row reported with why.',
  }),
  'exports.create': defineMethod({
    kind: 'query',
    args: ExportArgsSchema,
    result: ExportStatusSchema,
    summary: 'Starts an Excel export (台账) written by a streaming writer to a file, masked for the caller and recorded in the audit trail; answers its status at once (exports.status for the progress).',
  }),
  'exports.status': defineMethod({
    kind: 'query',
    args: z.strictObject({ id: z.string().min(1).max(64) }),
    result: ExportStatusSchema,
    summary: "One of the caller's exports: running (rows written of total), done (size) or failed (why).",
  }),
  'exports.read': defineMethod({
    kind: 'query',
    args: z.strictObject({ id: z.string().min(1).max(64), offset: z.number().int().nonnegative().default(0) }),
    result: z.object({ data: z.string(), offset: z.number().int().nonnegative(), size: z.number().int().nonnegative(), done: z.boolean() }),
    summary: "A finished export's bytes from offset (base64, at most 512 kB a call), for the download; only the caller who made it may read it.",
  }),
} as const;
