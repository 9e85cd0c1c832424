import { describe, expect, it } from 'vitest';
import {
  BASEMAP_MIME,
  BASEMAP_PATHS,
  basemapForRenderer,
  basemapFromEnv,
  parseBasemapSetting,
  parseByteRange,
  parseTilePath,
  tileTemplate,
  upstreamTileUrl,
  type BasemapConfig,
} from './basemap';

const TIANDITU_XYZ: BasemapConfig = {
  kind: 'xyz',
  url: 'http://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=SECRET',
  crs: 'wgs84',
  attribution: '天地图',
  subdomains: ['0', '1', '2'],
};

describe('parseBasemapSetting', () => {
  it('is the demo map when nothing or "demo" is set', () => {
    expect(parseBasemapSetting(undefined)).toEqual({ ok: true, config: { kind: 'demo' } });
    expect(parseBasemapSetting('  ')).toEqual({ ok: true, config: { kind: 'demo' } });
    expect(parseBasemapSetting('demo')).toEqual({ ok: true, config: { kind: 'demo' } });
  });

  it('reads an XYZ, WMTS or PMTiles setting from JSON', () => {
    expect(parseBasemapSetting(JSON.stringify(TIANDITU_XYZ))).toEqual({ ok: true, config: TIANDITU_XYZ });
    const wmts = { kind: 'wmts', url: 'http://t0.tianditu.gov.cn/vec_w/wmts?tk=K', layer: 'vec', crs: 'gcj02' };
    expect(parseBasemapSetting(JSON.stringify(wmts))).toEqual({ ok: true, config: wmts });
    const pm = { kind: 'pmtiles', path: '/srv/maps/town.pmtiles', crs: 'gcj02' };
    expect(parseBasemapSetting(JSON.stringify(pm))).toEqual({ ok: true, config: pm });
  });

  it('refuses bad JSON and bad settings with a Chinese reason', () => {
    expect(parseBasemapSetting('{kind:')).toEqual({ ok: false, error: 'GRIDDECK_BASEMAP 不是有效的 JSON' });
    const bad = parseBasemapSetting(JSON.stringify({ kind: 'xyz', url: 'http://x/{z}/{x}/{y}', crs: 'bd09' }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toContain('crs');
  });

  it('falls back to the demo map from a bad environment', () => {
    expect(basemapFromEnv({ GRIDDECK_BASEMAP: 'nonsense' })).toEqual({ kind: 'demo' });
    expect(basemapFromEnv({})).toEqual({ kind: 'demo' });
    expect(basemapFromEnv({ GRIDDECK_BASEMAP: JSON.stringify(TIANDITU_XYZ) })).toEqual(TIANDITU_XYZ);
  });
});

describe('basemapForRenderer', () => {
  it('keeps the demo map as it is', () => {
    expect(basemapForRenderer({ kind: 'demo' })).toEqual({ kind: 'demo' });
  });

  it('hides a remote service (and its key) behind the shell’s same-origin tile path', () => {
    const seen = basemapForRenderer(TIANDITU_XYZ);
    expect(seen).toEqual({ kind: 'xyz', url: BASEMAP_PATHS.tiles, crs: 'wgs84', attribution: '天地图' });
    expect(JSON.stringify(seen)).not.toContain('SECRET');
    expect(basemapForRenderer({ kind: 'wmts', url: 'http://h/wmts?tk=SECRET', layer: 'img', crs: 'gcj02' })).toEqual({
      kind: 'xyz',
      url: BASEMAP_PATHS.tiles,
      crs: 'gcj02',
    });
  });

  it('serves a PMTiles file from the app’s origin', () => {
    expect(basemapForRenderer({ kind: 'pmtiles', path: '/srv/a.pmtiles', crs: 'gcj02', attribution: 'A' })).toEqual({
      kind: 'pmtiles',
      path: BASEMAP_PATHS.pmtiles,
      crs: 'gcj02',
      attribution: 'A',
    });
  });
});

describe('upstreamTileUrl', () => {
  it('fills an XYZ template, rotating subdomains', () => {
    expect(upstreamTileUrl(TIANDITU_XYZ, 12, 3330, 1710)).toBe('http://t0.tianditu.gov.cn/DataServer?T=vec_w&x=3330&y=1710&l=12&tk=SECRET');
    expect(upstreamTileUrl({ kind: 'xyz', url: 'https://a/{z}/{x}/{y}.png', crs: 'wgs84' }, 1, 1, 0)).toBe('https://a/1/1/0.png');
  });

  it('builds a WMTS GetTile request (天地图: matrix set w, format tiles)', () => {
    const u = upstreamTileUrl({ kind: 'wmts', url: 'http://t0.tianditu.gov.cn/vec_w/wmts?tk=K', layer: 'vec', crs: 'wgs84' }, 10, 833, 427);
    expect(u).toBe(
      'http://t0.tianditu.gov.cn/vec_w/wmts?tk=K&SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX=10&TILEROW=427&TILECOL=833',
    );
    expect(upstreamTileUrl({ kind: 'wmts', url: 'http://h/wmts', layer: 'l', crs: 'wgs84', tileMatrixSet: 'GoogleMapsCompatible', format: 'image/png', style: 's' }, 0, 0, 0)).toBe(
      'http://h/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=l&STYLE=s&TILEMATRIXSET=GoogleMapsCompatible&FORMAT=image%2Fpng&TILEMATRIX=0&TILEROW=0&TILECOL=0',
    );
  });

  it('refuses tiles outside the pyramid and settings without remote tiles', () => {
    expect(upstreamTileUrl(TIANDITU_XYZ, 2, 4, 0)).toBeNull();
    expect(upstreamTileUrl(TIANDITU_XYZ, 25, 0, 0)).toBeNull();
    expect(upstreamTileUrl(TIANDITU_XYZ, 1, -1, 0)).toBeNull();
    expect(upstreamTileUrl(TIANDITU_XYZ, 1.5, 0, 0)).toBeNull();
    expect(upstreamTileUrl({ kind: 'demo' }, 1, 0, 0)).toBeNull();
    expect(upstreamTileUrl({ kind: 'pmtiles', path: '/a', crs: 'wgs84' }, 1, 0, 0)).toBeNull();
  });
});

describe('parseTilePath', () => {
  it('reads z/x/y and nothing else', () => {
    expect(parseTilePath('/basemap/tiles/12/3330/1710')).toEqual({ z: 12, x: 3330, y: 1710 });
    expect(parseTilePath('/basemap/tiles/3/1/2.png')).toEqual({ z: 3, x: 1, y: 2 });
    expect(parseTilePath('/basemap/tiles/3/1')).toBeNull();
    expect(parseTilePath('/basemap/tiles/../../etc/passwd')).toBeNull();
    expect(parseTilePath('/basemap/tiles/a/b/c')).toBeNull();
  });
});

describe('tileTemplate', () => {
  it('is the XYZ template itself, or a WMTS GetTile template with placeholders', () => {
    expect(tileTemplate(TIANDITU_XYZ)).toBe(TIANDITU_XYZ.kind === 'xyz' ? TIANDITU_XYZ.url : '');
    expect(tileTemplate({ kind: 'wmts', url: 'http://h/wmts', layer: 'vec', crs: 'gcj02' })).toBe(
      'http://h/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}',
    );
    expect(tileTemplate({ kind: 'demo' })).toBeNull();
  });
});

describe('parseByteRange', () => {
  it('reads a first-last, an open and a suffix range', () => {
    expect(parseByteRange('bytes=0-16383', 100_000)).toEqual({ start: 0, end: 16383 });
    expect(parseByteRange('bytes=99990-', 100_000)).toEqual({ start: 99990, end: 99999 });
    expect(parseByteRange('bytes=-10', 100_000)).toEqual({ start: 99990, end: 99999 });
    expect(parseByteRange('bytes=90000-200000', 100_000)).toEqual({ start: 90000, end: 99999 });
  });

  it('serves the whole file without a usable range, and refuses one outside the file', () => {
    expect(parseByteRange(undefined, 10)).toBeNull();
    expect(parseByteRange('bytes=0-1,4-5', 10)).toBeNull();
    expect(parseByteRange('items=0-1', 10)).toBeNull();
    expect(parseByteRange('bytes=-', 10)).toBeNull();
    expect(parseByteRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=5-2', 10)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-0', 10)).toBe('unsatisfiable');
  });

  it('knows the MIME type of every base map file', () => {
    expect(BASEMAP_MIME['.geojson']).toBe('application/geo+json');
    expect(BASEMAP_MIME['.pmtiles']).toBe('application/octet-stream');
  });
});
