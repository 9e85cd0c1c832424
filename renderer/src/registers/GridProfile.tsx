// A grid's (or a village's) profile: households, people (floating among them),
// organisations, special groups and the three pools with their counts, mediation files,
// the map of its houses and organisations, and its households to open.
import { useState } from 'react';
import { useQuery } from '../platform/hooks';
import { GridPicker } from './GridPicker';
import { MiniMap } from './MiniMap';
import { HouseForm, OrganisationForm, useMayEdit } from './EditForms';
import { Mediations } from './Mediations';
import type { Open } from './RegistersScreen';

export function GridProfile({ onOpen }: { onOpen: (o: Open) => void }) {
  const [grid, setGrid] = useState('');
  const grids = useQuery('grids.list', {});
  const first = grids.status === 'ok' ? (grids.data.find((g) => g.level === 3)?.code ?? '') : '';
  const code = grid || first;
  const shape = grids.status === 'ok' ? grids.data.find((g) => g.code === code) : undefined;
  return (
    <div className="reg-profile">
      <GridPicker value={code} onChange={setGrid} />
      {code !== '' && <AddButtons key={code} grid={code} onOpen={onOpen} />}
      {code !== '' && <ProfileCounts grid={code} />}
      <div className="reg-row">
        {shape && <MiniMap grid={shape} />}
        {code !== '' && <Households grid={code} onOpen={onOpen} />}
        {code !== '' && <Mediations grid={code} />}
      </div>
    </div>
  );
}

function ProfileCounts({ grid }: { grid: string }) {
  const q = useQuery('registers.grid', { grid });
  if (q.status === 'loading') return <p className="muted">读取中…</p>;
  if (q.status === 'error') return <p className="error">{q.error}</p>;
  const p = q.data;
  return (
    <div className="reg-counts" data-testid="reg-profile">
      <dl className="ed-facts">
        <dt>户数</dt>
        <dd data-testid="reg-households">{p.households}</dd>
        <dt>实有人口</dt>
        <dd>
          {p.persons}（流动 {p.floating}）
        </dd>
        <dt>单位、企业</dt>
        <dd>{p.organisations}</dd>
        <dt>调解档案</dt>
        <dd>
          在办 {p.mediations.open}，已结 {p.mediations.resolved}
        </dd>
        {p.pools.map((x) => (
          <span key={x.pool} style={{ display: 'contents' }}>
            <dt>{x.label}库</dt>
            <dd>{x.persons} 人</dd>
          </span>
        ))}
      </dl>
      {p.groups && (
        <table className="reg-table" aria-label="特殊人群">
          <thead>
            <tr>
              <th>特殊人群</th>
              <th>人数</th>
              <th>户数</th>
              <th>关怀频次</th>
            </tr>
          </thead>
          <tbody>
            {p.groups.map((g) => (
              <tr key={g.group}>
                <td>{g.label}</td>
                <td>{g.persons}</td>
                <td>{g.households}</td>
                <td>{g.care === 'weekly' ? '每周走访' : '每月跟进'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Households({ grid, onOpen }: { grid: string; onOpen: (o: Open) => void }) {
  const q = useQuery('registers.search', { grid, limit: 100 });
  if (q.status !== 'ok') return null;
  return (
    <div className="reg-list" aria-label="住户">
      <h4>住户（前 {q.data.houses.length} 户）</h4>
      <ul>
        {q.data.houses.map((h) => (
          <li key={h.id}>
            <button type="button" className="link" onClick={() => onOpen({ kind: 'house', id: h.id })}>
              {h.address}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** 新增房屋 / 新增单位 for the roles that may edit (a new house opens on its card). */
function AddButtons({ grid, onOpen }: { grid: string; onOpen: (o: Open) => void }) {
  const mayEdit = useMayEdit();
  const [adding, setAdding] = useState<'house' | 'organisation' | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  if (!mayEdit) return null;
  if (adding === 'house') return <HouseForm grid={grid} onDone={(id) => (setAdding(null), onOpen({ kind: 'house', id }))} onCancel={() => setAdding(null)} />;
  if (adding === 'organisation') return <OrganisationForm grid={grid} onDone={() => (setAdding(null), setSaved('单位已保存,待县级确认'))} onCancel={() => setAdding(null)} />;
  return (
    <div className="reg-edit-actions">
      <button type="button" className="btn btn-small" onClick={() => setAdding('house')}>
        新增房屋
      </button>
      <button type="button" className="btn btn-small" onClick={() => setAdding('organisation')}>
        新增单位
      </button>
      {saved && <span className="muted">{saved}</span>}
    </div>
  );
}
