import { describe, expect, it } from 'vitest';
import { area } from '@turf/area';
import type { Polygon } from 'geojson';
import { blob, buildAtoms, connectedParts, localProjection, membersArea, membersCentroid, partition, regionGeometry, round6 } from './geography';
import { createRng } from './random';

const { atoms } = buildAtoms({ lon: 112.9, lat: 28.6, halfSizeM: 3000, spacingM: 200 }, createRng(1));
const town = blob(atoms, [0, 0], 2000, createRng(2), 0.15);

/** Signed area of a lon/lat ring: positive when counter-clockwise. */
const signed = (ring: number[][]): number => ring.slice(0, -1).reduce((s, [x0, y0], k) => s + x0! * ring[k + 1]![1]! - ring[k + 1]![0]! * y0!, 0) / 2;

describe('projection and rounding', () => {
  it('round-trips metres and degrees around the origin', () => {
    const p = localProjection(112.9, 28.61);
    const [lon, lat] = p.toLonLat(1000, -2000);
    expect(lon).toBeCloseTo(112.9 + 1000 / (111_320 * Math.cos((28.61 * Math.PI) / 180)), 9);
    expect(lat).toBeCloseTo(28.61 - 2000 / 110_574, 9);
    const [x, y] = p.toXY(lon, lat);
    expect(x).toBeCloseTo(1000, 6);
    expect(y).toBeCloseTo(-2000, 6);
  });

  it('rounds to 6 decimals', () => {
    expect(round6(112.1234565)).toBe(112.123457);
    expect(round6(28.6)).toBe(28.6);
  });
});

describe('the atom mesh', () => {
  it('covers the box with cells of about the asked size', () => {
    const inner = [...Array(atoms.count).keys()].filter((i) => !atoms.border[i]);
    expect(inner.length).toBeGreaterThan(atoms.count * 0.8);
    const mean = membersArea(atoms, inner) / inner.length;
    expect(mean).toBeGreaterThan(200 * 200 * 0.8);
    expect(mean).toBeLessThan(200 * 200 * 1.2);
  });

  it('has symmetric neighbours', () => {
    for (let i = 0; i < atoms.count; i++) {
      for (const j of atoms.neighbours[i]!) expect(atoms.neighbours[j]).toContain(i);
    }
  });

  it('stores vertices with at most 6 decimals', () => {
    for (const [lon, lat] of atoms.vertices) {
      expect(round6(lon!)).toBe(lon);
      expect(round6(lat!)).toBe(lat);
    }
  });
});

describe('regionGeometry', () => {
  it('outlines a blob as one counter-clockwise ring whose area is the atoms', () => {
    const g = regionGeometry(atoms, town) as Polygon;
    expect(g.type).toBe('Polygon');
    expect(g.coordinates).toHaveLength(1);
    const ring = g.coordinates[0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(signed(ring)).toBeGreaterThan(0);
    expect(area(g) / membersArea(atoms, town)).toBeCloseTo(1, 2);
  });

  it('keeps a hole, clockwise, when the middle is left out', () => {
    const centre = town.reduce((best, i) => (Math.hypot(atoms.x[i]!, atoms.y[i]!) < Math.hypot(atoms.x[best]!, atoms.y[best]!) ? i : best));
    const ring = town.filter((i) => i !== centre);
    const g = regionGeometry(atoms, ring) as Polygon;
    expect(g.type).toBe('Polygon');
    expect(g.coordinates).toHaveLength(2);
    expect(signed(g.coordinates[1]!)).toBeLessThan(0);
    expect(area(g) / membersArea(atoms, ring)).toBeCloseTo(1, 2);
  });

  it('gives a MultiPolygon for separate parts, the largest first', () => {
    const a = town[0]!;
    const far = town.filter((i) => Math.hypot(atoms.x[i]! - atoms.x[a]!, atoms.y[i]! - atoms.y[a]!) > 1500);
    const two = [a, far[0]!, ...atoms.neighbours[far[0]!]!.filter((j) => town.includes(j))];
    const g = regionGeometry(atoms, two);
    expect(g.type).toBe('MultiPolygon');
    const parts = g.type === 'MultiPolygon' ? g.coordinates : [];
    expect(parts).toHaveLength(2);
    expect(area({ type: 'Polygon', coordinates: parts[0]! })).toBeGreaterThan(area({ type: 'Polygon', coordinates: parts[1]! }));
  });
});

describe('blob and partition', () => {
  it('makes a connected outline of about the asked size', () => {
    expect(connectedParts(atoms, town)).toHaveLength(1);
    const a = membersArea(atoms, town);
    expect(a).toBeGreaterThan(Math.PI * 2000 ** 2 * 0.8);
    expect(a).toBeLessThan(Math.PI * 2000 ** 2 * 1.2);
  });

  it('splits into connected regions of the asked relative sizes, covering every atom once', () => {
    const weights = [1, 2, 3, 1];
    const regions = partition(atoms, town, { weights }, createRng(4));
    expect(regions).toHaveLength(4);
    expect(regions.flat().sort((p, q) => p - q)).toEqual([...town].sort((p, q) => p - q));
    const total = membersArea(atoms, town);
    regions.forEach((r, k) => {
      expect(connectedParts(atoms, r)).toHaveLength(1);
      expect(membersArea(atoms, r) / total).toBeCloseTo(weights[k]! / 7, 1);
    });
  });

  it('starts from given centres, keeping each region near its own', () => {
    const [cx, cy] = membersCentroid(atoms, town);
    const initial: [number, number][] = [
      [cx - 1000, cy],
      [cx + 1000, cy],
    ];
    const [west, east] = partition(atoms, town, { weights: [1, 1], initial }, createRng(5));
    expect(membersCentroid(atoms, west!)[0]).toBeLessThan(membersCentroid(atoms, east!)[0]);
  });

  it('refuses more regions than atoms, and gives nothing for no weights', () => {
    expect(() => partition(atoms, town.slice(0, 3), { weights: [1, 1, 1, 1] }, createRng(1))).toThrow(/cannot split/);
    expect(partition(atoms, town, { weights: [] }, createRng(1))).toEqual([]);
  });

  it('membersCentroid of nothing is the origin', () => {
    expect(membersCentroid(atoms, [])).toEqual([0, 0]);
  });
});
