// The 督办 list: each supervision with its level, 督办单 number, deadline and state
// (督办中, 已办复, 已超期), the supervised unit's latest step, and its 督办单 as Word or PDF.
import { useEffect, useState } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { SUPERVISION_LEVEL_LABELS, SUPERVISION_STATE_LABELS, type SupervisionState } from '../../../core/desk/supervision';
import { useApi } from '../platform/context';
import { useSession } from '../session/context';
import { commandLabel } from '../console/actions';
import { formatShort } from '../console/common';
import { errorText } from '../console/data';
import { fileUrl, saveNow, useDeskQuery } from './desk-data';

type Item = ResultOf<'desk.supervisions'>[number];

const FILTERS: ReadonlyArray<[SupervisionState | 'all', string]> = [
  ['all', '全部'],
  ['overdue', SUPERVISION_STATE_LABELS.overdue],
  ['open', SUPERVISION_STATE_LABELS.open],
  ['answered', SUPERVISION_STATE_LABELS.answered],
];

export function SupervisionList({ onOpen }: { onOpen: (id: string) => void }) {
  const [state, setState] = useState<SupervisionState | 'all'>('all');
  const list = useDeskQuery('desk.supervisions', state === 'all' ? {} : { state });
  return (
    <div className="desk-list" aria-label="督办清单">
      <div className="desk-filters" role="radiogroup" aria-label="督办状态">
        {FILTERS.map(([key, label]) => (
          <label key={key} className={state === key ? 'on' : ''}>
            <input type="radio" name="desk-sv-state" checked={state === key} onChange={() => setState(key)} />
            {label}
          </label>
        ))}
      </div>
      {list.error && <p className="form-error">{list.error}</p>}
      {list.data === undefined && !list.error && <p className="muted">正在读取督办清单…</p>}
      {list.data?.length === 0 && <p className="muted">没有督办事项。</p>}
      <ul className="desk-items">
        {list.data?.map((item) => (
          <SupervisionRow key={item.supervision.id} item={item} onOpen={onOpen} />
        ))}
      </ul>
    </div>
  );
}

export function SupervisionRow({ item, onOpen }: { item: Item; onOpen?: (id: string) => void }) {
  const s = item.supervision;
  const last = item.followUp.at(-1);
  return (
    <li className={`desk-item desk-sv-${item.state}`} data-supervision={s.number}>
      <div className="desk-item-head">
        <span className={`cbadge desk-level-${s.level}`}>{SUPERVISION_LEVEL_LABELS[s.level]}</span>
        <span className="mono small">{s.number}</span>
        <span className={`cbadge desk-state desk-state-${item.state}`}>{SUPERVISION_STATE_LABELS[item.state]}</span>
      </div>
      {item.event && onOpen ? (
        <button type="button" className="btn btn-link desk-open" onClick={() => onOpen(s.eventId)}>
          {item.event.code} {item.event.title}
        </button>
      ) : (
        item.event && (
          <span>
            {item.event.code} {item.event.title}
          </span>
        )
      )}
      <p className="small">
        办理时限 {formatShort(s.deadline)} · {s.by.name}督办于 {formatShort(s.at)}
      </p>
      <p className="small muted">督办要求：{s.requirement}</p>
      <p className="small">
        办理进展：{last ? `${formatShort(last.at)} ${commandLabel(last.action)}${last.note ? `：${last.note}` : ''}` : '督办后尚无办理记录'}
        {item.followUp.length > 1 && `（共 ${item.followUp.length} 条）`}
      </p>
      <DocumentButtons id={s.id} />
    </li>
  );
}

/** The 督办单 as Word or PDF, for the roles that may have it: made on demand, saved, and kept as a link to save again. */
export function DocumentButtons({ id }: { id: number }) {
  const api = useApi();
  const { may } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<{ url: string; filename: string } | null>(null);
  useEffect(() => () => void (made && URL.revokeObjectURL(made.url)), [made]);
  if (!may('desk.supervisionDocument')) return null;
  const get = async (format: 'docx' | 'pdf'): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const file = await api.call('desk.supervisionDocument', { id, format });
      const url = fileUrl(file);
      setMade({ url, filename: file.filename });
      saveNow(url, file.filename);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="desk-doc">
      督办单：
      <button type="button" className="btn btn-small" disabled={busy} onClick={() => void get('docx')}>
        下载 Word
      </button>
      <button type="button" className="btn btn-small" disabled={busy} onClick={() => void get('pdf')}>
        下载 PDF
      </button>
      {busy && <span className="muted small">正在生成…</span>}
      {made && (
        <a className="small" href={made.url} download={made.filename}>
          保存 {made.filename}
        </a>
      )}
      {error && <span className="form-error small">{error}</span>}
    </div>
  );
}
