// The monthly report (月度考核报告): an A4 page of the period's figures and charts, for
// Chromium's print (the browser's print, Electron's printToPDF, Playwright's page.pdf)
// and, as the same content, a Word file built by the service (exports `report`).
// #/report?month=YYYY-MM picks the month (the current one by default).
import { useMemo, useState } from 'react';
import type { EChartsOption } from 'echarts';
import type { AssessmentTable } from '../../../core/api/assessment';
import { useQuery } from '../platform/hooks';
import { AnalysisChart } from '../analysis/AnalysisChart';
import { monthlyOption } from '../analysis/analysis-charts';
import { AssessmentNav } from './AssessmentNav';
import { ExportButton } from './ExportButton';
import { percent, shanghaiMonth } from './format';
import { reportSummary } from '../../../core/assessment/report';
import './assessment.css';

const monthOfHash = (): string => /[?&]month=(\d{4}-\d{2})/.exec(window.location.hash)?.[1] ?? shanghaiMonth(Date.now());

export function ReportPage() {
  const [month, setMonth] = useState(monthOfHash);
  const info = useQuery('app.info');
  const run = useQuery('assessment.run', { month, compare: true });
  const analysis = useQuery('analysis.run', { month });
  const [drawn, setDrawn] = useState(0);
  const onRendered = useMemo(() => () => setDrawn((n) => n + 1), []);
  const data = run.data;
  const town = info.data?.town.name ?? '';
  const summary = data ? reportSummary(data) : null;
  const departments = data?.tables.find((t) => t.target === 'departments');
  const workers = data?.tables.find((t) => t.target === 'workers');
  const villages = data?.tables.find((t) => t.target === 'villages');
  const ready = data !== undefined && analysis.data !== undefined && drawn >= 2;
  return (
    <div className="report-root">
      <div className="no-print assess-tools" style={{ padding: 8 }}>
        <AssessmentNav current="report" />
        <input type="month" aria-label="月份" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        <button type="button" className="btn" onClick={() => window.print()}>
          打印 / 存为PDF
        </button>
        <ExportButton kind="report" args={{ month }} label="导出Word" />
      </div>
      <article className="report-page" data-testid={ready ? 'report-ready' : 'report-loading'}>
        <h1>{town}网格化管理月度考核报告</h1>
        <p style={{ textAlign: 'center' }}>{data?.period.label ?? month}</p>
        {summary && (
          <>
            <h2>一、总体情况</h2>
            <p data-testid="report-summary">
              本月共上报事件 {summary.reports} 件，结案率 {percent(summary.closure.rate)}（{summary.closure.n}/{summary.closure.d}），按期结案率 {percent(summary.onTimeClosure.rate)}（
              {summary.onTimeClosure.n}/{summary.onTimeClosure.d}），当前超时在办 {summary.overdueNow} 件。
            </p>
            <AnalysisChart className="report-chart" option={monthlyOption(analysis.data?.monthly ?? [])} label="月度上报趋势" onRendered={onRendered} />
          </>
        )}
        {departments && (
          <>
            <h2>二、职能部门考核</h2>
            <ScoreTable table={departments} figures={['onTimeHandling', 'onTimeClosure', 'closure', 'rework', 'returns', 'satisfaction']} />
            <AnalysisChart className="report-chart" option={scoreBars(departments)} label="职能部门考核得分" onRendered={onRendered} />
          </>
        )}
        {workers && (
          <>
            <h2>三、网格员考核（前十名）</h2>
            <ScoreTable table={{ ...workers, rows: workers.rows.slice(0, 10) }} figures={['reports', 'validReports', 'firstReports', 'selfHandled', 'onTimeVerification', 'satisfaction', 'coverage']} />
          </>
        )}
        {villages && (
          <>
            <h2>{workers ? '四' : '三'}、村（社区）情况</h2>
            <ScoreTable table={villages} figures={['reports', 'open', 'overdueNow', 'closure', 'onTimeClosure', 'per100']} />
          </>
        )}
      </article>
    </div>
  );
}

function ScoreTable({ table, figures }: { table: AssessmentTable; figures: string[] }) {
  const columns = figures.map((k) => table.columns.find((c) => c.key === k)).filter((c): c is AssessmentTable['columns'][number] => c !== undefined);
  const scored = table.rows.some((r) => r.score !== undefined);
  return (
    <table>
      <thead>
        <tr>
          {scored && <th>名次</th>}
          <th>名称</th>
          {columns.map((c) => (
            <th key={c.key}>{c.label}</th>
          ))}
          {scored && <th>总分</th>}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((r) => (
          <tr key={r.id}>
            {scored && <td>{r.rank}</td>}
            <td>{r.name}</td>
            {columns.map((c) => {
              const v = r.values[c.key];
              return <td key={c.key}>{v?.d !== undefined ? percent(v.rate) : (v?.n ?? '—')}</td>;
            })}
            {scored && <td>{r.score?.toFixed(2)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function scoreBars(table: AssessmentTable): EChartsOption {
  return {
    grid: { left: 110, right: 40, top: 8, bottom: 24 },
    xAxis: { type: 'value', max: table.fullScore ?? 100 },
    yAxis: { type: 'category', data: [...table.rows].reverse().map((r) => r.name) },
    series: [{ type: 'bar', data: [...table.rows].reverse().map((r) => r.score ?? 0), label: { show: true, position: 'right' }, itemStyle: { color: '#c0392b' } }],
  };
}
