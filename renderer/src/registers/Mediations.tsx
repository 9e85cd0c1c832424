// 矛盾纠纷调解档案 (方案6: 建立矛盾纠纷调解档案): a grid's (or a village's) mediation files,
// newest first, and the form that adds or edits one (parties, dispute, result, date,
// status), queued for the county like any register edit (registers.mediation.save).
import { useState } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { addDays, parseIso, shanghaiDate, shanghaiMidnight, toIso } from '../../../core/time/shanghai';
import { useApi } from '../platform/context';
import { useQuery } from '../platform/hooks';
import { EditForm, Text, useMayEdit } from './EditForms';
import { GridPicker } from './GridPicker';

type File = ResultOf<'registers.mediations'>[number];
const STATUS_LABELS = { open: '在办', resolved: '已结' } as const;

export function Mediations({ grid }: { grid: string }) {
  const q = useQuery('registers.mediations', { grid, limit: 100 });
  const mayEdit = useMayEdit();
  const [editing, setEditing] = useState<File | 'new' | null>(null);
  if (q.status === 'loading') return <p className="muted">读取中…</p>;
  if (q.status === 'error') return <p className="error">{q.error}</p>;
  const done = (): void => (setEditing(null), q.reload());
  return (
    <section className="reg-list" aria-label="调解档案" data-testid="reg-mediations">
      <h4>
        矛盾纠纷调解档案（{q.data.length}）
        {mayEdit && editing === null && (
          <button type="button" className="btn btn-small" onClick={() => setEditing('new')}>
            新增调解档案
          </button>
        )}
      </h4>
      {editing !== null && <MediationForm file={editing === 'new' ? undefined : editing} grid={grid} onDone={done} onCancel={() => setEditing(null)} />}
      {q.data.length === 0 && <p className="muted">暂无调解档案。</p>}
      <ul>
        {q.data.map((m) => (
          <li key={m.id}>
            {shanghaiDate(parseIso(m.openedAt))} {m.title}（当事人：{m.parties.join('、')}；{STATUS_LABELS[m.status]}）{m.summary && `调解结果：${m.summary}`}
            {m.pending && <span className="badge">待县级确认</span>}{' '}
            {mayEdit && editing === null && (
              <button type="button" className="btn btn-small" onClick={() => setEditing(m)}>
                编辑
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function MediationForm({ file, grid: initialGrid, onDone, onCancel }: { file: File | undefined; grid: string; onDone: () => void; onCancel: () => void }) {
  const api = useApi();
  const [grid, setGrid] = useState(file?.grid ?? initialGrid);
  const [title, setTitle] = useState(file?.title ?? '');
  const [parties, setParties] = useState(file?.parties.join('、') ?? '');
  const [date, setDate] = useState(file ? shanghaiDate(parseIso(file.openedAt)) : shanghaiDate(Date.now()));
  const [status, setStatus] = useState<'open' | 'resolved'>(file?.status ?? 'open');
  const [summary, setSummary] = useState(file?.summary ?? '');
  const names = parties.split(/[、,，;；\s]+/).filter((p) => p !== '');
  const errors = (): string[] => {
    const out: string[] = [];
    if (title.trim() === '') out.push('请填写纠纷事由');
    if (names.length === 0) out.push('请填写至少一名当事人(以顿号分隔)');
    if (names.some((n) => n.includes('*'))) out.push('当事人姓名不完整(含 *)');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || shanghaiMidnight(date) > shanghaiMidnight(addDays(shanghaiDate(Date.now()), 1))) out.push('请填写有效的受理日期(不晚于今天)');
    if (status === 'resolved' && summary.trim() === '') out.push('已结案的档案请填写调解结果');
    return out;
  };
  return (
    <EditForm
      label={file ? '编辑调解档案' : '新增调解档案'}
      errors={errors}
      save={() => api.call('registers.mediation.save', { ...(file ? { id: file.id } : {}), grid, title, parties: names, openedAt: toIso(shanghaiMidnight(date)), status, summary })}
      onDone={onDone}
      onCancel={onCancel}
    >
      <GridPicker value={grid} onChange={setGrid} />
      <Text label="当事人" value={parties} onChange={setParties} />
      <Text label="纠纷事由" value={title} onChange={setTitle} />
      <label>
        受理日期
        <input type="date" value={date} onChange={(e) => setDate(e.target.value)} aria-label="受理日期" />
      </label>
      <label>
        状态
        <select value={status} onChange={(e) => setStatus(e.target.value as 'open' | 'resolved')} aria-label="状态">
          <option value="open">在办</option>
          <option value="resolved">已结</option>
        </select>
      </label>
      <Text label="调解结果" value={summary} onChange={setSummary} max={2000} />
    </EditForm>
  );
}
