// The console's first page: the town's grid tree, the selected grid, the county
// link and an honest list of what is not built yet. `#/wall` is the wall
// window's route (a placeholder in this stage).
import { useCallback, useState, useSyncExternalStore } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { useConnection, usePush, useQuery } from '../platform/hooks';
import { GridDetails } from './GridDetails';
import { GridTree } from './GridTree';
import { LinkStatus } from './LinkStatus';
import { Notice } from './Notice';

const subscribeHash = (listener: () => void): (() => void) => {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
};
const readHash = (): string => window.location.hash;

export function App() {
  const hash = useSyncExternalStore(subscribeHash, readHash);
  return hash.startsWith('#/wall') ? <WallPlaceholder /> : <Console />;
}

function Console() {
  const info = useQuery('app.info');
  const tree = useQuery('grids.tree');
  const connection = useConnection();
  const [selected, setSelected] = useState<string | null>(null);

  const reloadTree = tree.reload;
  usePush(
    'entities.changed',
    useCallback((payload) => {
      if (payload.types.includes('grid') || payload.types.includes('worker')) reloadTree();
    }, [reloadTree]),
  );

  const townName = info.data?.town.name ?? tree.data?.name ?? '…';
  const node = selected && tree.data ? findNode(tree.data, selected) : null;

  return (
    <div className="console">
      <header className="topbar">
        <h1>
          网格指挥舱 GridDeck <span className="sep">·</span> {townName}
        </h1>
        <div className="topbar-status">
          {info.data?.demo && <span className="badge badge-demo">演示数据</span>}
          <LinkStatus />
          <span className={`conn conn-${connection.state}`} title={'reason' in connection ? connection.reason : undefined}>
            数据服务:{CONNECTION_LABELS[connection.state]}
          </span>
        </div>
      </header>
      {'reason' in connection && <div className="banner banner-error">{connection.reason}</div>}
      <main className="layout">
        <aside className="panel tree-panel" aria-label="网格树">
          <h2>网格</h2>
          {tree.status === 'loading' && <p className="muted">正在读取网格…</p>}
          {tree.status === 'error' && <p className="error">{tree.error}</p>}
          {tree.status === 'ok' && tree.data === null && <p className="muted">没有网格数据。</p>}
          {tree.status === 'ok' && tree.data && <GridTree root={tree.data} selected={selected} onSelect={setSelected} />}
        </aside>
        <section className="panel detail-panel" aria-label="网格信息">
          <h2>网格信息</h2>
          {node ? <GridDetails node={node} /> : <p className="muted">在左侧选择镇、村(社区)或网格,查看编码、户数和网格员。</p>}
        </section>
        <section className="panel notice-panel" aria-label="建设进度">
          <h2>建设进度</h2>
          {info.status === 'error' && <p className="error">{info.error}</p>}
          {info.data && <Notice features={info.data.features} version={info.data.version} mode={info.data.mode} />}
        </section>
      </main>
    </div>
  );
}

const CONNECTION_LABELS = { connected: '已连接', connecting: '连接中', disconnected: '连接中断', refused: '被拒绝' } as const;

type TreeNode = NonNullable<ResultOf<'grids.tree'>>;

function findNode(node: TreeNode, code: string): TreeNode | null {
  if (node.code === code) return node;
  for (const child of node.children) {
    const found = findNode(child, code);
    if (found) return found;
  }
  return null;
}

function WallPlaceholder() {
  const info = useQuery('app.info');
  return (
    <div className="wall">
      <h1>网格指挥舱 GridDeck{info.data ? ` · ${info.data.town.name}` : ''}</h1>
      <p>大屏(全镇网格地图、实时网格员与事件、当日数据)将在后续阶段建成。</p>
      <p className="wall-note">建设中</p>
    </div>
  );
}
