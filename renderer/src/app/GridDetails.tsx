// The selected node: code, level, kind, households and the grid workers
// responsible for it (the 1+1+1+N team of the seed: 网格长、镇网格员、村网格员、网格联络员).
import type { GridTreeNode } from '../../../core/api/contract';
import { useQuery } from '../platform/hooks';
import { KIND_LABELS, LEVEL_LABELS, WORKER_ROLE_LABELS, gridCountLabel } from '../ui/format';

export function GridDetails({ node }: { node: GridTreeNode }) {
  return (
    <div className="details">
      <h3>
        {node.name}
        {node.kind === 'dedicated' && <span className="badge badge-dedicated">{KIND_LABELS.dedicated}</span>}
      </h3>
      <dl>
        <dt>编码</dt>
        <dd className="mono">{node.code}</dd>
        <dt>层级</dt>
        <dd>{LEVEL_LABELS[node.level]}</dd>
        {node.level === 3 && (
          <>
            <dt>类型</dt>
            <dd>{KIND_LABELS[node.kind]}</dd>
          </>
        )}
        {node.level < 3 && (
          <>
            <dt>下辖</dt>
            <dd>{node.level === 1 ? `${node.children.length} 个村(社区)` : gridCountLabel(node.children)}</dd>
          </>
        )}
        <dt>户数</dt>
        <dd>{node.households === undefined ? '—' : `${node.households} 户${node.level < 3 ? '(合计)' : ''}`}</dd>
        <dt>网格员</dt>
        <dd>{node.staff} 人</dd>
      </dl>
      {node.level === 3 && <GridStaff code={node.code} />}
    </div>
  );
}

function GridStaff({ code }: { code: string }) {
  const workers = useQuery('workers.list', { grid: code });
  if (workers.status === 'loading') return <p className="muted">正在读取网格员…</p>;
  if (workers.status === 'error') return <p className="error">{workers.error}</p>;
  if (workers.data.length === 0) return <p className="muted">本网格尚未配备网格员。</p>;
  return (
    <table className="staff">
      <thead>
        <tr>
          <th>姓名</th>
          <th>岗位</th>
          <th>电话</th>
          <th>在岗</th>
        </tr>
      </thead>
      <tbody>
        {workers.data.map((w) => (
          <tr key={w.id}>
            <td>{w.name}</td>
            <td>{WORKER_ROLE_LABELS[w.role]}</td>
            <td className="mono">{w.phone}</td>
            <td>{w.onDuty ? '在岗' : '不在岗'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
