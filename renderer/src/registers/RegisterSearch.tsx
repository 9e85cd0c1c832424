// Search across the registers: name, address, the last four of an ID number or a phone
// (what a masked value shows), a special group (roles that may see them) or a pool.
import { useState, type FormEvent } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { POOL_CODES, SPECIAL_GROUP_CODES, type Pool, type SpecialGroup } from '../../../core/registers/types';
import { useApi } from '../platform/context';
import { useSession } from '../session/context';
import { errorText } from '../console/data';
import { GridPicker } from './GridPicker';
import { OrganisationForm, useMayEdit } from './EditForms';
import { ORG_KIND_LABELS, RESIDENCE_LABELS, groupLabel, personMarks, poolLabel } from './labels';
import type { Open } from './RegistersScreen';

export function RegisterSearch({ onOpen }: { onOpen: (o: Open) => void }) {
  const api = useApi();
  const { may } = useSession();
  const tagsAllowed = may('registers.visitsDue');
  const [text, setText] = useState('');
  const [grid, setGrid] = useState('');
  const [tag, setTag] = useState<SpecialGroup | ''>('');
  const [pool, setPool] = useState<Pool | ''>('');
  const [result, setResult] = useState<ResultOf<'registers.search'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    try {
      setResult(await api.call('registers.search', { text, ...(grid ? { grid } : {}), ...(tag ? { tag } : {}), ...(pool ? { pool } : {}), limit: 50 }));
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <div className="reg-search">
      <form onSubmit={(e) => void submit(e)} className="reg-search-form" role="search">
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="姓名、地址、证件号或电话后四位" aria-label="查询登记" maxLength={100} />
        <GridPicker value={grid} onChange={setGrid} allowAll />
        {tagsAllowed && (
          <select value={tag} onChange={(e) => setTag(e.target.value as SpecialGroup | '')} aria-label="特殊人群">
            <option value="">特殊人群</option>
            {SPECIAL_GROUP_CODES.map((g) => (
              <option key={g} value={g}>
                {groupLabel(g)}
              </option>
            ))}
          </select>
        )}
        <select value={pool} onChange={(e) => setPool(e.target.value as Pool | '')} aria-label="人才库">
          <option value="">三库</option>
          {POOL_CODES.map((p) => (
            <option key={p} value={p}>
              {poolLabel(p)}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-primary">
          查询
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {result && <Results result={result} onOpen={onOpen} />}
    </div>
  );
}

function Results({ result, onOpen }: { result: ResultOf<'registers.search'>; onOpen: (o: Open) => void }) {
  const none = result.persons.length + result.houses.length + result.organisations.length === 0;
  return (
    <div className="reg-results" data-testid="reg-results">
      {none && <p className="muted">没有符合条件的登记。</p>}
      {result.persons.length > 0 && (
        <table className="reg-table" aria-label="人员">
          <tbody>
            {result.persons.map((p) => (
              <tr key={p.id} data-testid="reg-person">
                <td>
                  <button type="button" className="link" onClick={() => onOpen({ kind: 'person', id: p.id })}>
                    {p.name}
                  </button>
                </td>
                <td>{RESIDENCE_LABELS[p.residence]}</td>
                <td className="mono">{p.idNumber}</td>
                <td className="mono">{p.phone}</td>
                <td>{p.address}</td>
                <td>{personMarks(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.houses.length > 0 && (
        <ul aria-label="房屋">
          {result.houses.map((h) => (
            <li key={h.id}>
              <button type="button" className="link" onClick={() => onOpen({ kind: 'house', id: h.id })}>
                {h.address}
              </button>
            </li>
          ))}
        </ul>
      )}
      {result.organisations.length > 0 && (
        <ul aria-label="单位">
          {result.organisations.map((o) => (
            <Organisation key={o.id} o={o} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** An organisation of the results, with 编辑 for the roles that may edit (saved: 待县级确认). */
function Organisation({ o }: { o: ResultOf<'registers.search'>['organisations'][number] }) {
  const mayEdit = useMayEdit();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  if (editing)
    return (
      <li>
        <OrganisationForm organisation={o} grid={o.grid} onDone={() => (setEditing(false), setSaved(true))} onCancel={() => setEditing(false)} />
      </li>
    );
  return (
    <li>
      {ORG_KIND_LABELS[o.kind]}：{o.name}，{o.address}
      {(saved || o.pending) && <span className="badge">已修改,待县级确认</span>}{' '}
      {mayEdit && !saved && (
        <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
          编辑
        </button>
      )}
    </li>
  );
}
