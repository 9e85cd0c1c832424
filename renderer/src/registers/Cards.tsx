// A person's and a house's card: the masked fields (revealed one at a time with a
// reason), the household, the visits, and the events reported at the house's address.
import type { GridEvent } from '../../../core/model';
import { useState } from 'react';
import { useQuery } from '../platform/hooks';
import { HouseForm, PersonForm, useMayEdit } from './EditForms';
import { formatShanghai } from './time';
import { RESIDENCE_LABELS, personMarks } from './labels';
import { RevealField } from './RevealField';
import type { Open } from './RegistersScreen';

function Events({ events }: { events: readonly GridEvent[] }) {
  return (
    <section aria-label="关联事件">
      <h4>该地址的事件（{events.length}）</h4>
      {events.length === 0 && <p className="muted">没有关联事件。</p>}
      <ul>
        {events.map((e) => (
          <li key={e.id}>
            {e.code} {e.title}（{formatShanghai(e.reportedAt)}）
          </li>
        ))}
      </ul>
    </section>
  );
}

export function PersonCard({ id, onOpen }: { id: string; onOpen: (o: Open) => void }) {
  const q = useQuery('registers.person', { id });
  const mayEdit = useMayEdit();
  const [editing, setEditing] = useState(false);
  if (q.status === 'loading') return <p className="muted">读取中…</p>;
  if (q.status === 'error') return <p className="error">{q.error}</p>;
  const { person: p, house, events } = q.data;
  if (editing) return <PersonForm person={p} house={p.house ?? ''} onDone={() => (setEditing(false), q.reload())} onCancel={() => setEditing(false)} />;
  return (
    <div className="reg-card" data-testid="reg-person-card">
      <h4>
        {p.name}
        {p.pending && <span className="badge">待县级确认</span>}
        {mayEdit && (
          <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
            编辑
          </button>
        )}
      </h4>
      <dl className="ed-facts">
        <dt>身份证号</dt>
        <dd>
          <RevealField type="person" id={p.id} field="idNumber" masked={p.idNumber} />
        </dd>
        <dt>电话</dt>
        <dd>
          <RevealField type="person" id={p.id} field="phone" masked={p.phone} />
        </dd>
        <dt>类别</dt>
        <dd>{RESIDENCE_LABELS[p.residence]}人口</dd>
        <dt>标记</dt>
        <dd>{personMarks(p) || '—'}</dd>
        <dt>住址</dt>
        <dd>
          {house ? (
            <button type="button" className="link" onClick={() => onOpen({ kind: 'house', id: house.id })}>
              {house.address}
            </button>
          ) : (
            p.address || '—'
          )}
        </dd>
      </dl>
      <Events events={events} />
    </div>
  );
}

export function HouseCard({ id, onOpen }: { id: string; onOpen: (o: Open) => void }) {
  const q = useQuery('registers.house', { id });
  const mayEdit = useMayEdit();
  const [editing, setEditing] = useState<'house' | 'member' | null>(null);
  if (q.status === 'loading') return <p className="muted">读取中…</p>;
  if (q.status === 'error') return <p className="error">{q.error}</p>;
  const { house, persons, visits, events } = q.data;
  const done = (): void => (setEditing(null), q.reload());
  if (editing === 'house') return <HouseForm house={house} grid={house.grid} onDone={done} onCancel={() => setEditing(null)} />;
  if (editing === 'member') return <PersonForm house={house.id} onDone={done} onCancel={() => setEditing(null)} />;
  return (
    <div className="reg-card" data-testid="reg-house-card">
      <h4>
        <RevealField type="house" id={house.id} field="address" masked={house.address} />
        {house.pending && <span className="badge">待县级确认</span>}
        {mayEdit && (
          <>
            <button type="button" className="btn btn-small" onClick={() => setEditing('house')}>
              编辑
            </button>
            <button type="button" className="btn btn-small" onClick={() => setEditing('member')}>
              新增住户成员
            </button>
          </>
        )}
      </h4>
      <table className="reg-table" aria-label="住户成员">
        <tbody>
          {persons.map((p) => (
            <tr key={p.id}>
              <td>
                <button type="button" className="link" onClick={() => onOpen({ kind: 'person', id: p.id })}>
                  {p.name}
                </button>
                {p.id === house.head && '（户主）'}
              </td>
              <td className="mono">{p.idNumber}</td>
              <td>
                <RevealField type="person" id={p.id} field="phone" masked={p.phone} />
              </td>
              <td>{personMarks(p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section aria-label="走访记录">
        <h4>走访记录（{visits.length}）</h4>
        <ul>
          {visits.map((v) => (
            <li key={v.id}>
              {formatShanghai(v.at)} {v.workerName ?? v.worker}：{v.note || '—'}
              {v.pending && <span className="badge">待县级确认</span>}
            </li>
          ))}
        </ul>
      </section>
      <Events events={events} />
    </div>
  );
}
