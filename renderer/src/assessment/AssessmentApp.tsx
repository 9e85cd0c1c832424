// 考核评估: the period's assessment of grid workers, departments, villages and grids
// (assessment.run), month by default, any range of days, month over month. A figure
// opens its events: in the console's queue for the roles that have it, else in a list here.
import { useState } from 'react';
import type { AssessmentTarget } from '../../../core/assessment/figures';
import { TARGET_LABELS } from '../../../core/assessment/figures';
import type { AccountRole } from '../../../core/model';
import { useApi } from '../platform/context';
import { useQuery } from '../platform/hooks';
import { RoleHeader } from '../roles/RoleHeader';
import { useSession } from '../session/context';
import { AssessmentTable, type DrillRequest } from './AssessmentTable';
import { storeDrill } from './drill';
import { ExportButton } from './ExportButton';
import { ImportButton } from './ImportButton';
import { periodArgs, shanghaiMonth, type PeriodChoice } from './format';
import { AssessmentNav } from './AssessmentNav';
import './assessment.css';

/** The roles whose home is the console: a drill opens the queue there. */
const QUEUE_ROLES: readonly AccountRole[] = ['dispatcher', 'leader'];

export function AssessmentApp() {
  const [period, setPeriod] = useState<PeriodChoice>(() => {
    const month = shanghaiMonth(Date.now());
    return { mode: 'month', month, from: `${month}-01`, to: `${month}-01` };
  });
  const [compare, setCompare] = useState(false);
  const [tab, setTab] = useState<AssessmentTarget | null>(null);
  const [drilled, setDrilled] = useState<{ label: string; ids: string[] } | null>(null);
  const result = useQuery('assessment.run', { ...periodArgs(period), compare });
  const api = useApi();
  const session = useSession();
  const tables = result.data?.tables ?? [];
  const current = tables.find((t) => t.target === tab) ?? tables[0];

  const onDrill = (d: DrillRequest): void => {
    void api.call('assessment.events', { ...periodArgs(period), target: d.target, id: d.id, figure: d.figure, part: d.part }).then((r) => {
      const label = `${r.label} · ${d.name}`;
      if (QUEUE_ROLES.includes(session.user.role)) {
        storeDrill({ ids: r.ids, label });
        window.location.hash = '#/queue';
      } else {
        setDrilled({ label, ids: r.ids });
      }
    });
  };

  return (
    <div className="assess-page">
      <RoleHeader title="考核评估">
        <AssessmentNav current="assessment" />
      </RoleHeader>
      <main className="assess-main">
        <div className="assess-tools">
          <PeriodPicker value={period} onChange={setPeriod} />
          <label>
            <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} /> 与上期对比
          </label>
          {current && <ExportButton kind="assessment" args={{ ...periodArgs(period) }} label="导出考核表（Excel）" />}
          <ExportButton kind="overdue" args={{}} label="导出超时清单" />
          <ExportButton kind="patrol" args={{ ...periodArgs(period) }} label="导出巡查台账" />
          {session.may('assessment.importScheme') && <ImportButton method="assessment.importScheme" label="导入考核方案" onDone={result.reload} />}
          {session.may('catalog.import') && <ImportButton method="catalog.import" label="导入事项清单" />}
        </div>
        {result.status === 'error' && <p className="error">{result.error}</p>}
        {result.data && (
          <p className="muted small" data-testid="assess-period">
            {result.data.period.label}（{result.data.period.from} 至 {result.data.period.to}，截至 {result.data.period.asOf.slice(0, 16).replace('T', ' ')}）· {result.data.scheme}
          </p>
        )}
        <div className="assess-tabs" role="tablist">
          {tables.map((t) => (
            <button key={t.target} type="button" role="tab" aria-selected={current?.target === t.target} className={`qtab${current?.target === t.target ? ' on' : ''}`} onClick={() => setTab(t.target)}>
              {TARGET_LABELS[t.target]}
            </button>
          ))}
        </div>
        {current && <AssessmentTable table={current} previous={result.data?.previous?.tables.find((t) => t.target === current.target)} onDrill={onDrill} />}
        {drilled && <DrillList drill={drilled} onClose={() => setDrilled(null)} />}
      </main>
    </div>
  );
}

function PeriodPicker({ value, onChange }: { value: PeriodChoice; onChange: (p: PeriodChoice) => void }) {
  return (
    <span className="period-picker">
      <select aria-label="考核周期" value={value.mode} onChange={(e) => onChange({ ...value, mode: e.target.value as PeriodChoice['mode'] })}>
        <option value="month">按月</option>
        <option value="range">按日期范围</option>
      </select>
      {value.mode === 'month' ? (
        <input type="month" aria-label="月份" value={value.month} onChange={(e) => e.target.value && onChange({ ...value, month: e.target.value })} />
      ) : (
        <>
          <input type="date" aria-label="起始日期" value={value.from} onChange={(e) => e.target.value && onChange({ ...value, from: e.target.value })} />
          至
          <input type="date" aria-label="结束日期" value={value.to} min={value.from} onChange={(e) => e.target.value && onChange({ ...value, to: e.target.value })} />
        </>
      )}
    </span>
  );
}

/** The events behind a figure, for the roles without the console's queue. */
function DrillList({ drill, onClose }: { drill: { label: string; ids: string[] }; onClose: () => void }) {
  const page = useQuery('events.list', { ids: drill.ids, paging: { offset: 0, limit: 200 }, sort: 'reportedAt' });
  return (
    <section className="assess-drill" aria-label="考核明细">
      <h2>
        {drill.label}（{drill.ids.length} 件）
        <button type="button" className="btn" onClick={onClose}>
          关闭
        </button>
      </h2>
      <ul>
        {page.data?.items.map((e) => (
          <li key={e.id}>
            {e.code} {e.title}
          </li>
        ))}
      </ul>
    </section>
  );
}
