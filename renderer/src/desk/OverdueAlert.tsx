// Overdue supervisions, alerted to the leader (and the dispatcher) on the console: a line
// that names them and opens the 督办 list.
import { useSession } from '../session/context';
import { useDeskQuery } from './desk-data';

export function OverdueSupervisions({ onShow }: { onShow: () => void }) {
  const { may, user } = useSession();
  const enabled = may('desk.supervisions') && (user.role === 'leader' || user.role === 'dispatcher');
  const list = useDeskQuery('desk.supervisions', { state: 'overdue' }, enabled);
  const items = list.data ?? [];
  if (!enabled || items.length === 0) return null;
  const names = items.slice(0, 3).map((i) => `${i.supervision.number}${i.event ? `（${i.event.title}）` : ''}`);
  return (
    <div className="banner banner-offline desk-overdue" role="alert" data-testid="overdue-supervisions">
      督办超期提醒：{items.length} 件督办事项已超过办理时限仍未办复：{names.join('、')}
      {items.length > 3 ? ' 等' : ''}
      <button type="button" className="btn btn-small" onClick={onShow}>
        查看督办清单
      </button>
    </div>
  );
}
