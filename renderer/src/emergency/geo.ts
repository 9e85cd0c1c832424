// A local flat projection for the field desk's small maps (metres east and north of a
// centre; at a town's scale the error is far below a pixel), and their SVG paths.
import type { MultiPolygon, Polygon } from 'geojson';

export interface Projection {
  x(lon: number): number;
  y(lat: number): number;
}

export function projection(lon0: number, lat0: number): Projection {
  const kx = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  return { x: (lon) => (lon - lon0) * kx, y: (lat) => -(lat - lat0) * 110_574 };
}

/** The SVG path of a polygon or multipolygon's outer rings. */
export function pathOf(geometry: Polygon | MultiPolygon, p: Projection): string {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons
    .map((rings) => {
      const ring = rings[0] ?? [];
      return ring.map(([lon, lat], i) => `${i === 0 ? 'M' : 'L'}${p.x(lon!).toFixed(1)},${p.y(lat!).toFixed(1)}`).join('') + 'Z';
    })
    .join('');
}

/** The box of a set of geometries, lon/lat. */
export function boundsOf(geometries: readonly (Polygon | MultiPolygon)[]): [number, number, number, number] | null {
  let b: [number, number, number, number] | null = null;
  for (const g of geometries) {
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const rings of polygons) {
      for (const [lon, lat] of rings[0] ?? []) {
        if (lon === undefined || lat === undefined) continue;
        b = b ? [Math.min(b[0], lon), Math.min(b[1], lat), Math.max(b[2], lon), Math.max(b[3], lat)] : [lon, lat, lon, lat];
      }
    }
  }
  return b;
}

/** Metres between two points (haversine): the same rule as the service's distances. */
export { haversineM as distanceM } from '../../../core/emergency/radius';

export const formatDistance = (m: number): string => (m >= 1000 ? `${(m / 1000).toFixed(2)} 公里` : `${Math.round(m)} 米`);
