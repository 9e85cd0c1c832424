// The assessment's figures (考核指标), declared once: what each is called, what it
// counts and for whom. The service turns each into SQL over event_facts
// (electron/service/assessment/sql.ts); the screens, the Excel tables and the scheme
// name figures by these keys. docs/domain.md, "Assessment", gives each formula with the
// seed phrase it answers.

/** Whom a table assesses. */
export type AssessmentTarget = 'workers' | 'departments' | 'villages' | 'grids';
export const ASSESSMENT_TARGETS: readonly AssessmentTarget[] = ['workers', 'departments', 'villages', 'grids'];

export const TARGET_LABELS: Readonly<Record<AssessmentTarget, string>> = {
  workers: '网格员',
  departments: '职能部门',
  villages: '村（社区）',
  grids: '网格',
};

/**
 * count: a number of events; ratio: numerator / denominator (both drill down);
 * value: a measured quantity with no events behind it (patrol hours, distance).
 */
export type FigureKind = 'count' | 'ratio' | 'value';

/** Higher is better (most figures) or lower is better (返工率, 超时数…): the scheme scores by it. */
export type Direction = 'up' | 'down';

export interface FigureSpec {
  key: string;
  label: string;
  kind: FigureKind;
  direction: Direction;
  /** For a value: its unit ("小时", "公里", "天"). */
  unit?: string;
}

const f = (key: string, label: string, kind: FigureKind, direction: Direction = 'up', unit?: string): FigureSpec => ({
  key,
  label,
  kind,
  direction,
  ...(unit ? { unit } : {}),
});

export const FIGURES: Readonly<Record<AssessmentTarget, readonly FigureSpec[]>> = {
  workers: [
    f('reports', '上报数', 'count'),
    f('validReports', '有效上报', 'count'),
    f('reportAccuracy', '上报准确率', 'ratio'),
    f('firstReports', '首报', 'count'),
    f('selfHandled', '自巡自办', 'count'),
    f('onTimeVerification', '按时核查率', 'ratio'),
    f('followUps', '回访', 'count'),
    f('satisfaction', '满意率', 'ratio'),
    f('patrolDays', '在岗天数', 'value', 'up', '天'),
    f('onlineHours', '在线时长', 'value', 'up', '小时'),
    f('distanceKm', '巡查里程', 'value', 'up', '公里'),
    f('coverage', '日巡查覆盖', 'ratio'),
  ],
  departments: [
    f('assigned', '承办数', 'count'),
    f('onTimeHandling', '按期处置率', 'ratio'),
    f('closure', '结案率', 'ratio'),
    f('onTimeClosure', '按期结案率', 'ratio'),
    f('rework', '返工率', 'ratio', 'down'),
    f('returns', '退回率', 'ratio', 'down'),
    f('overdue', '超时数', 'count', 'down'),
    f('extensions', '延期数', 'count', 'down'),
    f('satisfaction', '满意率', 'ratio'),
  ],
  villages: [
    f('reports', '上报数', 'count'),
    f('open', '在办', 'count'),
    f('overdueNow', '超时在办', 'count', 'down'),
    f('closure', '结案率', 'ratio'),
    f('onTimeClosure', '按期结案率', 'ratio'),
    f('per100', '每百户上报', 'value', 'up', '件/百户'),
  ],
  grids: [
    f('reports', '上报数', 'count'),
    f('open', '在办', 'count'),
    f('overdueNow', '超时在办', 'count', 'down'),
    f('closure', '结案率', 'ratio'),
    f('onTimeClosure', '按期结案率', 'ratio'),
    f('per100', '每百户上报', 'value', 'up', '件/百户'),
  ],
};

export function figureSpec(target: AssessmentTarget, key: string): FigureSpec | undefined {
  return FIGURES[target].find((x) => x.key === key);
}

/** One figure of one row: a count or value (n), or a ratio (n / d, rate null when d is 0). */
export interface FigureValue {
  n: number | null;
  d?: number;
  rate?: number | null;
}
