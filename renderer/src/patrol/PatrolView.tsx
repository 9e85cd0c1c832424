// Patrol management (方案2: 日巡查; 每月1日和15日集中排查; 季度联查): today's basic grids no grid
// worker has entered yet (live: a grid goes the moment a worker's fix falls inside it; listed
// here and highlighted on the console's map beside the docked dialog), each worker's day,
// and the sweeps as tasks per grid with their completion.
import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '../platform/hooks';
import { formatShanghai, WORKER_ROLE_LABELS } from '../ui/format';
import { formatDistance } from '../emergency/geo';
import { useDeskMarks } from '../emergency/FieldDesk';
import type { MapMarks } from '../map/desk-marks';
import type { WorkerRole } from '../../../core/model';

const REFRESH_MS = 4000;
type Tab = 'today' | 'workers' | 'sweeps';
const TABS: Record<Tab, string> = { today: '今日未巡查网格', workers: '网格员当日巡查', sweeps: '集中排查与季度联查' };

export function PatrolView() {
  const [tab, setTab] = useState<Tab>('today');
  return (
    <div className="field-col">
      <div className="field-tabs" role="tablist">
        {(Object.keys(TABS) as Tab[]).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={`btn ${tab === t ? 'btn-primary' : ''}`} onClick={() => setTab(t)}>
            {TABS[t]}
          </button>
        ))}
      </div>
      {tab === 'today' && <Today />}
      {tab === 'workers' && <WorkerDays />}
      {tab === 'sweeps' && <Sweeps />}
    </div>
  );
}

function useRefreshing<T extends { reload: () => void }>(q: T): T {
  const { reload } = q;
  useEffect(() => {
    const t = setInterval(reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [reload]);
  return q;
}

function Today() {
  const today = useRefreshing(useQuery('patrol.today'));
  // The codes as one string: the marks (and the map's polygons) change only when the set does.
  const codes = today.status === 'ok' ? today.data.unpatrolled.map((g) => g.code).join(',') : null;
  const marks = useMemo<MapMarks | null>(() => (codes === null ? null : { key: 'patrol', grids: codes === '' ? [] : codes.split(',') }), [codes]);
  useDeskMarks(marks);
  if (today.status !== 'ok') return <p className="muted">{today.error ?? '正在读取…'}</p>;
  const t = today.data;
  return (
    <div className="field-col">
      <p data-testid="patrol-summary">
        {t.date} 基础网格 {t.basicGrids} 个,已巡查 {t.patrolled} 个,<b>未巡查 {t.unpatrolled.length} 个</b>(右侧地图上以橙色标出)
      </p>
      <ul className="field-list" aria-label="今日未巡查网格" style={{ maxHeight: 560 }}>
        {t.unpatrolled.map((g) => (
          <li key={g.code} data-testid="unpatrolled-grid" data-grid={g.code}>
            <span>{g.name}</span>
            <span className="muted small">
              {g.village ?? ''} <span className="mono">{g.code}</span>
            </span>
          </li>
        ))}
        {t.unpatrolled.length === 0 && <li className="muted">今日所有基础网格均已巡查</li>}
      </ul>
    </div>
  );
}

function WorkerDays() {
  const days = useRefreshing(useQuery('patrol.workers', {}));
  if (days.status !== 'ok') return <p className="muted">{days.error ?? '正在读取…'}</p>;
  return (
    <table className="field-table" aria-label="网格员当日巡查">
      <thead>
        <tr>
          <th>网格员</th>
          <th>在岗</th>
          <th>巡查里程</th>
          <th>在线时长</th>
          <th>进入网格</th>
          <th>停留点</th>
          <th>首次/最后定位</th>
        </tr>
      </thead>
      <tbody>
        {days.data.map((d) => (
          <tr key={d.workerId} data-testid="worker-day" data-worker={d.workerId}>
            <td>
              {d.name} <span className="muted small">{WORKER_ROLE_LABELS[d.role as WorkerRole] ?? d.role}</span>
            </td>
            <td>{d.onDuty ? '在岗' : '离岗'}</td>
            <td>{formatDistance(d.distanceM)}</td>
            <td>{(d.onlineMs / 3_600_000).toFixed(1)} 小时</td>
            <td>{d.gridsEntered.length}</td>
            <td>{d.stops}</td>
            <td className="small">
              {formatShanghai(d.firstFixAt).slice(11)} – {formatShanghai(d.lastFixAt).slice(11)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Sweeps() {
  const sweeps = useRefreshing(useQuery('patrol.sweeps', {}));
  const [open, setOpen] = useState<string | null>(null);
  if (sweeps.status !== 'ok') return <p className="muted">{sweeps.error ?? '正在读取…'}</p>;
  return (
    <div className="field-col">
      {sweeps.data.map((s) => (
        <section key={s.key} aria-label={s.label} data-testid="sweep">
          <h5>
            {s.label}:{s.from === s.to ? s.from : `${s.from} 至 ${s.to}`} · 完成 {s.done}/{s.total}
            {s.due && s.done < s.total && <span className="badge"> 已过期限</span>}{' '}
            <button type="button" className="btn btn-link" onClick={() => setOpen(open === s.key ? null : s.key)}>
              {open === s.key ? '收起' : '按网格查看'}
            </button>
          </h5>
          {open === s.key && (
            <table className="field-table">
              <tbody>
                {s.tasks.map((t) => (
                  <tr key={t.grid}>
                    <td>{t.name}</td>
                    <td>{t.village}</td>
                    <td>{t.done ? `已完成(${t.doneOn})` : '未完成'}</td>
                    <td className="small">到场网格员 {t.workers.length} 人,巡查上报 {t.reports} 件</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </div>
  );
}
