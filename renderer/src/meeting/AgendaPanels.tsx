// Building the agenda: the candidates the replica proposes, each with its reasons (add),
// a topic that is not an event (add), and the agenda itself (order, remove, present).
import { useState } from 'react';
import type { AgendaItem } from '../../../core/meeting/model';
import { OUTCOME_LABELS } from '../../../core/meeting/model';
import { useQuery } from '../platform/hooks';
import { useSession } from '../session/context';
import { useMeetingApi, type MeetingDetail } from './MeetingScreen';

export function CandidatesPanel({ meetingId, onChanged }: { meetingId: string; onChanged: () => void }) {
  const candidates = useQuery('meeting.candidates', { meetingId, limit: 60 });
  const { api, run, error, busy } = useMeetingApi(() => {
    candidates.reload();
    onChanged();
  });
  const [topic, setTopic] = useState('');
  return (
    <section className="cpanel" aria-label="候选议题">
      <h2>候选议题（按风险排序）</h2>
      <div className="mt-row">
        <input aria-label="议题" placeholder="非事件议题，如：安全隐患排查部署" value={topic} onChange={(e) => setTopic(e.target.value)} style={{ flex: 1 }} />
        <button type="button" className="btn" disabled={busy || topic.trim() === ''} onClick={() => void run(() => api.call('meeting.item.add', { meetingId, topic: topic.trim() })).then((ok) => ok && setTopic(''))}>
          添加议题
        </button>
      </div>
      {error && <p className="mt-error" role="alert">{error}</p>}
      {candidates.status === 'error' && <p className="mt-error">{candidates.error}</p>}
      <ul className="mt-list" aria-label="候选列表">
        {(candidates.data ?? []).map((c) => (
          <li key={c.key} data-key={c.key}>
            <span>
              {c.code ? `${c.code} ` : ''}
              {c.title}
              <span className="mt-reasons mt-reasons-light">
                {c.reasons.map((r) => (
                  <span key={r.code} className="mt-reason">
                    {r.text}
                  </span>
                ))}
              </span>
            </span>
            <button type="button" className="btn" disabled={busy || c.onAgenda} onClick={() => void run(() => api.call('meeting.item.add', { meetingId, key: c.key }))}>
              {c.onAgenda ? '已在议程' : '加入议程'}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function AgendaPanel({ detail, onChanged }: { detail: MeetingDetail; onChanged: () => void }) {
  const { may } = useSession();
  const { api, run, error, busy } = useMeetingApi(onChanged);
  const meetingId = detail.meeting.id;
  const editable = detail.meeting.status !== 'ended';
  const ids = detail.items.map((i) => i.id);
  const move = (index: number, by: number): Promise<boolean> => {
    const next = [...ids];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    return run(() => api.call('meeting.item.order', { meetingId, itemIds: next }));
  };
  const decided = new Set(detail.decisions.map((d) => d.itemId));
  return (
    <section className="cpanel" aria-label="议程">
      <h2>议程（{detail.items.length} 项）</h2>
      {error && <p className="mt-error" role="alert">{error}</p>}
      <ol className="mt-list" aria-label="议程列表">
        {detail.items.map((item, index) => (
          <li key={item.id} data-item-id={item.id}>
            <span>
              {item.order}. {item.title}
              {decided.has(item.id) && <span className="mt-reason mt-outcome-kept">已决定</span>}
              <ItemTags item={item} />
            </span>
            {editable && may('meeting.item.order') && (
              <>
                <button type="button" className="btn" aria-label="上移" disabled={busy || index === 0} onClick={() => void move(index, -1)}>
                  ↑
                </button>
                <button type="button" className="btn" aria-label="下移" disabled={busy || index === ids.length - 1} onClick={() => void move(index, 1)}>
                  ↓
                </button>
              </>
            )}
            {editable && may('meeting.item.remove') && !decided.has(item.id) && (
              <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void run(() => api.call('meeting.item.remove', { meetingId, itemId: item.id }))}>
                移除
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function ItemTags({ item }: { item: AgendaItem }) {
  return (
    <span className="mt-reasons mt-reasons-light">
      {item.reasons.map((r) => (
        <span key={r.code + r.text} className="mt-reason">
          {r.text}
        </span>
      ))}
      {item.outcome && <span className={`mt-reason mt-outcome-${item.outcome}`}>上次决定:{OUTCOME_LABELS[item.outcome]}</span>}
    </span>
  );
}
