// A short card of what is selected on the map when it is not a grid (a grid
// worker or an event): who or what it is, as the console's side panel shows it.
import { STATUS_LABELS } from '../../../core/events/labels';
import { useQuery } from '../platform/hooks';
import { formatShanghai, WORKER_ROLE_LABELS } from '../ui/format';
import { URGENCY_LABELS } from './events';
import type { Selection } from './view-state';

export function SelectionCard({ selection }: { selection: Selection }) {
  if (selection.kind === 'event') return <EventCard id={selection.id} />;
  if (selection.kind === 'worker') return <WorkerCard id={selection.id} />;
  return null;
}

function EventCard({ id }: { id: string }) {
  const event = useQuery('events.get', { id });
  if (event.status === 'loading') return <p className="muted">正在读取事件…</p>;
  if (event.status === 'error') return <p className="error">{event.error}</p>;
  const e = event.data;
  if (!e) return <p className="muted">本地副本中没有该事件。</p>;
  return (
    <div className="details">
      <h3>{e.title || e.code}</h3>
      <dl>
        <dt>编号</dt>
        <dd className="mono">{e.code}</dd>
        <dt>状态</dt>
        <dd>{STATUS_LABELS[e.status]}</dd>
        <dt>紧急程度</dt>
        <dd>{URGENCY_LABELS[e.urgency]}</dd>
        <dt>上报时间</dt>
        <dd>{formatShanghai(e.reportedAt)}</dd>
        <dt>地点</dt>
        <dd>{e.location.address || `${e.location.lon.toFixed(5)}, ${e.location.lat.toFixed(5)}`}</dd>
      </dl>
    </div>
  );
}

function WorkerCard({ id }: { id: string }) {
  const workers = useQuery('workers.list', {});
  if (workers.status === 'loading') return <p className="muted">正在读取网格员…</p>;
  if (workers.status === 'error') return <p className="error">{workers.error}</p>;
  const w = workers.data.find((x) => x.id === id);
  if (!w) return <p className="muted">本地副本中没有该网格员。</p>;
  return (
    <div className="details">
      <h3>{w.name}</h3>
      <dl>
        <dt>岗位</dt>
        <dd>{WORKER_ROLE_LABELS[w.role]}</dd>
        <dt>在岗</dt>
        <dd>{w.onDuty ? '在岗' : '不在岗'}</dd>
        <dt>负责网格</dt>
        <dd>{w.grids.length} 个</dd>
        <dt>电话</dt>
        <dd className="mono">{w.phone}</dd>
      </dl>
    </div>
  );
}
