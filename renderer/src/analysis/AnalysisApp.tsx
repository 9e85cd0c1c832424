// 分析研判: where and when problems arise (analysis.run): hotspots by grid × hour ×
// weekday × category, the hour-by-weekday heat, weekly and monthly trends with last
// year, the fastest rising categories, and a heat map of report locations over the grids.
import { useMemo, useState } from 'react';
import type { AnalysisResult } from '../../../core/api/assessment';
import { useQuery } from '../platform/hooks';
import { RoleHeader } from '../roles/RoleHeader';
import { AssessmentNav } from '../assessment/AssessmentNav';
import { shanghaiMonth } from '../assessment/format';
import { AnalysisChart } from './AnalysisChart';
import { gridOutlineOption, hourWeekdayOption, monthlyOption, risingOption, weeklyOption } from './analysis-charts';
import '../assessment/assessment.css';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export function AnalysisApp() {
  const [month, setMonth] = useState(() => shanghaiMonth(Date.now()));
  const result = useQuery('analysis.run', { month });
  const grids = useQuery('grids.list', { level: 3 });
  const data = result.data;
  return (
    <div className="assess-page">
      <RoleHeader title="分析研判">
        <AssessmentNav current="analysis" />
      </RoleHeader>
      <main className="assess-main">
        <div className="assess-tools">
          <input type="month" aria-label="月份" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
          {data && <span className="muted small">{data.period.label}</span>}
        </div>
        {result.status === 'error' && <p className="error">{result.error}</p>}
        {data && <AnalysisPanels data={data} grids={grids.data ?? []} />}
      </main>
    </div>
  );
}

function AnalysisPanels({ data, grids }: { data: AnalysisResult; grids: Parameters<typeof gridOutlineOption>[0] }) {
  const heat = useMemo(() => gridOutlineOption(grids, data.heat), [grids, data.heat]);
  return (
    <div className="analysis-grid">
      <Card title="热点（网格 × 时段 × 星期 × 类别）">
        <table className="assess-table" data-testid="hotspots">
          <thead>
            <tr>
              <th>网格</th>
              <th>时段</th>
              <th>星期</th>
              <th>类别</th>
              <th>上报数</th>
            </tr>
          </thead>
          <tbody>
            {data.hotspots.map((h) => (
              <tr key={`${h.grid}-${h.hour}-${h.weekday}-${h.category}`}>
                <td>{h.gridName}</td>
                <td>
                  {h.hour}:00–{h.hour + 1}:00
                </td>
                <td>{WEEKDAYS[h.weekday]}</td>
                <td>{h.categoryName}</td>
                <td className="num">{h.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="时段热度（星期 × 小时）">
        <AnalysisChart option={hourWeekdayOption(data.hourByWeekday, WEEKDAYS)} label="星期与小时的上报热度" />
      </Card>
      <Card title="上报热力图">
        <AnalysisChart option={heat} label="事件上报位置热力图" />
      </Card>
      <Card title="上升最快的类别（较上期）">
        <AnalysisChart option={risingOption(data.rising)} label="上升最快的事件类别" />
      </Card>
      <Card title="周趋势（近12周）">
        <AnalysisChart option={weeklyOption(data.weekly)} label="每周上报数" />
      </Card>
      <Card title="月趋势（近12个月，含去年同期）">
        <AnalysisChart option={monthlyOption(data.monthly)} label="每月上报数与去年同期" />
      </Card>
    </div>
  );
}

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="analysis-card" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
