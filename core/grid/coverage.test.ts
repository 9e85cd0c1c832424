import { describe, expect, it } from 'vitest';
import { area } from '@turf/area';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { bbox } from '@turf/bbox';
import { centroid } from '@turf/centroid';
import { feature, featureCollection, polygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { union } from '@turf/union';
import { pointOnFeature } from '@turf/point-on-feature';
import type { Polygon, Position } from 'geojson';
import demoTown from '../../resources/demo-town/town.json';
import { allGrids, type TownDataset } from './dataset';
import type { Grid } from '../model';
import { checkCoverage, checkTreeCoverage, DEFAULT_TOLERANCE_M2 } from './coverage';

// The committed demo town (county/demo generates it; core does not import the generator).
const ds = demoTown as unknown as TownDataset;

const village = ds.villages.find((v) => v.name === '双凤村')!;
const children = ds.grids.filter((g) => g.parent === village.code);
/** Every grid of a village of a few grids touches the village's outline; this one is basic. */
const innerChild = children.find((g) => g.kind === 'basic');

const bboxPolygon = ([minX, minY, maxX, maxY]: number[]) =>
  polygon([
    [
      [minX!, minY!],
      [maxX!, minY!],
      [maxX!, maxY!],
      [minX!, maxY!],
      [minX!, minY!],
    ],
  ]);

/** Half of a grid's box dropped: a strict subset, leaving a gap. */
const halved = (g: Grid): Grid => {
  const [minX, minY, maxX, maxY] = bbox(g.geometry);
  return { ...g, geometry: intersect(featureCollection([feature(g.geometry), bboxPolygon([minX, minY, maxX, (minY + maxY) / 2])]))!.geometry };
};

const replace = (list: Grid[], g: Grid): Grid[] => list.map((x) => (x.code === g.code ? g : x));

describe('the demo town tiles exactly', () => {
  it('has no gap, overlap or overhang at any level', () => {
    const result = checkTreeCoverage(allGrids(ds));
    expect(result.reports.map((r) => r.parent)).toEqual([ds.town.code, ...ds.villages.map((v) => v.code)]);
    for (const r of result.reports) {
      expect({ parent: r.parent, gaps: r.gaps.length, overlaps: r.overlaps.length, outside: r.outside.length }).toEqual({
        parent: r.parent,
        gaps: 0,
        overlaps: 0,
        outside: 0,
      });
    }
    expect(result.ok).toBe(true);
  });

  it('stays exact with no tolerance at all: neighbours share the very same vertices', () => {
    expect(checkTreeCoverage(allGrids(ds), { toleranceM2: 0 }).ok).toBe(true);
    expect(DEFAULT_TOLERANCE_M2).toBe(1);
  });
});

describe('planted faults are found', () => {
  it('test fixture: a basic grid of 双凤村', () => {
    expect(innerChild?.name).toBe('双凤村第一网格');
  });

  it('a shrunk grid leaves a gap of the area it lost, where it was', () => {
    // Keep only the southern half of its box: a strict subset, so no overlap can arise.
    const shrunk = halved(innerChild!);
    const r = checkCoverage(village, replace(children, shrunk));
    expect(r.ok).toBe(false);
    expect(r.overlaps).toEqual([]);
    expect(r.outside).toEqual([]);
    const lost = area(innerChild!.geometry) - area(shrunk.geometry);
    expect(lost).toBeGreaterThan(100_000);
    const found = r.gaps.reduce((s, g) => s + g.areaM2, 0);
    expect(found).toBeGreaterThan(lost * 0.999);
    expect(found).toBeLessThan(lost * 1.001);
    for (const gap of r.gaps) {
      const p = pointOnFeature(gap.geometry).geometry.coordinates;
      expect(booleanPointInPolygon(p, innerChild!.geometry)).toBe(true);
      expect(booleanPointInPolygon(p, shrunk.geometry, { ignoreBoundary: true })).toBe(false);
    }
  });

  it('a grown grid overlaps exactly the neighbours it grew into, by code', () => {
    // Add a 300 m square around one of its vertices inside the village.
    const outline = new Set((village.geometry as Polygon).coordinates[0]!.map((p) => p.join()));
    const [vx, vy] = (innerChild!.geometry as Polygon).coordinates[0]!.find((p) => !outline.has(p.join())) as [number, number];
    const square = bboxPolygon([vx - 0.0015, vy - 0.0015, vx + 0.0015, vy + 0.0015]);
    const grown: Grid = { ...innerChild!, geometry: union(featureCollection([feature(innerChild!.geometry), square]))!.geometry };
    const r = checkCoverage(village, replace(children, grown));
    expect(r.ok).toBe(false);
    expect(r.gaps).toEqual([]);
    const expected = children
      .filter((c) => c.code !== grown.code)
      .filter((c) => {
        const shared = intersect(featureCollection([feature(c.geometry), square]));
        return shared !== null && area(shared) > 1;
      })
      .map((c) => c.code);
    expect(expected.length).toBeGreaterThan(0);
    expect(r.overlaps.every((o) => (o.a === grown.code || o.b === grown.code) && o.a < o.b)).toBe(true);
    expect(r.overlaps.map((o) => (o.a === grown.code ? o.b : o.a)).sort()).toEqual(expected.sort());
    // Every square metre it grew by lands on a sibling or outside the village.
    const grownBy = area(grown.geometry) - area(innerChild!.geometry);
    const landed = r.overlaps.reduce((s, o) => s + o.areaM2, 0) + r.outside.reduce((s, o) => s + o.areaM2, 0);
    expect(landed).toBeGreaterThan(grownBy * 0.999);
    expect(landed).toBeLessThan(grownBy * 1.001);
  });

  it('one shared vertex pushed into the neighbour makes one overlap between those two', () => {
    const a = innerChild!;
    const ring = (a.geometry as Polygon).coordinates[0]!;
    const b = children.find((g) => g.code !== a.code && ring.some((p) => booleanPointInPolygon(p, g.geometry)))!;
    // A vertex shared with b only (not with a third grid, nor on the village's outline), so that the push enters b alone.
    const outline = new Set((village.geometry as Polygon).coordinates[0]!.map((p) => p.join()));
    const k = ring.findIndex(
      (p, i) =>
        i > 0 &&
        !outline.has(p.join()) &&
        booleanPointInPolygon(p, b.geometry) &&
        children.filter((g) => booleanPointInPolygon(p, g.geometry)).length === 2,
    );
    expect(k).toBeGreaterThan(0);
    const [bx, by] = centroid(b.geometry).geometry.coordinates as [number, number];
    const [px, py] = ring[k] as [number, number];
    const len = Math.hypot(bx - px, by - py);
    const moved: Position = [px + ((bx - px) / len) * 0.0004, py + ((by - py) / len) * 0.0004];
    const shifted: Grid = { ...a, geometry: { type: 'Polygon', coordinates: [ring.map((p, i) => (i === k ? moved : p))] } };
    const r = checkCoverage(village, replace(children, shifted));
    expect(r.overlaps.map((o) => [o.a, o.b])).toEqual([[a.code, b.code].sort()]);
    expect(r.overlaps[0]!.areaM2).toBeGreaterThan(100);
  });

  it('a shift far below the tolerance is float noise, unless the tolerance is zero', () => {
    const a = innerChild!;
    const ring = (a.geometry as Polygon).coordinates[0]!;
    const k = ring.findIndex((p, i) => i > 0 && !(village.geometry as Polygon).coordinates[0]!.some((q) => q.join() === p.join()));
    const moved: Position = [ring[k]![0]! + 1e-8, ring[k]![1]! + 1e-8];
    const shifted: Grid = { ...a, geometry: { type: 'Polygon', coordinates: [ring.map((p, i) => (i === k ? moved : p))] } };
    expect(checkCoverage(village, replace(children, shifted)).ok).toBe(true);
    const strict = checkCoverage(village, replace(children, shifted), { toleranceM2: 0 });
    expect(strict.ok).toBe(false);
    expect(strict.gaps.length + strict.overlaps.length).toBeGreaterThan(0);
  });

  it('a duplicated grid overlaps its original entirely', () => {
    const copy: Grid = { ...children[0]!, code: `${village.code}099`, name: '重复' };
    const r = checkCoverage(village, [...children, copy]);
    expect(r.overlaps).toHaveLength(1);
    expect(r.overlaps[0]).toMatchObject({ a: children[0]!.code, b: copy.code });
    expect(r.overlaps[0]!.areaM2).toBeCloseTo(area(children[0]!.geometry), -1);
  });

  it('a child beyond its parent is outside, and a parent without children is one gap', () => {
    const far: Grid = { ...children[0]!, code: `${village.code}098`, geometry: { type: 'Polygon', coordinates: [[[113, 29], [113.01, 29], [113.01, 29.01], [113, 29]]] } };
    const r = checkCoverage(village, [...children, far]);
    expect(r.outside.map((o) => o.code)).toEqual([far.code]);
    expect(r.outside[0]!.areaM2).toBeCloseTo(area(far.geometry), -1);
    expect(r.gaps).toEqual([]);

    const empty = checkCoverage(village, []);
    expect(empty.ok).toBe(false);
    expect(empty.gaps).toHaveLength(1);
    expect(empty.gaps[0]!.areaM2).toBeCloseTo(area(village.geometry), -1);
  });

  it('checkTreeCoverage names the parent whose children are faulty', () => {
    const grids = replace(allGrids(ds), halved(innerChild!));
    const result = checkTreeCoverage(grids);
    expect(result.ok).toBe(false);
    expect(result.reports.filter((r) => !r.ok).map((r) => r.parent)).toEqual([village.code]);
  });
});
