// Small plane geometry for the simulator: a random point inside a grid, distances
// and headings between nearby points. Grids are a few hundred metres across, so a
// local equirectangular approximation is far inside GPS noise.
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { Rng } from '../../county/demo/random';

const M_PER_DEG_LAT = 110_540;
const M_PER_DEG_LON_EQUATOR = 111_320;

export type LonLat = readonly [number, number];

export interface Shape {
  /** Outer ring then holes, per polygon. */
  polygons: Position[][][];
  bbox: [number, number, number, number];
}

export function shapeOf(geometry: Polygon | MultiPolygon): Shape {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const poly of polygons) {
    for (const [x, y] of poly[0] ?? []) {
      if (x === undefined || y === undefined) continue;
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  return { polygons, bbox: [minX, minY, maxX, maxY] };
}

/** Even-odd ray casting over one ring. */
function inRing(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function contains(shape: Shape, [x, y]: LonLat): boolean {
  const [minX, minY, maxX, maxY] = shape.bbox;
  if (x < minX || x > maxX || y < minY || y > maxY) return false;
  return shape.polygons.some((poly) => inRing(x, y, poly[0] ?? []) && !poly.slice(1).some((hole) => inRing(x, y, hole)));
}

/**
 * A uniform random point inside the shape (rejection sampling in its box). Grids
 * are compact blobs, so a handful of draws suffice; the centre of the box is the
 * fallback that keeps this total for a sliver.
 */
export function randomPointIn(shape: Shape, rng: Rng, near?: { at: LonLat; maxM: number }): LonLat {
  const [minX, minY, maxX, maxY] = shape.bbox;
  for (let attempt = 0; attempt < 60; attempt++) {
    let p: LonLat;
    if (near && attempt < 40) {
      const angle = rng.float(0, 2 * Math.PI);
      const r = near.maxM * Math.sqrt(rng.next());
      p = offset(near.at, r * Math.sin(angle), r * Math.cos(angle));
    } else {
      p = [rng.float(minX, maxX), rng.float(minY, maxY)];
    }
    if (contains(shape, p)) return p;
  }
  const first = shape.polygons[0]?.[0]?.[0];
  return first ? [first[0] as number, first[1] as number] : [(minX + maxX) / 2, (minY + maxY) / 2];
}

/** Move a point east and north by metres. */
export function offset([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  return [lon + eastM / (M_PER_DEG_LON_EQUATOR * Math.cos((lat * Math.PI) / 180)), lat + northM / M_PER_DEG_LAT];
}

/** East and north metres from a to b. */
export function delta(a: LonLat, b: LonLat): [number, number] {
  const lat = ((a[1] + b[1]) / 2) * (Math.PI / 180);
  return [(b[0] - a[0]) * M_PER_DEG_LON_EQUATOR * Math.cos(lat), (b[1] - a[1]) * M_PER_DEG_LAT];
}

export function distanceM(a: LonLat, b: LonLat): number {
  const [dx, dy] = delta(a, b);
  return Math.hypot(dx, dy);
}

/** Compass heading from a to b, degrees clockwise from north in [0, 360). */
export function headingDeg(a: LonLat, b: LonLat): number {
  const [dx, dy] = delta(a, b);
  const deg = (Math.atan2(dx, dy) * 180) / Math.PI;
  return (deg + 360) % 360;
}

export function lerp(a: LonLat, b: LonLat, f: number): LonLat {
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
}

export const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;
