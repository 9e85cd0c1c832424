// The week's visits (方案1: 网格长每周对生活困难家庭、空巢老人家庭、留守儿童家庭、残疾人家庭等
// 登门走访…做好登记): the households still due this week, recording a visit (worker, note,
// time), and the coverage per grid and per worker.
import { useState, type FormEvent } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { useApi } from '../platform/context';
import { useQuery } from '../platform/hooks';
import { useSession } from '../session/context';
import { errorText } from '../console/data';
import { GridPicker } from './GridPicker';
import { groupLabel } from './labels';
import { formatShanghai } from './time';
import type { Open } from './RegistersScreen';

type Due = ResultOf<'registers.visitsDue'>['households'][number];

export function VisitsPanel({ onOpen }: { onOpen: (o: Open) => void }) {
  const { may } = useSession();
  const [grid, setGrid] = useState('');
  const [round, setRound] = useState(0);
  const args = grid ? { grid } : {};
  return (
    <div className="reg-visits">
      <GridPicker value={grid} onChange={setGrid} allowAll />
      <div className="reg-row">
        {may('registers.visitsDue') && <DueList key={`${grid}-${round}`} args={args} onOpen={onOpen} onRecorded={() => setRound((r) => r + 1)} />}
        <Coverage key={`c-${grid}-${round}`} args={args} />
      </div>
    </div>
  );
}

function DueList({ args, onOpen, onRecorded }: { args: { grid?: string }; onOpen: (o: Open) => void; onRecorded: () => void }) {
  const q = useQuery('registers.visitsDue', args);
  const [recording, setRecording] = useState<Due | null>(null);
  if (q.status === 'loading') return <p className="muted">读取中…</p>;
  if (q.status === 'error') return <p className="error">{q.error}</p>;
  return (
    <section className="reg-list" aria-label="本周待走访">
      <h4>
        本周待走访（{q.data.households.length} 户，{formatShanghai(q.data.week.from)} 起）
      </h4>
      {recording && <RecordVisit due={recording} onDone={() => (setRecording(null), onRecorded())} onCancel={() => setRecording(null)} />}
      <ul>
        {q.data.households.slice(0, 200).map((h) => (
          <li key={h.house.id} data-testid="reg-due">
            <button type="button" className="link" onClick={() => onOpen({ kind: 'house', id: h.house.id })}>
              {h.house.address}
            </button>{' '}
            {h.groups.map(groupLabel).join('、')} {h.lastVisitAt ? `上次 ${formatShanghai(h.lastVisitAt)}` : '未走访'}{' '}
            <RecordButton onClick={() => setRecording(h)} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function RecordButton({ onClick }: { onClick: () => void }) {
  const { may } = useSession();
  if (!may('registers.visit.record')) return null;
  return (
    <button type="button" className="btn btn-small" onClick={onClick}>
      登记走访
    </button>
  );
}

function RecordVisit({ due, onDone, onCancel }: { due: Due; onDone: () => void; onCancel: () => void }) {
  const api = useApi();
  const workers = useQuery('workers.list', { grid: due.house.grid });
  const [worker, setWorker] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const list = workers.status === 'ok' ? workers.data : [];
  const chosen = worker || list[0]?.id || '';
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (chosen === '') return setError('请选择走访的网格员');
    try {
      await api.call('registers.visit.record', { house: due.house.id, worker: chosen, note });
      onDone();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form className="reg-visit-form" onSubmit={(e) => void submit(e)} aria-label="登记走访">
      <div>{due.house.address}</div>
      <select value={chosen} onChange={(e) => setWorker(e.target.value)} aria-label="走访网格员">
        {list.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
      <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="走访情况" aria-label="走访情况" maxLength={2000} />
      <button type="submit" className="btn btn-primary btn-small">
        保存
      </button>
      <button type="button" className="btn btn-small" onClick={onCancel}>
        取消
      </button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}

function Coverage({ args }: { args: { grid?: string } }) {
  const q = useQuery('registers.coverage', args);
  if (q.status !== 'ok') return q.status === 'error' ? <p className="error">{q.error}</p> : null;
  return (
    <section className="reg-list" aria-label="走访覆盖" data-testid="reg-coverage">
      <h4>本周走访覆盖</h4>
      <table className="reg-table" aria-label="按网格">
        <thead>
          <tr>
            <th>网格</th>
            <th>应走访</th>
            <th>已走访</th>
            <th>覆盖率</th>
          </tr>
        </thead>
        <tbody>
          {q.data.byGrid.map((g) => (
            <tr key={g.grid}>
              <td>{g.name}</td>
              <td>{g.toVisit}</td>
              <td>{g.visited}</td>
              <td>{Math.round(g.rate * 100)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="reg-table" aria-label="按网格员">
        <thead>
          <tr>
            <th>网格员</th>
            <th>走访次数</th>
            <th>走访户数</th>
          </tr>
        </thead>
        <tbody>
          {q.data.byWorker.map((w) => (
            <tr key={w.worker} data-testid={`reg-worker-${w.worker}`}>
              <td>{w.name}</td>
              <td>{w.visits}</td>
              <td>{w.households}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
