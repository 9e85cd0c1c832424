// The sheets the importers accept (考核方案 and 事项清单), declared once: their columns in
// order, and how a row's cells become a scheme item or a category. Pure: the service
// reads the workbook (electron/service/assessment/importers.ts) and hands cells here.
// Every rejected row is reported with its row number and why; the import is all or nothing.
import { CLOCK_KIND_LABELS } from '../events/labels';
import { FIGURES, type AssessmentTarget } from './figures';
import type { SchemeItem } from './scheme';
import type { Category, LimitUnit, Tier } from '../model';

/** A cell as the reader gives it: a number, text, a real date, a formula (refused), or empty. */
export type ImportCell = { kind: 'number'; value: number } | { kind: 'text'; value: string } | { kind: 'date'; value: number } | { kind: 'formula' } | { kind: 'empty' };

export const SCHEME_COLUMNS = ['考核对象', '指标', '满分', '权重', '生效日期'] as const;
export const CATALOG_COLUMNS = ['编码', '名称', '上级编码', '受理时限（分钟）', CLOCK_KIND_LABELS.finish, '时限单位', '牵头部门', '分级', '首报激励', '生效日期'] as const;

export interface RowError {
  row: number;
  reason: string;
}

const TARGETS: Record<string, 'workers' | 'departments'> = { 网格员: 'workers', 职能部门: 'departments', 部门: 'departments' };
const UNITS: Record<string, LimitUnit> = { 小时: 'hours', 天: 'days', 自然日: 'days', 工作时: 'workHours', 工作小时: 'workHours', 工作日: 'workDays' };
const TIERS: Record<string, Tier> = { 简易: 'simple', 一般: 'general', 复杂: 'complex' };

type Reader = { text(i: number, label: string): string; number(i: number, label: string): number; date(i: number, label: string): number; optionalText(i: number): string };

/** Reads a row's cells by column; each getter throws the row's reason. */
function reader(cells: readonly ImportCell[]): Reader {
  const cell = (i: number, label: string): Exclude<ImportCell, { kind: 'formula' }> => {
    const c: ImportCell = cells[i] ?? { kind: 'empty' };
    if (c.kind === 'formula') throw new Error(`“${label}”是公式，请复制后“粘贴为数值”再导入`);
    return c as Exclude<ImportCell, { kind: 'formula' }>;
  };
  return {
    text: (i, label) => {
      const c = cell(i, label);
      if (c.kind === 'empty') throw new Error(`“${label}”不能为空`);
      if (c.kind === 'date') throw new Error(`“${label}”应为文字，而非日期`);
      return String(c.value).trim();
    },
    optionalText: (i) => {
      const c = cells[i];
      return c && (c.kind === 'text' || c.kind === 'number') ? String(c.value).trim() : '';
    },
    number: (i, label) => {
      const c = cell(i, label);
      if (c.kind !== 'number' || !Number.isFinite(c.value)) throw new Error(`“${label}”应为数字${c.kind === 'text' ? `，实为文字“${c.value.slice(0, 20)}”` : ''}`);
      return c.value;
    },
    date: (i, label) => {
      const c = cell(i, label);
      if (c.kind === 'text') throw new Error(`“${label}”是文字“${c.value.slice(0, 20)}”，应为日期格式的单元格`);
      if (c.kind !== 'date') throw new Error(`“${label}”应为日期`);
      return c.value;
    },
  };
}

/** One row of the 考核方案 sheet. */
export function schemeRow(cells: readonly ImportCell[]): { target: AssessmentTarget & ('workers' | 'departments'); item: SchemeItem } {
  const r = reader(cells);
  const targetText = r.text(0, '考核对象');
  const target = TARGETS[targetText];
  if (!target) throw new Error(`“考核对象”应为“网格员”或“职能部门”，实为“${targetText}”`);
  const figureText = r.text(1, '指标');
  const spec = FIGURES[target].find((f) => f.label === figureText || f.key === figureText);
  if (!spec) throw new Error(`未知的${targetText}考核指标“${figureText}”`);
  const full = r.number(2, '满分');
  if (full <= 0 || full > 1000) throw new Error('“满分”应在 0 到 1000 之间');
  const weight = r.number(3, '权重');
  if (weight <= 0 || weight > 100) throw new Error('“权重”应在 0 到 100 之间');
  r.date(4, '生效日期');
  return { target, item: { figure: spec.key, full, weight } };
}

/** One row of the 事项清单 sheet; `departments` are the known department names and ids. */
export function catalogRow(cells: readonly ImportCell[], departments: ReadonlyMap<string, string>): Category {
  const r = reader(cells);
  const code = r.text(0, '编码');
  if (!/^\d{2,8}$/.test(code)) throw new Error(`“编码”应为2至8位数字，实为“${code}”`);
  const name = r.text(1, '名称');
  const parent = r.optionalText(2) || null;
  const acceptMinutes = r.number(3, '受理时限（分钟）');
  const finish = r.number(4, CLOCK_KIND_LABELS.finish);
  if (acceptMinutes <= 0 || finish <= 0) throw new Error('时限应大于0');
  const unitText = r.text(5, '时限单位');
  const unit = UNITS[unitText];
  if (!unit) throw new Error(`“时限单位”应为小时、天、工作时或工作日，实为“${unitText}”`);
  const deptText = r.text(6, '牵头部门');
  const department = departments.get(deptText);
  if (!department) throw new Error(`未知的牵头部门“${deptText}”`);
  const tierText = r.text(7, '分级');
  const tier = TIERS[tierText];
  if (!tier) throw new Error(`“分级”应为简易、一般或复杂，实为“${tierText}”`);
  const reward = r.optionalText(8);
  r.date(9, '生效日期');
  return { code, name, parent, acceptMinutes, finishLimit: { value: finish, unit }, department, tier, ...(reward === '是' ? { firstReportReward: true } : {}) };
}
