import { describe, expect, it } from 'vitest';
// Through the bundler, as the renderer reads files (no Node in renderer code, tests included).
import demoText from '../../../resources/basemap/demo/basemap.geojson?raw';
import townJson from '../../../resources/demo-town/town.json';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { absoluteUrl, basemapCrs, basemapLabels, basemapStyle, styleNeedsGlyphs } from './basemap';
import { GCJ02_DATUM, WGS84_DATUM, datumFor } from './coords';
import { insidePoint, prepareGrids, boundsOf, simplifyRing, OVERVIEW_TOLERANCE_DEG } from './grids';
import { DARK, LIGHT } from './theme';
import type { Grid } from '../../../core/model';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';

const demo = JSON.parse(demoText) as FeatureCollection;
const town = townJson as unknown as { town: Grid; villages: Grid[]; grids: Grid[] };
const ORIGIN = 'http://127.0.0.1:4173';

describe('the base map style', () => {
  it('draws the demo town from its own origin with no text layer and no glyphs to download', () => {
    const style = basemapStyle({ kind: 'demo' }, LIGHT, { origin: ORIGIN });
    expect(styleNeedsGlyphs(style)).toBe(false);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect((style.sources.demo as { data: unknown }).data).toBe(`${ORIGIN}/basemap/demo/basemap.geojson`);
    expect(style.layers.map((l) => l.id)).toEqual([
      'background', 'village-area', 'settlement', 'water', 'stream', 'river',
      'road-track-casing', 'road-village-casing', 'road-county-casing', 'road-track', 'road-village', 'road-county',
    ]);
    // Every URL in the style stays on the page's origin.
    expect(JSON.stringify(style).match(/https?:\/\/[^"]+/g)?.every((u) => u.startsWith(ORIGIN))).toBe(true);
  });

  it('passes loaded data through, and has a dark and a light look', () => {
    const dark = basemapStyle({ kind: 'demo' }, DARK, { origin: ORIGIN, demoData: demo });
    const light = basemapStyle({ kind: 'demo' }, LIGHT, { origin: ORIGIN, demoData: demo });
    expect((dark.sources.demo as { data: unknown }).data).toBe(demo);
    const bg = (s: typeof dark): unknown => (s.layers[0] as { paint: Record<string, unknown> }).paint['background-color'];
    expect(bg(dark)).toBe(DARK.background);
    expect(bg(light)).toBe(LIGHT.background);
    expect(bg(dark)).not.toBe(bg(light));
  });

  it('draws a configured service as raster tiles from the shell’s same-origin path', () => {
    const xyz = basemapStyle({ kind: 'xyz', url: '/basemap/tiles/{z}/{x}/{y}', crs: 'gcj02', attribution: '天地图' }, LIGHT, { origin: ORIGIN });
    expect(xyz.sources.raster).toMatchObject({ type: 'raster', tiles: [`${ORIGIN}/basemap/tiles/{z}/{x}/{y}`], tileSize: 256, attribution: '天地图' });
    expect(styleNeedsGlyphs(xyz)).toBe(false);
    const pm = basemapStyle({ kind: 'pmtiles', path: '/basemap/local.pmtiles', crs: 'wgs84' }, DARK, { origin: 'app://griddeck' });
    expect(pm.sources.raster).toMatchObject({ type: 'raster', url: 'pmtiles://app://griddeck/basemap/local.pmtiles' });
    // The dark wall dims a light street map.
    expect((pm.layers[1] as unknown as { paint: Record<string, number> }).paint['raster-brightness-max']).toBeLessThan(0.5);
    const wmts = basemapStyle({ kind: 'wmts', url: 'http://h/wmts?tk=K', layer: 'vec', crs: 'wgs84' }, LIGHT, { origin: ORIGIN });
    expect((wmts.sources.raster as { tiles: string[] }).tiles[0]).toContain('TILEMATRIX={z}&TILEROW={y}&TILECOL={x}');
    const sub = basemapStyle({ kind: 'xyz', url: 'http://t{s}.x/{z}/{x}/{y}', crs: 'wgs84', subdomains: ['3'] }, LIGHT, { origin: ORIGIN });
    expect((sub.sources.raster as { tiles: string[] }).tiles[0]).toBe('http://t3.x/{z}/{x}/{y}');
  });

  it('knows each source’s datum and makes same-origin URLs absolute', () => {
    expect(basemapCrs({ kind: 'demo' })).toBe('wgs84');
    expect(basemapCrs({ kind: 'xyz', url: 'u', crs: 'gcj02' })).toBe('gcj02');
    expect(absoluteUrl('/basemap/x', 'app://griddeck')).toBe('app://griddeck/basemap/x');
    expect(absoluteUrl('https://a/b', ORIGIN)).toBe('https://a/b');
  });

  it('takes the water and road names of the demo map for deck.gl’s text', () => {
    const labels = basemapLabels(demo);
    expect(labels.map((l) => l.name)).toEqual(expect.arrayContaining(['汨水', '县道 X041']));
    expect(labels.every((l) => l.cls === 'water' || l.cls === 'road')).toBe(true);
    expect(basemapLabels(demo, ['village']).map((l) => l.name)).toEqual(town.villages.map((v) => v.name));
    expect(basemapLabels(null)).toEqual([]);
  });
});

describe('grids prepared for the map', () => {
  const all = [town.town, ...town.villages, ...town.grids];

  it('split grids into fill rows, village and town boundaries, with a label point inside each', () => {
    const p = prepareGrids(all);
    expect(p.shapes).toHaveLength(all.length);
    expect(new Set(p.parts.map((x) => x.grid.code)).size).toBe(town.grids.length);
    expect(p.villageBoundaries.length).toBeGreaterThanOrEqual(town.villages.length);
    expect(p.townBoundaries.length).toBeGreaterThanOrEqual(1);
    for (const g of all) expect(booleanPointInPolygon(p.byCode.get(g.code)!.inside, g.geometry), g.name).toBe(true);
    const b = boundsOf(p.shapes.filter((s) => s.level === 1))!;
    expect(b[0]).toBeLessThan(112.85);
    expect(b[3]).toBeGreaterThan(28.66);
    expect(boundsOf([])).toBeNull();
  });

  it('simplify the overview geometry to a fraction of the vertices, within the tolerance', () => {
    const p = prepareGrids(all);
    const count = (parts: { polygon: unknown[][] }[]) => parts.reduce((n, x) => n + x.polygon.reduce((m, r) => m + r.length, 0), 0);
    expect(count(p.overviewParts)).toBeLessThan(count(p.parts) * 0.9);
    expect(p.overviewParts).toHaveLength(p.parts.length);
    expect(p.overviewParts[0]!.grid).toBe(p.parts[0]!.grid);
    // A square keeps its corners; points on a straight edge go; the ring stays closed.
    const square = [[0, 0], [1, 0], [2, 0], [2, 1], [2, 2], [1, 2], [0, 2], [0, 1], [0, 0]];
    expect(simplifyRing(square, 0.01)).toEqual([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]);
    const bumpy = [[0, 0], [1, 0.00001], [2, 0], [2, 2], [0, 2], [0, 1], [0, 0]];
    expect(simplifyRing(bumpy, OVERVIEW_TOLERANCE_DEG)).toEqual([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]);
    // With no tolerance only exactly collinear points go.
    expect(simplifyRing(bumpy, 0)).toEqual(bumpy.filter((p) => !(p[0] === 0 && p[1] === 1)));
    expect(simplifyRing([[0, 0], [1, 0], [0, 1], [0, 0]], 5)).toEqual([[0, 0], [1, 0], [0, 1], [0, 0]]);
  });

  it('finds a point inside a concave shape whose centre is outside', () => {
    const u: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]] };
    expect(booleanPointInPolygon(insidePoint(u), u)).toBe(true);
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [u.coordinates, [[[10, 10], [11, 10], [11, 11], [10, 10]]]] };
    expect(booleanPointInPolygon(insidePoint(multi), multi)).toBe(true);
  });

  it('move onto a GCJ-02 base map by gcoord, keeping WGS84 for what the replica says', () => {
    const input = structuredClone(town.grids[0]!);
    const p = prepareGrids([input], GCJ02_DATUM);
    expect(input).toEqual(town.grids[0]);
    const shape = p.shapes[0]!;
    expect(shape.label[0]).not.toBeCloseTo(shape.inside[0], 4);
    expect(p.parts[0]!.polygon[0]![0]![0]).not.toBe(town.grids[0]!.geometry.coordinates[0]![0]![0]);
  });
});

describe('datum shifts', () => {
  it('GCJ-02 moves a point in Hunan by a few hundred metres, and back', () => {
    const [lon, lat] = GCJ02_DATUM.toDisplay(112.9, 28.61);
    const metres = Math.hypot((lon - 112.9) * 97_800, (lat - 28.61) * 110_900);
    expect(metres).toBeGreaterThan(300);
    expect(metres).toBeLessThan(900);
    const [lon2, lat2] = GCJ02_DATUM.fromDisplay(lon, lat);
    expect(lon2).toBeCloseTo(112.9, 5);
    expect(lat2).toBeCloseTo(28.61, 5);
    expect(WGS84_DATUM.toDisplay(1, 2)).toEqual([1, 2]);
    expect(datumFor('gcj02')).toBe(GCJ02_DATUM);
    expect(datumFor('wgs84')).toBe(WGS84_DATUM);
  });
});
