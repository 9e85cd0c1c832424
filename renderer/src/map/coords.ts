// Datum shifts between the overlay data and the base map. Everything on the
// county link is WGS84; a base map published in GCJ-02 (most Chinese services)
// is drawn where GCJ-02 puts things, so the overlay moves onto it, by gcoord's
// published transform, never by a hand-made offset. Going back (a point picked on
// the map) uses gcoord's inverse, so the app always stores WGS84.
import gcoord from 'gcoord';
import type { MultiPolygon, Polygon } from 'geojson';
import type { BasemapCrs } from '../../../core/api/basemap';

export type LonLat = [number, number];

export interface Datum {
  crs: BasemapCrs;
  /** WGS84 → the base map's datum. */
  toDisplay(lon: number, lat: number): LonLat;
  /** The base map's datum → WGS84. */
  fromDisplay(lon: number, lat: number): LonLat;
  /** A grid's geometry on the base map (a copy; the input is left alone). */
  geometry<G extends Polygon | MultiPolygon>(g: G): G;
}

const identity = (lon: number, lat: number): LonLat => [lon, lat];

export const WGS84_DATUM: Datum = {
  crs: 'wgs84',
  toDisplay: identity,
  fromDisplay: identity,
  geometry: (g) => g,
};

export const GCJ02_DATUM: Datum = {
  crs: 'gcj02',
  toDisplay: (lon, lat) => gcoord.transform<[number, number]>([lon, lat], gcoord.WGS84, gcoord.GCJ02),
  fromDisplay: (lon, lat) => gcoord.transform<[number, number]>([lon, lat], gcoord.GCJ02, gcoord.WGS84),
  // gcoord transforms GeoJSON in place: transform a deep copy. (Its own GeoJSON types differ from @types/geojson's.)
  geometry: <G extends Polygon | MultiPolygon>(g: G): G => gcoord.transform(structuredClone(g) as never, gcoord.WGS84, gcoord.GCJ02) as unknown as G,
};

export const datumFor = (crs: BasemapCrs): Datum => (crs === 'gcj02' ? GCJ02_DATUM : WGS84_DATUM);
