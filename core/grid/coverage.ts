// The seeds' partition rules made checkable: the children of a town or village
// must cover it without gaps (“规模适度,无缝覆盖”, “全域覆盖、无缝对接”), must not
// overlap (“明确网格的边界,避免交叉和模糊地带”) and must stay inside it.
// Areas are geodesic square metres (turf/area); a tolerance absorbs the float
// slivers that any clipping of shared boundaries leaves behind.
import Flatbush from 'flatbush';
import { area } from '@turf/area';
import { bbox } from '@turf/bbox';
import { difference } from '@turf/difference';
import { featureCollection, feature } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Grid } from '../model';

export interface CoverageGap {
  areaM2: number;
  geometry: Polygon;
}

export interface CoverageOverlap {
  a: string;
  b: string;
  areaM2: number;
  geometry: Polygon | MultiPolygon;
}

export interface CoverageOutside {
  code: string;
  areaM2: number;
}

export interface CoverageResult {
  ok: boolean;
  /** Parts of the parent that no child covers, each above the tolerance. */
  gaps: CoverageGap[];
  /** Pairs of children that share area (a < b by code). */
  overlaps: CoverageOverlap[];
  /** Children reaching outside the parent, with the area outside. */
  outside: CoverageOutside[];
}

export interface CoverageOptions {
  /** Areas at or below this are float noise, not findings. Default 1 m². */
  toleranceM2?: number;
}

export const DEFAULT_TOLERANCE_M2 = 1;

type Area = Polygon | MultiPolygon;

const asFeature = (geometry: Area): Feature<Area> => feature(geometry);

function polygonsOf(result: Feature<Area> | null): Polygon[] {
  if (!result) return [];
  const g = result.geometry;
  return g.type === 'Polygon' ? [g] : g.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
}

/** Check that `children` tile `parent`: no gap, no overlap, nothing outside. */
export function checkCoverage(parent: Grid, children: readonly Grid[], opts: CoverageOptions = {}): CoverageResult {
  const tolerance = opts.toleranceM2 ?? DEFAULT_TOLERANCE_M2;

  const rest =
    children.length === 0
      ? asFeature(parent.geometry)
      : difference(featureCollection([asFeature(parent.geometry), ...children.map((c) => asFeature(c.geometry))]));
  const gaps = polygonsOf(rest)
    .map((geometry) => ({ areaM2: area(geometry), geometry }))
    .filter((gap) => gap.areaM2 > tolerance);

  const outside: CoverageOutside[] = [];
  for (const child of children) {
    const beyond = difference(featureCollection([asFeature(child.geometry), asFeature(parent.geometry)]));
    const areaM2 = beyond ? area(beyond) : 0;
    if (areaM2 > tolerance) outside.push({ code: child.code, areaM2 });
  }

  const sorted = [...children].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
  const overlaps: CoverageOverlap[] = [];
  if (sorted.length > 1) {
    const index = new Flatbush(sorted.length);
    const boxes = sorted.map((c) => bbox(c.geometry));
    for (const [minX, minY, maxX, maxY] of boxes) index.add(minX, minY, maxX, maxY);
    index.finish();
    sorted.forEach((a, i) => {
      const [minX, minY, maxX, maxY] = boxes[i]!;
      for (const j of index.search(minX, minY, maxX, maxY).sort((x, y) => x - y)) {
        if (j <= i) continue;
        const b = sorted[j]!;
        const shared = intersect(featureCollection([asFeature(a.geometry), asFeature(b.geometry)]));
        const areaM2 = shared ? area(shared) : 0;
        if (shared && areaM2 > tolerance) overlaps.push({ a: a.code, b: b.code, areaM2, geometry: shared.geometry });
      }
    });
  }

  return { ok: gaps.length === 0 && overlaps.length === 0 && outside.length === 0, gaps, overlaps, outside };
}

export interface TreeCoverageReport extends CoverageResult {
  parent: string;
}

export interface TreeCoverageResult {
  ok: boolean;
  /** One report per grid that has children, by the parent's code. */
  reports: TreeCoverageReport[];
}

/** Run {@link checkCoverage} for every grid that has children in the set. */
export function checkTreeCoverage(grids: readonly Grid[], opts: CoverageOptions = {}): TreeCoverageResult {
  const byCode = new Map(grids.map((g) => [g.code, g]));
  const kids = new Map<string, Grid[]>();
  for (const grid of grids) {
    if (grid.parent === null || !byCode.has(grid.parent)) continue;
    let list = kids.get(grid.parent);
    if (!list) kids.set(grid.parent, (list = []));
    list.push(grid);
  }
  const reports = [...kids.keys()]
    .sort()
    .map((code) => ({ parent: code, ...checkCoverage(byCode.get(code)!, kids.get(code)!, opts) }));
  return { ok: reports.every((r) => r.ok), reports };
}
