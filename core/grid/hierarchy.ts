// The grid hierarchy (镇 → 村/社区 → 网格) checked as a whole, as it arrives from
// the county or the demo generator. Every rule violation becomes one readable
// Chinese message; the tree still holds every grid whose code is usable, so a
// map can show a flawed set while the operator reads what is wrong with it.
import type { GridTreeNode } from '../api/contract';
import type { Grid, GridLevel, Worker } from '../model';
import { CODE_LENGTH, levelOfCode, parentCode, parseGridCode } from './codes';

/**
 * The set indexed by code. Relations follow the codes (prefixes), which carry the
 * hierarchy; the declared `parent` is only checked against them.
 */
export interface GridTree {
  /** The level-1 grids (towns), and any grid whose parent is missing, by code. */
  readonly roots: readonly Grid[];
  /** Number of grids in the tree. */
  readonly size: number;
  byCode(code: string): Grid | undefined;
  /** The parent by code prefix, when it is in the set. */
  parent(code: string): Grid | undefined;
  /** Direct children, by code. Empty for an unknown code. */
  children(code: string): Grid[];
  /** Parent first, then up to the town. Empty for an unknown code or a root. */
  ancestors(code: string): Grid[];
  /** All grids below `code`, depth first by code; only those of `level` when given. */
  descendants(code: string, level?: GridLevel): Grid[];
  /** Every grid of a level, by code. */
  atLevel(level: GridLevel): Grid[];
}

export interface GridTreeResult {
  tree: GridTree;
  /** One message per broken rule (Chinese); empty when the set is valid. */
  errors: string[];
}

const KINDS: ReadonlySet<unknown> = new Set(['basic', 'dedicated']);
const LEVEL_NAME: Readonly<Record<GridLevel, string>> = { 1: '镇', 2: '村或社区', 3: '网格' };

const byCodeOrder = (a: Grid, b: Grid): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

function label(grid: Grid): string {
  const name = typeof grid.name === 'string' && grid.name.trim() !== '' ? `(${grid.name})` : '';
  return `网格 ${String(grid.code)}${name}`;
}

function geometryProblem(grid: Grid): string | null {
  const g = grid.geometry as unknown;
  if (typeof g !== 'object' || g === null) return '缺少边界(geometry)';
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' && type !== 'MultiPolygon') return `边界类型应为Polygon或MultiPolygon,实际为${String(type)}`;
  if (!Array.isArray(coordinates) || coordinates.length === 0) return '边界没有坐标';
  return null;
}

/** Validate a whole set of grids and index it. Never throws on bad data. */
export function buildGridTree(grids: readonly Grid[]): GridTreeResult {
  const errors: string[] = [];
  const map = new Map<string, Grid>();

  for (const grid of grids) {
    const parsed = parseGridCode(grid.code);
    if (!parsed.ok) {
      errors.push(`网格编码“${String(grid.code)}”无效:${parsed.error}`);
      continue;
    }
    const first = map.get(grid.code);
    if (first) {
      errors.push(`网格编码 ${grid.code} 重复:“${first.name}”与“${grid.name}”`);
      continue;
    }
    map.set(grid.code, grid);
  }

  for (const grid of map.values()) {
    const who = label(grid);
    const level = codeLevel(grid.code);
    if (typeof grid.name !== 'string' || grid.name.trim() === '') errors.push(`${who}:名称为空`);
    if (grid.level !== level) {
      errors.push(`${who}:层级应为${level}(${LEVEL_NAME[level]},编码${grid.code.length}位),实际为${String(grid.level)}`);
    }
    if (!KINDS.has(grid.kind)) errors.push(`${who}:类型应为basic(基础网格)或dedicated(专属网格),实际为${String(grid.kind)}`);
    const geometry = geometryProblem(grid);
    if (geometry) errors.push(`${who}:${geometry}`);

    const expected = parentCode(grid.code);
    const parent = expected === null ? undefined : map.get(expected);
    if (grid.kind === 'dedicated') {
      if (level !== 3) errors.push(`${who}:专属网格必须是第3级网格(15位编码),属于某个村或社区`);
      else if (levelOfCode(grid.parent) === 1) {
        errors.push(`${who}:专属网格必须属于村或社区,不能直接隶属于镇 ${grid.parent}`);
      }
    }
    if (grid.parent !== expected) {
      errors.push(
        expected === null
          ? `${who}:镇级网格不应有上级,实际上级为 ${String(grid.parent)}`
          : `${who}:上级应为编码前缀 ${expected},实际为 ${String(grid.parent)}`,
      );
    }
    if (expected !== null && !parent) errors.push(`${who}:上级 ${expected} 不存在`);
  }

  return { tree: indexTree(map), errors };
}

function indexTree(map: ReadonlyMap<string, Grid>): GridTree {
  const kids = new Map<string, Grid[]>();
  const roots: Grid[] = [];
  for (const grid of map.values()) {
    const up = parentCode(grid.code);
    if (up === null || !map.has(up)) {
      roots.push(grid);
      continue;
    }
    let list = kids.get(up);
    if (!list) kids.set(up, (list = []));
    list.push(grid);
  }
  roots.sort(byCodeOrder);
  for (const list of kids.values()) list.sort(byCodeOrder);

  const levels = new Map<GridLevel, Grid[]>([
    [1, []],
    [2, []],
    [3, []],
  ]);
  for (const grid of [...map.values()].sort(byCodeOrder)) {
    levels.get(codeLevel(grid.code))?.push(grid);
  }

  const parentOf = (code: string): Grid | undefined => {
    if (!map.has(code)) return undefined;
    const up = parentCode(code);
    return up === null ? undefined : map.get(up);
  };

  const descendants = (code: string, level?: GridLevel): Grid[] => {
    const out: Grid[] = [];
    const walk = (c: string): void => {
      for (const child of kids.get(c) ?? []) {
        if (level === undefined || child.code.length === CODE_LENGTH[level]) out.push(child);
        walk(child.code);
      }
    };
    walk(code);
    return out;
  };

  return {
    roots,
    size: map.size,
    byCode: (code) => map.get(code),
    parent: parentOf,
    children: (code) => [...(kids.get(code) ?? [])],
    ancestors: (code) => {
      const out: Grid[] = [];
      for (let p = parentOf(code); p; p = parentOf(p.code)) out.push(p);
      return out;
    },
    descendants,
    atLevel: (level) => [...(levels.get(level) ?? [])],
  };
}

/** The level of a code already known to be valid (the map holds only those). */
function codeLevel(code: string): GridLevel {
  const level = levelOfCode(code);
  if (level === null) throw new RangeError(`invalid grid code in tree: ${code}`);
  return level;
}

// ---------------------------------------------------------------- the grids.tree answer

// The hierarchy without geometry, which the console's left panel needs on every start
// and which would otherwise cost the renderer every polygon of the town.
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
