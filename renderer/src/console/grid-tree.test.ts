import { describe, expect, it } from 'vitest';
import { findNode, levelWord, type TreeNode } from './grid-tree';

const node = (code: string, level: number, children: TreeNode[] = []): TreeNode => ({ code, name: code, level, staff: 0, children }) as unknown as TreeNode;

describe('grid tree', () => {
  const tree = node('t', 1, [node('v1', 2, [node('g1', 3), node('g2', 3)]), node('v2', 2, [node('g3', 3)])]);

  it('finds a node anywhere in the tree, or null', () => {
    expect(findNode(tree, 't')?.code).toBe('t');
    expect(findNode(tree, 'g3')?.code).toBe('g3');
    expect(findNode(tree, 'v1')?.children).toHaveLength(2);
    expect(findNode(tree, 'nope')).toBeNull();
  });

  it('names the levels', () => {
    expect([levelWord(3), levelWord(2), levelWord(1)]).toEqual(['网格', '村(社区)', '镇']);
  });
});
