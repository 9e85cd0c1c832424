// The assessment (考核), analysis (分析研判) and ledger methods of the app API (issue 11),
// spread into CONTRACT (core/api/contract.ts). All are queries: the leader, the
// dispatcher and the secretary read them for the town; a department or village operator
// gets its own rows only (electron/service/assessment/handlers.ts applies the scope);
// a viewer (the wall) gets no person-level rows (no worker table).
import * as z from 'zod';
import type { MethodKind, MethodSpec } from './contract';
import { ASSESSMENT_TARGETS } from '../assessment/figures';
import { AssessmentSchemeSchema } from '../assessment/scheme';

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
} as const;
