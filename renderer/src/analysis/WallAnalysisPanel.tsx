// 分析研判 as a wall panel (issue 11): /wall?panel=analysis shows this month's weekday ×
// hour heat of reports in place of the 7-day trend. A viewer may read analysis.run (it
// carries no personal data); the panel keeps the wall's look (wl-panel) and refreshes
// with the wall's figures.
import { useEffect, useMemo } from 'react';
import { useQuery } from '../platform/hooks';
import { AnalysisChart } from './AnalysisChart';
import { hourWeekdayOption } from './analysis-charts';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** The wall's panel choice from its address: `?panel=analysis`. */
export const wallPanelChoice = (search: string): 'analysis' | null => (new URLSearchParams(search).get('panel') === 'analysis' ? 'analysis' : null);

export function WallAnalysisPanel({ refresh }: { refresh: string }) {
  const result = useQuery('analysis.run', {});
  const { reload } = result;
  // The wall's figures changed (a new overview): read the month again.
  useEffect(() => {
    if (refresh !== '') reload();
  }, [refresh, reload]);
  const option = useMemo(() => ({ ...hourWeekdayOption(result.data?.hourByWeekday ?? [], WEEKDAYS), backgroundColor: 'transparent' }), [result.data]);
  return (
    <section className="wl-panel wl-trend" aria-label="分析研判：时段热度">
      <h2 className="wl-panel-title">
        <span>分析研判 · 时段热度</span>
        <small>{result.data?.period.label ?? '本月'}</small>
      </h2>
      <div className="wl-panel-body">
        <AnalysisChart option={option} className="wl-chart" label="本月各星期各时段上报热度" />
      </div>
    </section>
  );
}
