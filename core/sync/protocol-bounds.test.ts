// What the wire refuses beyond shape: a grid whose parent is not the grid one level up
// (chains and cycles no tree can show), and position fixes with a speed, heading or
// accuracy out of physical range. Found by the fuzz suite (tests/fuzz).
import { describe, expect, it } from 'vitest';
import town from '../../resources/demo-town/town.json';
import type { Grid } from '../model';
import { GridWireSchema, parseChangeItem, parsePositionItem } from './protocol';

const ds = town as unknown as { town: Grid; villages: Grid[]; grids: Grid[] };
const grid = ds.grids[0]!;
const put = (g: Grid) => ({ type: 'grid', op: 'put', id: g.code, rev: 1, data: g });

describe('grid hierarchy on the wire', () => {
  it('accepts the demo town, its villages and grids: each parent is the code one level up', () => {
    for (const g of [ds.town, ...ds.villages, ...ds.grids]) expect(GridWireSchema.safeParse(g).success, g.code).toBe(true);
  });

  it('refuses a parent that is not the code without its last three digits', () => {
    const village = grid.code.slice(0, 12);
    const otherGrid = ds.grids.find((g) => g.parent !== grid.parent)!.code;
    for (const parent of [grid.code, ds.town.code, otherGrid, '430624103009', null]) {
      const parsed = parseChangeItem(put({ ...grid, parent }));
      expect(parsed.ok, String(parent)).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/parent must be the code one level up/);
    }
    expect(parseChangeItem(put({ ...grid, parent: village })).ok).toBe(true);
    expect(parseChangeItem(put({ ...ds.town, parent: '430624' })).ok).toBe(false);
    expect(parseChangeItem(put({ ...ds.town, parent: ds.villages[0]!.code })).ok).toBe(false);
  });
});

describe('position fixes out of physical range', () => {
  const fix = ['w-0001', 112.9, 28.6, 1_764_300_000_000, 1.2, 270, 8];
  const at = (i: number, v: unknown) => fix.map((x, j) => (j === i ? v : x));

  it('refuses a negative or absurd speed, a heading outside 0–360°, a negative or absurd accuracy', () => {
    for (const [i, v] of [
      [4, -1],
      [4, 1e300],
      [5, -10],
      [5, 400],
      [5, 1e300],
      [6, -5],
      [6, 1e300],
    ] as const) {
      const parsed = parsePositionItem(at(i, v));
      expect(parsed.ok, `${i}=${v}`).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/^invalid position item: /);
    }
  });

  it('accepts the bounds and null for each of them', () => {
    for (const [i, v] of [
      [4, 0],
      [4, 1000],
      [5, 0],
      [5, 360],
      [6, 0],
      [4, null],
      [5, null],
      [6, null],
    ] as const) {
      expect(parsePositionItem(at(i, v)).ok, `${i}=${v}`).toBe(true);
    }
  });
});
