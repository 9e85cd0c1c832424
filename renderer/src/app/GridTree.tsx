// The town → 村/社区 → 网格 tree of the left panel. Villages fold; the town is
// always open. Dedicated grids (专属网格: a school, a market, an enterprise) are
// marked, since they are staffed and dispatched differently from basic grids.
import { useState } from 'react';
import type { GridTreeNode } from '../../../core/api/contract';
import { KIND_LABELS, gridCountLabel } from '../ui/format';

interface Props {
  root: GridTreeNode;
  selected: string | null;
  onSelect: (code: string) => void;
}

export function GridTree({ root, selected, onSelect }: Props) {
  const [folded, setFolded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (code: string): void =>
    setFolded((prev) => {
      const next = new Set(prev);
      if (next.has(code)) next.delete(code);
      else next.add(code);
      return next;
    });

  return (
    <ul className="tree" role="tree">
      <li role="treeitem" aria-expanded="true" aria-selected={selected === root.code}>
        <Row node={root} selected={selected} onSelect={onSelect} extra={`${root.children.length} 个村(社区)`} />
        <ul role="group">
          {root.children.map((village) => {
            const open = !folded.has(village.code);
            return (
              <li key={village.code} role="treeitem" aria-expanded={open} aria-selected={selected === village.code}>
                <button
                  type="button"
                  className="fold"
                  aria-label={open ? `收起${village.name}` : `展开${village.name}`}
                  onClick={() => toggle(village.code)}
                >
                  {open ? '▾' : '▸'}
                </button>
                <Row node={village} selected={selected} onSelect={onSelect} extra={gridCountLabel(village.children)} />
                {open && (
                  <ul role="group">
                    {village.children.map((grid) => (
                      <li key={grid.code} role="treeitem" aria-selected={selected === grid.code}>
                        <Row node={grid} selected={selected} onSelect={onSelect} />
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      </li>
    </ul>
  );
}

function Row({
  node,
  selected,
  onSelect,
  extra,
}: {
  node: GridTreeNode;
  selected: string | null;
  onSelect: (code: string) => void;
  extra?: string;
}) {
  return (
    <button
      type="button"
      className={`row level-${node.level}${selected === node.code ? ' selected' : ''}`}
      onClick={() => onSelect(node.code)}
    >
      <span className="name">{node.name}</span>
      {node.kind === 'dedicated' && <span className="badge badge-dedicated">{KIND_LABELS.dedicated}</span>}
      {extra && <span className="count">{extra}</span>}
    </button>
  );
}
