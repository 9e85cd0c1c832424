// The desk's work lists beside the queue: 督办, 挂账缓办 (with how long), 延期待审批 (approved
// or denied in place), 退回待重派, and what falls due within the next working day.
import { useState } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { CLOCK_KIND_LABELS, formatLimit } from '../../../core/events/labels';
import { WORK_LISTS, WORK_LIST_LABELS, formatDuration, type WorkListKind } from '../../../core/desk/worklists';
import { useSession } from '../session/context';
import { useCommands } from '../console/commands';
import { StatusBadge, formatShort } from '../console/common';
import { SupervisionList } from './SupervisionList';
import { useDeskQuery } from './desk-data';
import './desk.css';

type Tab = 'supervision' | WorkListKind;
type Item = ResultOf<'desk.worklist'>['items'][number];

export function DeskPanel({ onOpen }: { onOpen: (id: string) => void }) {
  const { may } = useSession();
  const [tab, setTab] = useState<Tab>('supervision');
  const tabs: Tab[] = ['supervision', ...(may('desk.worklist') ? WORK_LISTS : [])];
  return (
    <div className="desk-panel" aria-label="督办与工作清单">
      <div className="desk-tabs" role="tablist" aria-label="工作清单">
        {tabs.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'on' : ''} onClick={() => setTab(t)}>
            {t === 'supervision' ? '督办' : WORK_LIST_LABELS[t]}
          </button>
        ))}
      </div>
      {tab === 'supervision' ? <SupervisionList onOpen={onOpen} /> : <WorkList kind={tab} onOpen={onOpen} />}
    </div>
  );
}

function WorkList({ kind, onOpen }: { kind: WorkListKind; onOpen: (id: string) => void }) {
  const list = useDeskQuery('desk.worklist', { kind });
  const items = list.data?.items;
  return (
    <div className="desk-list" aria-label={WORK_LIST_LABELS[kind]}>
      {list.error && <p className="form-error">{list.error}</p>}
      {items === undefined && !list.error && <p className="muted">正在读取…</p>}
      {items?.length === 0 && <p className="muted">没有{WORK_LIST_LABELS[kind]}的事件。</p>}
      {list.data && list.data.total > list.data.items.length && <p className="muted small">共 {list.data.total} 件，显示前 {list.data.items.length} 件。</p>}
      <ul className="desk-items">
        {items?.map((item) => (
          <li key={item.event.id} className="desk-item" data-event-id={item.event.id}>
            <div className="desk-item-head">
              <StatusBadge status={item.event.status} />
              <button type="button" className="btn btn-link desk-open" onClick={() => onOpen(item.event.id)}>
                {item.event.code} {item.event.title}
              </button>
            </div>
            <ItemFacts kind={kind} item={item} />
            {kind === 'extensions' && <ExtensionDecision item={item} onDone={list.reload} />}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ItemFacts({ kind, item }: { kind: WorkListKind; item: Item }) {
  if (kind === 'suspended') {
    return (
      <p className="small">
        已挂账 {item.minutes === null ? '—' : formatDuration(item.minutes)}
        {item.since && `（自 ${formatShort(item.since)}）`}
        {item.reason && ` · 原因：${item.reason}`}
      </p>
    );
  }
  if (kind === 'extensions') {
    const r = item.event.extensionRequest;
    return <p className="small">{r ? `申请延期 ${formatLimit(r.by)} · ${formatShort(r.at)} · 理由：${r.reason}` : ''}</p>;
  }
  if (kind === 'returned') return <p className="small">{item.since && `${formatShort(item.since)} 退回`} · 原因：{item.reason}</p>;
  return <p className="small">{item.due && `${CLOCK_KIND_LABELS[item.due.clock]}截止 ${formatShort(item.due.at)}`}</p>;
}

/** 批准 or 驳回 a pending extension without leaving the list (a reason is asked for a denial). */
function ExtensionDecision({ item, onDone }: { item: Item; onDone: () => void }) {
  const { may } = useSession();
  const { run } = useCommands();
  const [denying, setDenying] = useState(false);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (!may('event.approveExtension')) return null;
  const decide = async (name: 'event.approveExtension' | 'event.denyExtension'): Promise<void> => {
    if (name === 'event.denyExtension' && reason.trim() === '') return setMessage({ ok: false, text: '请填写驳回延期的理由。' });
    const outcome = await run(name, name === 'event.denyExtension' ? { id: item.event.id, reason: reason.trim() } : { id: item.event.id });
    setMessage(outcome.ok ? { ok: true, text: name === 'event.approveExtension' ? '已批准延期' : '已驳回延期' } : { ok: false, text: outcome.message });
    if (outcome.ok) onDone();
  };
  return (
    <div className="desk-decide">
      <button type="button" className="btn btn-small btn-primary" onClick={() => void decide('event.approveExtension')}>
        批准延期
      </button>
      {denying ? (
        <>
          <input aria-label="驳回理由" value={reason} placeholder="驳回理由" onChange={(e) => setReason(e.target.value)} />
          <button type="button" className="btn btn-small btn-danger" onClick={() => void decide('event.denyExtension')}>
            确定驳回
          </button>
        </>
      ) : (
        <button type="button" className="btn btn-small" onClick={() => setDenying(true)}>
          驳回
        </button>
      )}
      {message && <span className={message.ok ? 'notice-ok small' : 'form-error small'}>{message.text}</span>}
    </div>
  );
}
