// The town's totals of the monthly report, added up from the villages' rows (every
// event of the town lies in one village: their numerators and denominators add up).
import type { AssessmentResult } from '../../../core/api/assessment';

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
