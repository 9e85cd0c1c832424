// Grids prepared once per grids.list answer for the map: polygons split into parts
// (a MultiPolygon grid becomes several PolygonLayer rows of one grid), boundary
// paths of villages and towns, a label point inside each shape, and the WGS84
// bounds that fly-to uses. Everything drawn is already on the base map's datum.
import bbox from '@turf/bbox';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import pointOnFeature from '@turf/point-on-feature';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { Grid, GridKind, GridLevel } from '../../../core/model';
import type { Datum } from './coords';
import { WGS84_DATUM } from './coords';

export interface GridShape {
  code: string;
  name: string;
  level: GridLevel;
  kind: GridKind;
  parent: string | null;
  /** Label point on the base map. */
  label: [number, number];
  /** WGS84 [minLon, minLat, maxLon, maxLat]. */
  bounds: [number, number, number, number];
  /** A WGS84 point surely inside the grid. */
  inside: [number, number];
}

export interface GridPart {
  grid: GridShape;
  /** Rings of one polygon, on the base map. */
  polygon: Position[][];
}

export interface BoundaryPath {
  code: string;
  level: GridLevel;
  path: Position[];
}

export interface PreparedGrids {
  shapes: GridShape[];
  byCode: Map<string, GridShape>;
  /** Level-3 grids, one row per polygon: filled and picked. */
  parts: GridPart[];
  /**
   * The same rows simplified for the overview (a few tens of metres, under a pixel
   * there): grid edges traced along a fine mesh carry vertices a zoomed-out map
   * cannot show, and without a GPU every vertex costs (docs/performance.md).
   */
  overviewParts: GridPart[];
  /** Outer and inner rings of the level-2 and level-1 grids: drawn as thick lines by the base map. */
  villageBoundaries: BoundaryPath[];
  townBoundaries: BoundaryPath[];
  /** Outline rings of every grid by code (selection outline). */
  rings: Map<string, Position[][]>;
}

/**
 * Simplification tolerance of the overview geometry, degrees: about 35 m, at most a
 * pixel just below zoom 12 and well under one on a county overview.
 */
export const OVERVIEW_TOLERANCE_DEG = 0.00035;

/** Perpendicular distance of p from the line through a and b (planar, degrees: fine for metres-scale tolerances). */
function offLine(p: Position, a: Position, b: Position): number {
  const dx = b[0]! - a[0]!;
  const dy = b[1]! - a[1]!;
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(p[0]! - a[0]!, p[1]! - a[1]!);
  return Math.abs(dy * p[0]! - dx * p[1]! + b[0]! * a[1]! - b[1]! * a[0]!) / len;
}

/** Douglas–Peucker on a closed ring: keeps its first vertex, closes it again, never below a triangle. */
export function simplifyRing(ring: readonly Position[], tolerance: number): Position[] {
  if (ring.length <= 5) return [...ring];
  const open = ring.slice(0, -1);
  const keep = new Uint8Array(open.length);
  // Split the ring at its first vertex and the vertex farthest from it, then simplify both halves.
  let far = 1;
  let farD = -1;
  for (let i = 1; i < open.length; i++) {
    const d = Math.hypot(open[i]![0]! - open[0]![0]!, open[i]![1]! - open[0]![1]!);
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  keep[0] = 1;
  keep[far] = 1;
  const stack: [number, number][] = [
    [0, far],
    [far, open.length],
  ];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    const a = open[from]!;
    const b = open[to % open.length]!;
    let worst = -1;
    let worstD = tolerance;
    for (let i = from + 1; i < to; i++) {
      const d = offLine(open[i]!, a, b);
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([from, worst], [worst, to]);
    }
  }
  const out = open.filter((_, i) => keep[i] === 1);
  if (out.length < 3) return [...ring];
  out.push(out[0]!);
  return out;
}

const polygonsOf = (g: Polygon | MultiPolygon): Position[][][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

/** A label point inside the shape: the largest part's vertex mean when inside it, else turf's point on the surface. */
export function insidePoint(geometry: Polygon | MultiPolygon): [number, number] {
  const parts = polygonsOf(geometry);
  const largest = parts.reduce((best, p) => ((p[0]?.length ?? 0) > (best[0]?.length ?? 0) ? p : best), parts[0] ?? []);
  const ring = largest[0] ?? [];
  const n = Math.max(1, ring.length - 1);
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    x += ring[i]?.[0] ?? 0;
    y += ring[i]?.[1] ?? 0;
  }
  const mean: [number, number] = [x / n, y / n];
  if (ring.length >= 4 && booleanPointInPolygon(mean, { type: 'Polygon', coordinates: largest })) return mean;
  return pointOnFeature(geometry).geometry.coordinates as [number, number];
}

export function prepareGrids(grids: readonly Grid[], datum: Datum = WGS84_DATUM): PreparedGrids {
  const shapes: GridShape[] = [];
  const parts: GridPart[] = [];
  const villageBoundaries: BoundaryPath[] = [];
  const townBoundaries: BoundaryPath[] = [];
  const rings = new Map<string, Position[][]>();
  for (const g of grids) {
    const inside = insidePoint(g.geometry);
    const shown = datum.geometry(g.geometry);
    const shape: GridShape = {
      code: g.code,
      name: g.name,
      level: g.level,
      kind: g.kind,
      parent: g.parent,
      label: datum.toDisplay(inside[0], inside[1]),
      bounds: bbox(g.geometry) as [number, number, number, number],
      inside,
    };
    shapes.push(shape);
    const polys = polygonsOf(shown);
    rings.set(g.code, polys.flat());
    if (g.level === 3) for (const polygon of polys) parts.push({ grid: shape, polygon });
    else {
      const into = g.level === 2 ? villageBoundaries : townBoundaries;
      for (const ring of polys.flat()) into.push({ code: g.code, level: g.level, path: ring });
    }
  }
  return {
    shapes,
    byCode: new Map(shapes.map((s) => [s.code, s])),
    parts,
    villageBoundaries,
    townBoundaries,
    rings,
    overviewParts: parts.map((p) => ({ grid: p.grid, polygon: p.polygon.map((r) => simplifyRing(r, OVERVIEW_TOLERANCE_DEG)) })),
  };
}

/** The union of the bounds of some grids (WGS84), e.g. the whole town for the overview. */
export function boundsOf(shapes: readonly GridShape[]): [number, number, number, number] | null {
  if (shapes.length === 0) return null;
  return shapes.reduce<[number, number, number, number]>(
    (b, s) => [Math.min(b[0], s.bounds[0]), Math.min(b[1], s.bounds[1]), Math.max(b[2], s.bounds[2]), Math.max(b[3], s.bounds[3])],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
}
