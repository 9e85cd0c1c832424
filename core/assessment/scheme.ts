// The assessment scheme (考核方案): for each figure scored, its 满分 (full marks) and
// 权重 (weight). "依据设定的考核标准自动生成考核结果" (方案5): the scheme is a settings
// file (config/assessment-scheme.json, the default below) or an Excel sheet imported by
// the leader; the score of a person or department follows from its figures:
//   达成度 (achievement, 0…1) of a figure:
//     ratio, higher is better: the rate;     ratio, lower is better: 1 − rate;
//     count or value, higher is better: value / the best value among the peers;
//     count, lower is better: 1 − value / the worst value among the peers;
//     nothing to measure (no denominator, or every peer at 0): full marks (no case, no fault).
//   得分 of a figure = 满分 × 达成度;  总分 = Σ 权重 × 得分;  名次: by 总分, highest first (ties share a rank).
import * as z from 'zod';
import { FIGURES, type AssessmentTarget, type FigureValue } from './figures';

export const SchemeItemSchema = z.strictObject({
  figure: z.string().min(1).max(40),
  /** 满分: the figure's points at full achievement. */
  full: z.number().positive().max(1000),
  /** 权重: a multiplier of the figure's points (1 unless the scheme weighs it). */
  weight: z.number().positive().max(100).default(1),
});

export const AssessmentSchemeSchema = z
  .strictObject({
    name: z.string().min(1).max(80),
    workers: z.array(SchemeItemSchema).max(30),
    departments: z.array(SchemeItemSchema).max(30),
  })
  .superRefine((scheme, ctx) => {
    for (const target of ['workers', 'departments'] as const) {
      const known = new Set(FIGURES[target].map((x) => x.key));
      const seen = new Set<string>();
      scheme[target].forEach((item, i) => {
        if (!known.has(item.figure)) ctx.addIssue({ code: 'custom', path: [target, i, 'figure'], message: `未知的考核指标：${item.figure}` });
        if (seen.has(item.figure)) ctx.addIssue({ code: 'custom', path: [target, i, 'figure'], message: `考核指标重复：${item.figure}` });
        seen.add(item.figure);
      });
    }
  });

export type AssessmentScheme = z.output<typeof AssessmentSchemeSchema>;
export type SchemeItem = z.output<typeof SchemeItemSchema>;

/**
 * The default, from the seeds: 网格员 "信息采集的准确率、问题处理的及时率、居民满意度" (方案4),
 * "走访户数、问题发现与解决数量、居民满意度" (方案5), 首报激励 (方案2), 日巡查 (方案1);
 * 部门 "处理效率、质量" (方案4) and 满意度. 100 points each. config/assessment-scheme.json
 * holds the same (a test keeps them equal).
 */
export const DEFAULT_SCHEME: AssessmentScheme = {
  name: '网格化管理月度考核方案（默认）',
  workers: [
    { figure: 'reportAccuracy', full: 20, weight: 1 },
    { figure: 'validReports', full: 15, weight: 1 },
    { figure: 'firstReports', full: 5, weight: 1 },
    { figure: 'selfHandled', full: 10, weight: 1 },
    { figure: 'onTimeVerification', full: 15, weight: 1 },
    { figure: 'satisfaction', full: 15, weight: 1 },
    { figure: 'coverage', full: 20, weight: 1 },
  ],
  departments: [
    { figure: 'onTimeHandling', full: 25, weight: 1 },
    { figure: 'onTimeClosure', full: 25, weight: 1 },
    { figure: 'closure', full: 10, weight: 1 },
    { figure: 'rework', full: 15, weight: 1 },
    { figure: 'returns', full: 10, weight: 1 },
    { figure: 'satisfaction', full: 15, weight: 1 },
  ],
};

export interface Scored {
  score: number;
  rank: number;
}

const numberOf = (v: FigureValue | undefined): number | null => {
  if (!v) return null;
  if (v.rate !== undefined) return v.rate;
  return v.n;
};

function achievement(value: FigureValue | undefined, kind: 'count' | 'ratio' | 'value', direction: 'up' | 'down', best: number, worst: number): number {
  const x = numberOf(value);
  if (x === null) return 1;
  if (kind === 'ratio') return Math.max(0, Math.min(1, direction === 'up' ? x : 1 - x));
  if (direction === 'up') return best <= 0 ? 1 : Math.max(0, Math.min(1, x / best));
  return worst <= 0 ? 1 : Math.max(0, Math.min(1, 1 - x / worst));
}

/** Scores and ranks of the rows of one table (workers or departments), in the rows' order. */
export function scoreRows(target: 'workers' | 'departments', rows: ReadonlyArray<Record<string, FigureValue>>, scheme: AssessmentScheme): Scored[] {
  const specs = new Map(FIGURES[target].map((s) => [s.key, s]));
  const scores = rows.map(() => 0);
  for (const item of scheme[target]) {
    const spec = specs.get(item.figure);
    if (!spec) continue;
    const xs = rows.map((r) => numberOf(r[item.figure]) ?? 0);
    const best = Math.max(0, ...xs);
    const worst = best;
    rows.forEach((r, i) => {
      scores[i] = (scores[i] ?? 0) + item.weight * item.full * achievement(r[item.figure], spec.kind, spec.direction, best, worst);
    });
  }
  const rounded = scores.map((s) => Math.round(s * 100) / 100);
  const sorted = [...rounded].sort((a, b) => b - a);
  return rounded.map((score) => ({ score, rank: sorted.indexOf(score) + 1 }));
}

/** The scheme's total at full marks (Σ 权重 × 满分). */
export const schemeTotal = (scheme: AssessmentScheme, target: 'workers' | 'departments'): number =>
  scheme[target].reduce((sum, i) => sum + i.weight * i.full, 0);

export type { AssessmentTarget };
