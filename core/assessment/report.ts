// The monthly report (月度考核报告): the town's totals, added up from the villages' rows
// (every event of the town lies in one village: their numerators and denominators add
// up), and the report as an official document (core/documents/official.ts) for Word.
// The screen's report page (renderer/src/assessment/ReportPage.tsx) prints the same figures.
import type { AssessmentResult, AssessmentTable } from '../api/assessment';
import { chineseDate, documentNumber, type DocBlock, type OfficialDocument } from '../documents/official';

export interface ReportSummary {
  reports: number;
  overdueNow: number;
  closure: { n: number; d: number; rate: number | null };
  onTimeClosure: { n: number; d: number; rate: number | null };
}

export function reportSummary(result: AssessmentResult): ReportSummary {
  const villages = result.tables.find((t) => t.target === 'villages')?.rows ?? [];
  const sum = (key: string, part: 'n' | 'd'): number => villages.reduce((s, r) => s + ((part === 'n' ? r.values[key]?.n : r.values[key]?.d) ?? 0), 0);
  const ratio = (key: string) => {
    const n = sum(key, 'n');
    const d = sum(key, 'd');
    return { n, d, rate: d === 0 ? null : n / d };
  };
  return { reports: sum('reports', 'n'), overdueNow: sum('overdueNow', 'n'), closure: ratio('closure'), onTimeClosure: ratio('onTimeClosure') };
}

const pct = (rate: number | null | undefined): string => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

/** The report's table of one assessment table: these figures, with score and rank when scored. */
export function reportTable(table: AssessmentTable, figures: readonly string[], limit = Infinity): { columns: string[]; rows: string[][] } {
  const columns = figures.map((k) => table.columns.find((c) => c.key === k)).filter((c): c is AssessmentTable['columns'][number] => c !== undefined);
  const scored = table.rows.some((r) => r.score !== undefined);
  return {
    columns: [...(scored ? ['名次'] : []), '名称', ...columns.map((c) => c.label), ...(scored ? ['总分'] : [])],
    rows: table.rows.slice(0, limit).map((r) => [
      ...(scored ? [String(r.rank ?? '')] : []),
      r.name,
      ...columns.map((c) => {
        const v = r.values[c.key];
        return v?.d !== undefined ? pct(v.rate) : String(v?.n ?? '—');
      }),
      ...(scored ? [r.score?.toFixed(2) ?? ''] : []),
    ]),
  };
}

export const REPORT_FIGURES = {
  departments: ['onTimeHandling', 'onTimeClosure', 'closure', 'rework', 'returns', 'satisfaction'],
  workers: ['reports', 'validReports', 'firstReports', 'selfHandled', 'onTimeVerification', 'satisfaction', 'coverage'],
  villages: ['reports', 'open', 'overdueNow', 'closure', 'onTimeClosure', 'per100'],
} as const;

/** The monthly report as an official document (the Word export). */
export function monthlyReportDocument(result: AssessmentResult, town: string, nowMs: number, serial = 1): OfficialDocument {
  const s = reportSummary(result);
  const blocks: DocBlock[] = [
    { kind: 'heading', level: 1, text: '总体情况' },
    {
      kind: 'paragraph',
      text: `${result.period.label}共上报事件${s.reports}件，结案率${pct(s.closure.rate)}（${s.closure.n}/${s.closure.d}），按期结案率${pct(s.onTimeClosure.rate)}（${s.onTimeClosure.n}/${s.onTimeClosure.d}），当前超时在办${s.overdueNow}件。考核依据《${result.scheme}》。`,
    },
  ];
  const sections: Array<[AssessmentTable['target'], string, readonly string[], number]> = [
    ['departments', '职能部门考核', REPORT_FIGURES.departments, Infinity],
    ['workers', '网格员考核（前十名）', REPORT_FIGURES.workers, 10],
    ['villages', '村（社区）情况', REPORT_FIGURES.villages, Infinity],
  ];
  for (const [target, title, figures, limit] of sections) {
    const table = result.tables.find((t) => t.target === target);
    if (!table) continue;
    blocks.push({ kind: 'heading', level: 1, text: title }, { kind: 'table', ...reportTable(table, figures, limit) });
  }
  const year = Number(result.period.from.slice(0, 4));
  return {
    issuer: `${town}网格化服务管理中心`,
    number: documentNumber('网格考核', year, serial),
    title: `关于${result.period.label}网格化管理考核情况的通报`,
    recipient: '各村（社区）、各职能部门：',
    blocks,
    signature: { issuer: `${town}网格化服务管理中心`, date: chineseDate(nowMs) },
  };
}
