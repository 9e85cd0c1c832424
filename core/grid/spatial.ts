// Which grid is this point in? Asked for every event, every position fix and
// every click on the map, over thousands of grids: a packed R-tree (flatbush) of
// the grids' bounding boxes narrows the candidates, turf decides exactly.
import Flatbush from 'flatbush';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { booleanIntersects } from '@turf/boolean-intersects';
import { bbox } from '@turf/bbox';
import type { Grid, GridLevel } from '../model';

/** True for a usable WGS84 position: finite, lon within ±180, lat within ±90. */
export function isValidLonLat(lon: unknown, lat: unknown): boolean {
  return (
    typeof lon === 'number' &&
    typeof lat === 'number' &&
    Number.isFinite(lon) &&
    Number.isFinite(lat) &&
    lon >= -180 &&
    lon <= 180 &&
    lat >= -90 &&
    lat <= 90
  );
}

interface LevelIndex {
  /** Sorted by code, so that a hit list sorted by index is sorted by code. */
  grids: Grid[];
  tree: Flatbush | null;
  boxes: Float64Array;
  positions: Map<string, number>;
}

const LEVELS: readonly GridLevel[] = [1, 2, 3];

export class GridIndex {
  private readonly levels = new Map<GridLevel, LevelIndex>();
  private readonly byCode = new Map<string, Grid>();
  private readonly neighbourCache = new Map<string, string[]>();

  constructor(grids: readonly Grid[]) {
    for (const grid of grids) this.byCode.set(grid.code, grid);
    for (const level of LEVELS) {
      const list = [...this.byCode.values()].filter((g) => g.level === level).sort((a, b) => (a.code < b.code ? -1 : 1));
      const boxes = new Float64Array(list.length * 4);
      let tree: Flatbush | null = null;
      if (list.length > 0) {
        tree = new Flatbush(list.length);
        list.forEach((grid, i) => {
          const [minX, minY, maxX, maxY] = bbox(grid.geometry);
          boxes.set([minX, minY, maxX, maxY], i * 4);
          tree?.add(minX, minY, maxX, maxY);
        });
        tree.finish();
      }
      this.levels.set(level, { grids: list, tree, boxes, positions: new Map(list.map((g, i) => [g.code, i])) });
    }
  }

  /** Number of grids indexed (all levels). */
  get size(): number {
    return this.byCode.size;
  }

  get(code: string): Grid | undefined {
    return this.byCode.get(code);
  }

  /**
   * The grid of `level` that contains the point, boundary included. On a shared
   * boundary the grid with the smallest code wins, so every caller agrees.
   * Null for an invalid position or a point outside every grid.
   */
  locate(lon: number, lat: number, level: GridLevel = 3): Grid | null {
    return this.hits(lon, lat, level, true)[0] ?? null;
  }

  /**
   * Every grid containing the point, by level then code: one per level inside a
   * tiling, several on a shared boundary. Restricted to `level` when given.
   */
  locateAll(lon: number, lat: number, level?: GridLevel): Grid[] {
    if (level !== undefined) return this.hits(lon, lat, level, false);
    return LEVELS.flatMap((l) => this.hits(lon, lat, l, false));
  }

  /**
   * Codes of the grids of the same level whose boundaries touch or overlap this
   * one's, sorted. Computed on first request and kept: the geometry is immutable.
   */
  neighbours(code: string): string[] {
    const cached = this.neighbourCache.get(code);
    if (cached) return [...cached];
    const grid = this.byCode.get(code);
    if (!grid) return [];
    const index = this.levels.get(grid.level);
    const position = index?.positions.get(code);
    if (!index?.tree || position === undefined) return [];
    const b = index.boxes;
    const p = position * 4;
    // A hair of slack so that neighbours sharing only an edge survive float noise in the boxes.
    const eps = 1e-9;
    const found = index.tree
      .search(b[p]! - eps, b[p + 1]! - eps, b[p + 2]! + eps, b[p + 3]! + eps)
      .filter((i) => i !== position)
      .sort((x, y) => x - y)
      .map((i) => index.grids[i]!)
      .filter((other) => booleanIntersects(grid.geometry, other.geometry))
      .map((other) => other.code);
    this.neighbourCache.set(code, found);
    return [...found];
  }

  private hits(lon: number, lat: number, level: GridLevel, firstOnly: boolean): Grid[] {
    if (!isValidLonLat(lon, lat)) return [];
    const index = this.levels.get(level);
    if (!index?.tree) return [];
    const candidates = index.tree.search(lon, lat, lon, lat).sort((x, y) => x - y);
    const out: Grid[] = [];
    for (const i of candidates) {
      const grid = index.grids[i]!;
      if (booleanPointInPolygon([lon, lat], grid.geometry)) {
        out.push(grid);
        if (firstOnly) break;
      }
    }
    return out;
  }
}
