// The search around an incident: what lies within a radius of a point (grid workers by
// their last fix, teams and resources, grids), nearest first, with distances. Points sit
// in a flatbush index (built once per set, rebuilt only when the set changes); a query is
// one index search of the circle's bounding box, then each hit's local flat-earth distance
// (within 0.1 % of the great circle). tests/bench/radius.ts holds it to 2x a direct flatbush query of the same
// circle (box search + the same distance filter).
import Flatbush from 'flatbush';

const R = 6_371_008.8;
export const RAD = Math.PI / 180;
/** Metres per degree of latitude on the mean sphere. */
export const M_PER_DEG = R * RAD;

/** Great-circle (haversine) distance in metres. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The lon/lat box around a circle (a little generous: never misses a point inside). */
export function circleBox(lon: number, lat: number, radiusM: number): [number, number, number, number] {
  const dLat = (radiusM / R / RAD) * 1.001;
  const cos = Math.max(0.01, Math.cos(Math.min(89, Math.abs(lat) + dLat) * RAD));
  const dLon = dLat / cos;
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}

export interface Hit<T> {
  item: T;
  distanceM: number;
}

/** Items with a box (a point is a box of no size): indexed once, searched by circle. */
export class RadiusIndex<T> {
  /** The flatbush index (null when there are no items): the bench queries it directly. */
  readonly tree: Flatbush | null;
  /** Each item's box as minX, minY, maxX, maxY, by index id. */
  readonly boxes: Float64Array;
  /** Scratch for one query's hits, each packed as distance × items + id (reused: no allocation per query). */
  private keys: Float64Array = new Float64Array(64);

  constructor(
    readonly items: readonly T[],
    boxOf: (item: T) => readonly [number, number, number, number],
  ) {
    this.boxes = new Float64Array(items.length * 4);
    if (items.length === 0) {
      this.tree = null;
      return;
    }
    const tree = new Flatbush(items.length);
    items.forEach((item, i) => {
      const [a, b, c, d] = boxOf(item);
      this.boxes[i * 4] = a;
      this.boxes[i * 4 + 1] = b;
      this.boxes[i * 4 + 2] = c;
      this.boxes[i * 4 + 3] = d;
      tree.add(a, b, c, d);
    });
    tree.finish();
    this.tree = tree;
  }

  /** The raw index search of the circle's box. */
  candidates(lon: number, lat: number, radiusM: number): number[] {
    if (this.tree === null) return [];
    const [a, b, c, d] = circleBox(lon, lat, radiusM);
    return this.tree.search(a, b, c, d);
  }

  /**
   * Items within radiusM of the point, nearest first, each made into an answer by `make`
   * (item, whole metres, index id) — no intermediate hit objects. The distance is to the
   * item's box (0 inside it): for a point, the point's distance; for a grid, to its box's
   * nearest edge. Local flat-earth distance around the centre (within 0.1 % of the great
   * circle up to 20 km). The hits are ordered by one numeric sort of packed keys
   * (distance × items + id: exact below 2^53 for 20 km × 10^8 items).
   */
  map<R>(lon: number, lat: number, radiusM: number, make: (item: T, distanceM: number, id: number) => R): R[] {
    const count = this.hits(lon, lat, radiusM);
    const keys = this.keys;
    const n = this.items.length;
    const out: R[] = new Array<R>(count);
    for (let k = 0; k < count; k++) {
      const key = keys[k]!;
      const d = Math.floor(key / n);
      const id = key - d * n;
      out[k] = make(this.items[id]!, d, id);
    }
    return out;
  }

  /**
   * The hits within radiusM of the point, nearest first, as packed keys in `hitKeys`
   * (`keyDistance`, `keyId` unpack one): the count. For a caller that builds its answer in
   * its own loop (nearby.ts: one object shape per call site, no callback per hit). The
   * keys are valid until the next query of this index.
   */
  hits(lon: number, lat: number, radiusM: number): number {
    const count = this.collect(lon, lat, radiusM);
    if (count > 1) sortPrefix(this.keys, count);
    return count;
  }

  /** The last query's packed keys (hits()). */
  get hitKeys(): Float64Array {
    return this.keys;
  }

  /** Items within radiusM of the point, nearest first, with their distances. */
  within(lon: number, lat: number, radiusM: number): Hit<T>[] {
    return this.map(lon, lat, radiusM, (item, distanceM) => ({ item, distanceM }));
  }

  /**
   * The box search with the exact distance as flatbush's filter, which gets each item's
   * box from the index's own (hot) arrays: the hits' packed keys go straight into `keys`
   * and the filter answers false, so flatbush builds no result array. Returns the count.
   */
  private collect(lon: number, lat: number, radiusM: number): number {
    if (this.tree === null) return 0;
    const [minX, minY, maxX, maxY] = circleBox(lon, lat, radiusM);
    const kx = M_PER_DEG * Math.cos(lat * RAD);
    const r2 = radiusM * radiusM;
    const n = this.items.length;
    let count = 0;
    this.tree.search(minX, minY, maxX, maxY, (i, x0, y0, x1, y1) => {
      const dx = ((lon < x0 ? x0 : lon > x1 ? x1 : lon) - lon) * kx;
      const dy = ((lat < y0 ? y0 : lat > y1 ? y1 : lat) - lat) * M_PER_DEG;
      const d2 = dx * dx + dy * dy;
      if (d2 <= r2) {
        if (count === this.keys.length) this.keys = grow(this.keys);
        this.keys[count++] = Math.round(Math.sqrt(d2)) * n + i;
      }
      return false;
    });
    return count;
  }
}

/** A buffer twice the size with the same start. */
function grow(keys: Float64Array): Float64Array {
  const next = new Float64Array(keys.length * 2);
  next.set(keys);
  return next;
}

/** Sorts keys[0..count) ascending: insertion sort for the usual few hits, the native sort beyond. */
function sortPrefix(keys: Float64Array, count: number): void {
  if (count > 48) {
    keys.subarray(0, count).sort();
    return;
  }
  for (let i = 1; i < count; i++) {
    const v = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > v) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = v;
  }
}

/** A point's box. */
export const pointBox = (p: { lon: number; lat: number }): [number, number, number, number] => [p.lon, p.lat, p.lon, p.lat];
