import { describe, expect, it } from 'vitest';
import { bbox } from '@turf/bbox';
import { booleanIntersects } from '@turf/boolean-intersects';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { pointOnFeature } from '@turf/point-on-feature';
import type { Position } from 'geojson';
import demoTown from '../../resources/demo-town/town.json';
import { allGrids, type TownDataset } from './dataset';
import type { Grid } from '../model';
import { GridIndex, isValidLonLat } from './spatial';

// The committed demo town (county/demo generates it; core does not import the generator).
const ds = demoTown as unknown as TownDataset;
const grids = allGrids(ds);
const index = new GridIndex(grids);
const level3 = ds.grids;

const inside = (g: Grid): [number, number] => {
  const [lon, lat] = pointOnFeature(g.geometry).geometry.coordinates as [number, number];
  return [lon, lat];
};

/** The answer by scanning every grid: the reference the index must agree with. */
function bruteForce(lon: number, lat: number, level: 1 | 2 | 3 = 3): string | null {
  const hits = grids.filter((g) => g.level === level && booleanPointInPolygon([lon, lat], g.geometry)).map((g) => g.code);
  return hits.sort()[0] ?? null;
}

describe('GridIndex.locate on the demo town', () => {
  it('indexes every grid of every level', () => {
    expect(index.size).toBe(1 + 8 + 35);
    expect(index.get('430624103201001')?.name).toBe('课功村第一网格');
    expect(index.get('nope')).toBeUndefined();
  });

  it('locates a point inside each grid to that grid, its village and its town', () => {
    for (const g of level3) {
      const [lon, lat] = inside(g);
      expect(index.locate(lon, lat)?.code, g.name).toBe(g.code);
      expect(index.locate(lon, lat, 2)?.code, g.name).toBe(g.parent);
      expect(index.locate(lon, lat, 1)?.code).toBe('430624103');
      expect(index.locateAll(lon, lat).map((x) => x.code)).toEqual(['430624103', g.parent, g.code]);
    }
  });

  it('gives null outside the town', () => {
    const [minX, minY, maxX, maxY] = bbox(ds.town.geometry);
    expect(index.locate(0, 0)).toBeNull();
    expect(index.locate(minX - 0.001, (minY + maxY) / 2)).toBeNull();
    expect(index.locate((minX + maxX) / 2, maxY + 0.001)).toBeNull();
    // Inside the town's box but outside its irregular outline.
    const rng = testRng(1);
    let tried = 0;
    for (let n = 0; n < 5000 && tried < 50; n++) {
      const lon = rng.float(minX, maxX);
      const lat = rng.float(minY, maxY);
      if (booleanPointInPolygon([lon, lat], ds.town.geometry)) continue;
      tried++;
      expect(index.locate(lon, lat)).toBeNull();
      expect(index.locateAll(lon, lat)).toEqual([]);
    }
    expect(tried).toBe(50);
  });

  it('agrees with a brute-force scan on 10,000 random points', () => {
    const [minX, minY, maxX, maxY] = bbox(ds.town.geometry);
    const rng = testRng(2024);
    let located = 0;
    for (let n = 0; n < 10_000; n++) {
      const lon = rng.float(minX - 0.01, maxX + 0.01);
      const lat = rng.float(minY - 0.01, maxY + 0.01);
      const got = index.locate(lon, lat)?.code ?? null;
      expect(got).toBe(bruteForce(lon, lat));
      if (got) located++;
    }
    // Most of the box is town: the comparison is not vacuous.
    expect(located).toBeGreaterThan(5000);
  });

  it('picks the smallest code on a shared boundary, and locateAll gives every owner', () => {
    const [a, b] = level3.filter((g) => g.parent === '430624103201');
    const ringA = (a!.geometry.coordinates as Position[][])[0]!;
    const shared = ringA.find((p) => booleanPointInPolygon(p, b!.geometry));
    expect(shared).toBeDefined();
    const [lon, lat] = shared as [number, number];
    const owners = index.locateAll(lon, lat, 3).map((g) => g.code);
    expect(owners.length).toBeGreaterThanOrEqual(2);
    expect(owners).toEqual([...owners].sort());
    expect(index.locate(lon, lat)?.code).toBe(owners[0]);
    expect(index.locate(lon, lat)?.code).toBe(bruteForce(lon, lat));
  });

  it('returns null for invalid coordinates', () => {
    const [lon, lat] = inside(level3[0]!);
    expect(index.locate(Number.NaN, lat)).toBeNull();
    expect(index.locate(lon, Number.POSITIVE_INFINITY)).toBeNull();
    expect(index.locate(181, lat)).toBeNull();
    expect(index.locate(lon, -90.5)).toBeNull();
    expect(index.locate(lon as unknown as number, '28.6' as unknown as number)).toBeNull();
    expect(index.locateAll(Number.NaN, lat)).toEqual([]);
  });

  it('validates positions', () => {
    expect(isValidLonLat(112.9, 28.6)).toBe(true);
    expect(isValidLonLat(-180, 90)).toBe(true);
    expect(isValidLonLat(180.0001, 0)).toBe(false);
    expect(isValidLonLat(0, -90.0001)).toBe(false);
    expect(isValidLonLat(null, 0)).toBe(false);
  });
});

describe('GridIndex.neighbours', () => {
  it('matches a brute-force intersection test among grids of the same level', () => {
    for (const g of [...level3, ...ds.villages]) {
      const expected = grids
        .filter((o) => o.level === g.level && o.code !== g.code && booleanIntersects(g.geometry, o.geometry))
        .map((o) => o.code)
        .sort();
      expect(index.neighbours(g.code), g.name).toEqual(expected);
    }
  });

  it('is symmetric, and every grid of a tiling has a neighbour', () => {
    for (const g of level3) {
      const mine = index.neighbours(g.code);
      expect(mine.length, g.name).toBeGreaterThan(0);
      for (const other of mine) expect(index.neighbours(other)).toContain(g.code);
    }
  });

  it('places a dedicated grid next to the basic grids it was carved from', () => {
    const park = level3.find((g) => g.name === '古培工业园专属网格')!;
    const around = index.neighbours(park.code);
    expect(around.length).toBeGreaterThan(0);
    expect(around.every((c) => c.startsWith('430624103'))).toBe(true);
    expect(around.some((c) => c.startsWith(park.parent!))).toBe(true);
  });

  it('returns a copy and nothing for an unknown code or a lone town', () => {
    const first = index.neighbours(level3[0]!.code);
    first.push('mutated');
    expect(index.neighbours(level3[0]!.code)).not.toContain('mutated');
    expect(index.neighbours('430624103999001')).toEqual([]);
    expect(index.neighbours('430624103')).toEqual([]);
  });

  it('an empty index answers null and nothing', () => {
    const empty = new GridIndex([]);
    expect(empty.size).toBe(0);
    expect(empty.locate(112.9, 28.6)).toBeNull();
    expect(empty.locateAll(112.9, 28.6)).toEqual([]);
    expect(empty.neighbours('430624103')).toEqual([]);
  });
});

/** A small seeded generator (mulberry32) so the random points are the same every run. */
function testRng(seed: number): { float(min: number, max: number): number } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { float: (min, max) => min + (max - min) * next() };
}
