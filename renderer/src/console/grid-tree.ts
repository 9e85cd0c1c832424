// The town's grid tree as the console reads it: a node by its code, and its level in words.
import type { ResultOf } from '../../../core/api/contract';

export type TreeNode = NonNullable<ResultOf<'grids.tree'>>;

/** The node with this code under `node` (itself included), or null. */
export function findNode(node: TreeNode, code: string): TreeNode | null {
  if (node.code === code) return node;
  for (const child of node.children) {
    const found = findNode(child, code);
    if (found) return found;
  }
  return null;
}

/** What a node of this level is called: 网格 (3), 村(社区) (2), 镇 (the town). */
export const levelWord = (level: number): string => (level === 3 ? '网格' : level === 2 ? '村(社区)' : '镇');
