// An ECharts chart of the analysis and the report: the shared chart (charts/EChart.tsx),
// without animation (a printed report is drawn once) and replacing its option each time.
import { useMemo } from 'react';
import type { EChartsOption } from 'echarts';
import { EChart } from '../charts/EChart';

export function AnalysisChart({ option, label, className = 'analysis-chart', onRendered }: { option: EChartsOption; label: string; className?: string; onRendered?: () => void }) {
  const still = useMemo(() => ({ animation: false, ...option }), [option]);
  return <EChart option={still} label={label} className={className} replace onRendered={onRendered} />;
}
