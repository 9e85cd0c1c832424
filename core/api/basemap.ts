// Which base map the screens draw under the grids. A command center often has no
// internet, so the default is the demo town's base map shipped in resources/basemap
// (no request beyond the app's own origin). A real town configures its own:
// an XYZ or WMTS tile service (天地图 with its key, a provincial platform), or a
// local PMTiles file. Chinese services publish in GCJ-02; the map then moves the
// overlay data (grids, workers, events: WGS84 on the county link) onto the base
// map's datum, never the reverse.
//
// The operator's setting travels in GRIDDECK_BASEMAP (JSON, or the word "demo") to
// the data service, which reports it in app.info, and to the shells, which serve
// it: remote tiles are fetched by the shell and served from the app's own origin
// (/basemap/tiles/{z}/{x}/{y}), so the renderer's CSP stays `'self'`, a LAN wall
// browser needs no internet, and a service key never reaches a browser.
import * as z from 'zod';

export const BasemapCrsSchema = z.enum(['wgs84', 'gcj02']);
export type BasemapCrs = z.infer<typeof BasemapCrsSchema>;

const url = z.string().min(1).max(2000);
const attribution = z.string().max(300).optional();

export const BasemapConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('demo') }),
  z.object({
    kind: z.literal('xyz'),
    /** A tile template with {z}, {x}, {y} (and {s} with subdomains), e.g. 天地图's …/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=KEY. */
    url,
    crs: BasemapCrsSchema,
    attribution,
    subdomains: z.array(z.string().min(1).max(20)).max(16).optional(),
    /** Pixel size of a tile, 256 for most services. */
    tileSize: z.union([z.literal(256), z.literal(512)]).optional(),
  }),
  z.object({
    kind: z.literal('wmts'),
    /** The service endpoint (KVP), e.g. http://t0.tianditu.gov.cn/vec_w/wmts?tk=KEY. */
    url,
    layer: z.string().min(1).max(100),
    crs: BasemapCrsSchema,
    attribution,
    /** Web Mercator tile matrix set; 天地图 calls it "w". */
    tileMatrixSet: z.string().min(1).max(100).optional(),
    format: z.string().min(1).max(100).optional(),
    style: z.string().min(1).max(100).optional(),
  }),
  z.object({
    kind: z.literal('pmtiles'),
    /** A raster PMTiles archive: a file path for the shells, a same-origin URL path for the renderer. */
    path: z.string().min(1).max(2000),
    crs: BasemapCrsSchema,
    attribution,
  }),
]);
export type BasemapConfig = z.infer<typeof BasemapConfigSchema>;

export const DEMO_BASEMAP: BasemapConfig = { kind: 'demo' };

/** Where the shells serve each part of the base map (same origin as the page). */
export const BASEMAP_PATHS = {
  /** The demo town's files: resources/basemap/demo/. */
  demo: '/basemap/demo/basemap.geojson',
  /** Remote XYZ/WMTS tiles, fetched by the shell. */
  tiles: '/basemap/tiles/{z}/{x}/{y}',
  /** The configured PMTiles file. */
  pmtiles: '/basemap/local.pmtiles',
} as const;

export type BasemapSetting = { ok: true; config: BasemapConfig } | { ok: false; error: string };

/** Reads GRIDDECK_BASEMAP: absent, empty or "demo" is the demo; anything else must be a valid JSON setting. */
export function parseBasemapSetting(text: string | undefined): BasemapSetting {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '' || trimmed === 'demo') return { ok: true, config: DEMO_BASEMAP };
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch {
    return { ok: false, error: 'GRIDDECK_BASEMAP 不是有效的 JSON' };
  }
  const parsed = BasemapConfigSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: `GRIDDECK_BASEMAP 配置无效:${parsed.error.issues.map((i) => `${i.path.join('.') || '(根)'} ${i.message}`).join(';')}` };
  return { ok: true, config: parsed.data };
}

/** The setting in force: a bad setting falls back to the demo map rather than leave the screens blank (the shells log the error). */
export function basemapFromEnv(env: Readonly<Record<string, string | undefined>>): BasemapConfig {
  const setting = parseBasemapSetting(env.GRIDDECK_BASEMAP);
  return setting.ok ? setting.config : DEMO_BASEMAP;
}

/**
 * The base map as the renderer sees it (app.info): remote services become the
 * shell's same-origin tile path, a PMTiles file its same-origin URL. Keys in the
 * remote URL stay on the server.
 */
export function basemapForRenderer(config: BasemapConfig): BasemapConfig {
  const attribution = 'attribution' in config && config.attribution !== undefined ? { attribution: config.attribution } : {};
  switch (config.kind) {
    case 'demo':
      return config;
    case 'xyz':
      return { kind: 'xyz', url: BASEMAP_PATHS.tiles, crs: config.crs, ...attribution, ...(config.tileSize ? { tileSize: config.tileSize } : {}) };
    case 'wmts':
      return { kind: 'xyz', url: BASEMAP_PATHS.tiles, crs: config.crs, ...attribution };
    case 'pmtiles':
      return { kind: 'pmtiles', path: BASEMAP_PATHS.pmtiles, crs: config.crs, ...attribution };
  }
}

/** The tile template of a remote service ({z}, {x}, {y}, and {s} for a subdomain), or null for the demo map and PMTiles. */
export function tileTemplate(config: BasemapConfig): string | null {
  if (config.kind === 'xyz') return config.url;
  if (config.kind === 'wmts') {
    // Built by hand: core has no URLSearchParams (no DOM, no Node). Same encoding as a form's.
    const params = [
      ['SERVICE', 'WMTS'],
      ['REQUEST', 'GetTile'],
      ['VERSION', '1.0.0'],
      ['LAYER', config.layer],
      ['STYLE', config.style ?? 'default'],
      ['TILEMATRIXSET', config.tileMatrixSet ?? 'w'],
      ['FORMAT', config.format ?? 'tiles'],
    ]
      .map(([k, v]) => `${k}=${encodeURIComponent(v ?? '')}`)
      .join('&');
    return `${config.url}${config.url.includes('?') ? '&' : '?'}${params}&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}`;
  }
  return null;
}

/** The upstream URL of one tile of a remote service, or null when the setting has no remote tiles. */
export function upstreamTileUrl(config: BasemapConfig, z: number, x: number, y: number): string | null {
  if (![z, x, y].every((n) => Number.isInteger(n) && n >= 0) || z > 24 || x >= 2 ** z || y >= 2 ** z) return null;
  const template = tileTemplate(config);
  if (template === null) return null;
  const subdomains = config.kind === 'xyz' ? (config.subdomains ?? []) : [];
  const s = subdomains.length > 0 ? (subdomains[(x + y) % subdomains.length] ?? '') : '';
  return template.replaceAll('{z}', String(z)).replaceAll('{x}', String(x)).replaceAll('{y}', String(y)).replaceAll('{s}', s);
}

/** Parses "/basemap/tiles/12/3345/1720" (an optional extension is ignored) into z, x, y. */
export function parseTilePath(pathname: string): { z: number; x: number; y: number } | null {
  const m = /^\/basemap\/tiles\/(\d{1,2})\/(\d{1,8})\/(\d{1,8})(?:\.\w{1,5})?$/.exec(pathname);
  if (!m) return null;
  return { z: Number(m[1]), x: Number(m[2]), y: Number(m[3]) };
}

/** MIME types of the base map's files, for both shells. */
export const BASEMAP_MIME: Readonly<Record<string, string>> = {
  '.geojson': 'application/geo+json',
  '.json': 'application/json',
  '.pmtiles': 'application/octet-stream',
  '.pbf': 'application/x-protobuf',
  '.mvt': 'application/vnd.mapbox-vector-tile',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.md': 'text/markdown; charset=utf-8',
};

/**
 * One byte range of an HTTP Range header ("bytes=0-16383", "bytes=100-", "bytes=-500")
 * within a file of `size` bytes: PMTiles readers fetch the archive in such ranges.
 * null: no usable single range (serve the whole file); 'unsatisfiable': answer 416.
 */
export function parseByteRange(header: string | undefined | null, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
