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
  /** Outer and inner rings of the level-2 and level-1 grids: drawn as thick lines. */
  villageBoundaries: BoundaryPath[];
  townBoundaries: BoundaryPath[];
  /** Outline rings of every grid by code (selection outline). */
  rings: Map<string, Position[][]>;
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
  return { shapes, byCode: new Map(shapes.map((s) => [s.code, s])), parts, villageBoundaries, townBoundaries, rings };
}

/** The union of the bounds of some grids (WGS84), e.g. the whole town for the overview. */
export function boundsOf(shapes: readonly GridShape[]): [number, number, number, number] | null {
  if (shapes.length === 0) return null;
  return shapes.reduce<[number, number, number, number]>(
    (b, s) => [Math.min(b[0], s.bounds[0]), Math.min(b[1], s.bounds[1]), Math.max(b[2], s.bounds[2]), Math.max(b[3], s.bounds[3])],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
}
