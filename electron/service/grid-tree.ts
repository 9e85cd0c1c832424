// The grids.tree answer: the hierarchy without geometry, which the console's
// left panel needs on every start and which would otherwise cost the renderer
// every polygon of the town.
import type { GridTreeNode } from '../../core/api/contract';
import type { Grid, Worker } from '../../core/model';

/**
 * Nests the grids under their parents (children by code) and counts the staff of
 * each node: distinct workers responsible for it or for any grid below it.
 * Households missing on a village or the town are the sum of its children's.
 * Returns null when there is no town-level grid.
 */
export function buildGridTreeNodes(grids: readonly Grid[], workers: readonly Worker[]): GridTreeNode | null {
  const children = new Map<string, Grid[]>();
  for (const grid of grids) {
    if (grid.parent === null) continue;
    const list = children.get(grid.parent) ?? [];
    list.push(grid);
    children.set(grid.parent, list);
  }
  const workersOf = new Map<string, Set<string>>();
  for (const worker of workers) {
    for (const code of worker.grids) {
      const set = workersOf.get(code) ?? new Set<string>();
      set.add(worker.id);
      workersOf.set(code, set);
    }
  }

  const visit = (grid: Grid, seen: Set<string>): { node: GridTreeNode; staff: Set<string> } => {
    // A cycle in bad data must not hang the service.
    seen.add(grid.code);
    const staff = new Set(workersOf.get(grid.code));
    const nodes: GridTreeNode[] = [];
    const kids = [...(children.get(grid.code) ?? [])].sort((a, b) => (a.code < b.code ? -1 : 1));
    for (const child of kids) {
      if (seen.has(child.code)) continue;
      const sub = visit(child, seen);
      sub.staff.forEach((id) => staff.add(id));
      nodes.push(sub.node);
    }
    const node: GridTreeNode = {
      code: grid.code,
      name: grid.name,
      level: grid.level,
      kind: grid.kind,
      staff: staff.size,
      children: nodes,
    };
    // A village's own record rarely carries households: show the sum of its grids.
    const summed = nodes.reduce<number | undefined>(
      (sum, n) => (n.households === undefined ? sum : (sum ?? 0) + n.households),
      undefined,
    );
    const households = grid.households ?? summed;
    if (households !== undefined) node.households = households;
    return { node, staff };
  };

  const town = grids.find((g) => g.level === 1);
  return town ? visit(town, new Set()).node : null;
}
