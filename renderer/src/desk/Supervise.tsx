// 督办 on the open event: the form (level, 办理时限, 督办要求) that sends event.supervise to
// the county and keeps the town's record, and the event's supervisions with their 督办单.
import { useId, useState, type FormEvent } from 'react';
import type { GridEvent } from '../../../core/model';
import { DEFAULT_SUPERVISION_LIMITS, SUPERVISION_LEVELS, SUPERVISION_LEVEL_LABELS, type SupervisionLevel } from '../../../core/desk/supervision';
import { formatLimit } from '../../../core/events/labels';
import { toIso } from '../../../core/time/shanghai';
import { useApi } from '../platform/context';
import { useSession } from '../session/context';
import { FieldName } from '../console/common';
import { errorText } from '../console/data';
import { SupervisionRow } from './SupervisionList';
import { useDeskQuery } from './desk-data';
import './desk.css';

/** "2026-12-05T17:30" typed in a datetime-local box (Shanghai time) as an ISO instant; '' → undefined. */
export function deadlineFromInput(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const ms = Date.parse(`${value.length === 16 ? `${value}:00` : value}+08:00`);
  return Number.isFinite(ms) ? toIso(ms) : undefined;
}

/** The event's supervisions (level, number, deadline, state, progress) with their 督办单. */
export function EventSupervisions({ event }: { event: GridEvent }) {
  const { may } = useSession();
  const list = useDeskQuery('desk.supervisions', { eventId: event.id }, may('desk.supervisions'));
  if (!may('desk.supervisions')) return null;
  return (
    <section className="ed-section" aria-label="督办">
      <h3>督办{list.data && list.data.length > 0 ? `（${list.data.length}）` : ''}</h3>
      {list.data?.length === 0 && <p className="muted small">尚未督办。</p>}
      <ul className="desk-items">
        {list.data?.map((item) => (
          <SupervisionRow key={item.supervision.id} item={item} />
        ))}
      </ul>
    </section>
  );
}

/**
 * The toolbar's 督办 for a role that may give one with its level and deadline: the form
 * that sends event.supervise and keeps the town's record (its 督办单), and what came of it.
 */
export function SuperviseAction({ event, label }: { event: GridEvent; label: string }) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <button type="button" className="btn btn-plain" onClick={() => (setDone(null), setOpen(true))}>
        {label}
      </button>
      {done && (
        <span className="notice-ok small" role="status">
          {done}
        </span>
      )}
      {open && (
        <SuperviseDialog
          event={event}
          onClose={() => setOpen(false)}
          onDone={(number) => {
            setOpen(false);
            setDone(`已督办，督办单 ${number} 已生成（本地已生效，等待县级平台确认）`);
          }}
        />
      )}
    </>
  );
}

function SuperviseDialog({ event, onClose, onDone }: { event: GridEvent; onClose: () => void; onDone: (number: string) => void }) {
  const api = useApi();
  const { user } = useSession();
  const titleId = useId();
  const [level, setLevel] = useState<SupervisionLevel>(user.role === 'leader' ? 'leader' : 'dispatch');
  const [deadline, setDeadline] = useState('');
  const [requirement, setRequirement] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (requirement.trim() === '') return setError('请填写督办要求。');
    const asked = deadlineFromInput(deadline);
    if (deadline.trim() !== '' && asked === undefined) return setError('办理时限的格式不对。');
    setBusy(true);
    try {
      const r = await api.call('desk.supervise', { eventId: event.id, level, requirement: requirement.trim(), ...(asked ? { deadline: asked } : {}) });
      onDone(r.supervision.number);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} onSubmit={(e) => void submit(e)} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <h3 id={titleId}>
          督办<span className="muted small"> · {event.code} {event.title}</span>
        </h3>
        <label className="field">
          督办级别
          <select value={level} onChange={(e) => setLevel(e.target.value as SupervisionLevel)}>
            {SUPERVISION_LEVELS.map((l) => (
              <option key={l} value={l}>
                {SUPERVISION_LEVEL_LABELS[l]}（默认时限 {formatLimit(DEFAULT_SUPERVISION_LIMITS[l])}）
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          办理时限（可不填，按默认时限）
          <input type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
        </label>
        <label className="field">
          <FieldName required>督办意见（督办要求）</FieldName>
          <textarea rows={3} value={requirement} placeholder="例如：请于时限内办结并书面回复办理结果" onChange={(e) => setRequirement(e.target.value)} />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-buttons">
          <button type="button" className="btn" onClick={onClose}>
            取消
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            确定督办
          </button>
        </div>
      </form>
    </div>
  );
}
