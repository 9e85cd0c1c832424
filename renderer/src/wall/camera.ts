// The wall's resting view: the whole town filling the map's rectangle. Web Mercator
// arithmetic with maplibre's 512-pixel world at zoom 0, so the town fits whatever
// the display's shape (a wide span zooms to the town's height, not its width).
import type { Camera } from '../map/view-state';

export type Bounds = [minLon: number, minLat: number, maxLon: number, maxLat: number];

const TILE = 512;
const mercY = (lat: number): number => {
  const phi = (Math.max(-85, Math.min(85, lat)) * Math.PI) / 180;
  return (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2;
};
const latOf = (y: number): number => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;

/**
 * The camera that shows `bounds` inside a `width` × `height` pixel map with `padding`
 * pixels kept free on every side; north up, no tilt. Zoom is capped at `maxZoom`
 * (a single point, or a tiny town, would zoom in without end).
 */
export function fitCamera(bounds: Bounds, width: number, height: number, padding = 24, maxZoom = 17): Camera {
  const [minLon, minLat, maxLon, maxLat] = bounds;
  const x0 = (minLon + 180) / 360;
  const x1 = (maxLon + 180) / 360;
  const y0 = mercY(maxLat);
  const y1 = mercY(minLat);
  const w = Math.max(1, width - 2 * padding);
  const h = Math.max(1, height - 2 * padding);
  const zx = x1 > x0 ? Math.log2(w / ((x1 - x0) * TILE)) : maxZoom;
  const zy = y1 > y0 ? Math.log2(h / ((y1 - y0) * TILE)) : maxZoom;
  const zoom = Math.max(0, Math.min(maxZoom, zx, zy));
  return { lon: ((x0 + x1) / 2) * 360 - 180, lat: latOf((y0 + y1) / 2), zoom, bearing: 0, pitch: 0 };
}

/** The bounding box of GeoJSON polygon rings (any nesting of [lon, lat] arrays); null when there is no point. */
export function boundsOfCoordinates(coordinates: unknown): Bounds | null {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      minLon = Math.min(minLon, c[0]);
      maxLon = Math.max(maxLon, c[0]);
      minLat = Math.min(minLat, c[1]);
      maxLat = Math.max(maxLat, c[1]);
      return;
    }
    for (const child of c) visit(child);
  };
  visit(coordinates);
  return Number.isFinite(minLon) ? [minLon, minLat, maxLon, maxLat] : null;
}
