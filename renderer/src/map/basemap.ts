// The maplibre style of the base map, built in code from the configured source:
// the demo town's GeoJSON (resources/basemap/demo, served at /basemap/demo/ by
// both shells), or a raster XYZ/WMTS/PMTiles source that the shell serves from
// the app's own origin (core/api/basemap.ts). No symbol layer and no `glyphs`
// URL: maplibre would download glyph PBFs for any text; every label on the map
// is a deck.gl TextLayer drawn with an installed font instead.
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import type { BasemapConfig, BasemapCrs } from '../../../core/api/basemap';
import { BASEMAP_PATHS, tileTemplate } from '../../../core/api/basemap';
import type { MapPalette } from './theme';

export type StyleSpecification = Exclude<Parameters<MaplibreMap['setStyle']>[0], string | null>;
type LayerSpecification = StyleSpecification['layers'][number];

export const DEMO_SOURCE = 'demo';
export const RASTER_SOURCE = 'raster';

/** The datum of the base map: WGS84 for the demo map, as configured otherwise. */
export function basemapCrs(config: BasemapConfig): BasemapCrs {
  return config.kind === 'demo' ? 'wgs84' : config.crs;
}

/** A same-origin path as an absolute URL (maplibre's workers cannot resolve relative ones). */
export function absoluteUrl(pathOrUrl: string, origin: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) return pathOrUrl;
  // Joined as text: URL() would percent-encode a tile template's {z}/{x}/{y}.
  return `${origin.replace(/\/+$/, '')}/${pathOrUrl.replace(/^\/+/, '')}`;
}

export interface StyleOptions {
  /** The page's origin, e.g. http://127.0.0.1:4173 or app://griddeck. */
  origin: string;
  /** The demo map's features, when already loaded (otherwise maplibre fetches them from the shell). */
  demoData?: FeatureCollection;
}

/** Line width that follows the ground: `metres` wide at zoom 16, halving per zoom level below, with a floor in pixels. */
function groundWidth(metresAt16: number, minPx: number, scale = 1): unknown {
  const at16 = metresAt16 / 2.1;
  return ['interpolate', ['exponential', 2], ['zoom'], 10, Math.max(minPx, at16 / 64) * scale, 16, Math.max(minPx, at16) * scale, 20, Math.max(minPx, at16 * 16) * scale];
}

export function basemapStyle(config: BasemapConfig, palette: MapPalette, options: StyleOptions): StyleSpecification {
  const background: LayerSpecification = { id: 'background', type: 'background', paint: { 'background-color': palette.background } };
  if (config.kind === 'demo') {
    return {
      version: 8,
      name: `griddeck-demo-${palette.name}`,
      sources: {
        [DEMO_SOURCE]: {
          type: 'geojson',
          data: (options.demoData ?? absoluteUrl(BASEMAP_PATHS.demo, options.origin)) as never,
          // The whole town is a few hundred features: one tile set up to zoom 14, overzoomed beyond.
          maxzoom: 15,
          tolerance: 0.3,
          attribution: '演示底图(合成数据)',
        },
      },
      layers: [background, ...demoLayers(palette)],
    };
  }
  const tiles =
    config.kind === 'pmtiles'
      ? { url: `pmtiles://${absoluteUrl(config.path, options.origin)}` }
      : { tiles: [absoluteUrl(rasterTemplate(config), options.origin)] };
  const dark = palette.name === 'dark';
  return {
    version: 8,
    name: `griddeck-${config.kind}-${palette.name}`,
    sources: {
      [RASTER_SOURCE]: {
        type: 'raster',
        ...tiles,
        tileSize: config.kind === 'xyz' ? (config.tileSize ?? 256) : 256,
        ...(config.attribution ? { attribution: config.attribution } : {}),
      } as never,
    },
    layers: [
      background,
      {
        id: 'raster',
        type: 'raster',
        source: RASTER_SOURCE,
        // A light street map dimmed and cooled for the dark wall; the console shows it as published.
        paint: dark
          ? { 'raster-brightness-max': 0.42, 'raster-saturation': -0.65, 'raster-contrast': 0.1, 'raster-hue-rotate': 180, 'raster-opacity': 0.9 }
          : { 'raster-opacity': 1 },
      },
    ],
  };
}

/** A renderer normally sees remote services as the shell's same-origin XYZ path; a raw setting (development) still works. */
function rasterTemplate(config: BasemapConfig): string {
  const template = tileTemplate(config) ?? BASEMAP_PATHS.tiles;
  // maplibre knows {z}/{x}/{y} but not a subdomain placeholder: take the first.
  return config.kind === 'xyz' && config.subdomains?.[0] !== undefined ? template.replaceAll('{s}', config.subdomains[0]) : template;
}

function demoLayers(p: MapPalette): LayerSpecification[] {
  const src = { source: DEMO_SOURCE };
  const is = (layer: string, cls?: string): unknown =>
    cls === undefined ? ['==', ['get', 'layer'], layer] : ['all', ['==', ['get', 'layer'], layer], ['==', ['get', 'class'], cls]];
  // Rivers and roads: round lines of one colour whose width follows the ground.
  const line = (id: string, filter: unknown, color: string, width: unknown, minzoom?: number): unknown => ({
    id,
    type: 'line',
    ...src,
    ...(minzoom === undefined ? {} : { minzoom }),
    filter,
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': color, 'line-width': width },
  });
  const layers: unknown[] = [
    {
      id: 'village-area',
      type: 'fill',
      ...src,
      filter: is('village'),
      paint: { 'fill-color': ['match', ['get', 'class'], 'community', p.communityFill, p.villageFill], 'fill-antialias': false },
    },
    { id: 'settlement', type: 'fill', ...src, filter: is('settlement'), paint: { 'fill-color': p.settlement, 'fill-outline-color': p.settlementOutline } },
    { id: 'water', type: 'fill', ...src, filter: is('water'), paint: { 'fill-color': p.water, 'fill-outline-color': p.waterOutline } },
    line('stream', is('river', 'stream'), p.river, groundWidth(8, 0.8)),
    line('river', is('river', 'major'), p.river, groundWidth(60, 2.5)),
    // Casings under the fills, fills on top: the classic road look at every zoom.
    line('road-track-casing', is('road', 'track'), p.roadCasing, groundWidth(7, 1.6), 12.5),
    line('road-village-casing', is('road', 'village'), p.roadCasing, groundWidth(10, 2.2)),
    line('road-county-casing', is('road', 'county'), p.countyRoadCasing, groundWidth(16, 3.6)),
    line('road-track', is('road', 'track'), p.road.track, groundWidth(5, 0.8), 12.5),
    line('road-village', is('road', 'village'), p.road.village, groundWidth(7.5, 1.2)),
    line('road-county', is('road', 'county'), p.road.county, groundWidth(12, 2.2)),
  ];
  return layers as LayerSpecification[];
}

// ---------------------------------------------------------------- labels of the base map (drawn by deck.gl)

export interface BasemapLabel {
  name: string;
  /** town | village | water | road */
  cls: string;
  rank: number;
  position: [number, number];
}

/** The label points of the demo base map; village and town names come from the grids layer instead. */
export function basemapLabels(fc: FeatureCollection | null | undefined, classes: readonly string[] = ['water', 'road']): BasemapLabel[] {
  if (!fc) return [];
  const out: BasemapLabel[] = [];
  for (const f of fc.features) {
    const props = (f.properties ?? {}) as { layer?: string; class?: string; name?: string; rank?: number };
    if (props.layer !== 'label' || !props.name || f.geometry?.type !== 'Point') continue;
    if (!classes.includes(props.class ?? '')) continue;
    const [lon, lat] = f.geometry.coordinates;
    if (typeof lon !== 'number' || typeof lat !== 'number') continue;
    out.push({ name: props.name, cls: props.class ?? '', rank: props.rank ?? 3, position: [lon, lat] });
  }
  return out;
}

/** A style's text sources: none may need glyphs (the renderer's no-download promise). */
export function styleNeedsGlyphs(style: StyleSpecification): boolean {
  return style.glyphs !== undefined || style.layers.some((l) => l.type === 'symbol');
}
