// The base map as the web shell serves it, all from the page's own origin:
//   /basemap/demo/…            the demo town's files (resources/basemap), by extension MIME type
//   /basemap/tiles/{z}/{x}/{y}  a configured XYZ/WMTS service, fetched here (its key stays on the server)
//   /basemap/local.pmtiles      a configured PMTiles file, with byte ranges
// (core/api/basemap.ts). The renderer's CSP keeps `connect-src 'self'`, and a wall
// PC on the LAN needs no internet of its own.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BasemapConfig } from '../../core/api/basemap';
import { BASEMAP_MIME, BASEMAP_PATHS, parseByteRange, parseTilePath, upstreamTileUrl } from '../../core/api/basemap';

export const DEFAULT_BASEMAP_DIR = fileURLToPath(new URL('../../resources/basemap/', import.meta.url));

/** Upstream tile requests give up after this: a slow service must not hold a wall's frame. */
const TILE_TIMEOUT_MS = 15_000;

export interface BasemapServeOptions {
  /** resources/basemap (the demo town's files). */
  dir?: string;
  config: BasemapConfig;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

/** Returns a handler that answers /basemap/… requests and returns false for anything else. */
export function basemapHandler(options: BasemapServeOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const root = resolve(options.dir ?? DEFAULT_BASEMAP_DIR);
  const fetchTile = options.fetch ?? fetch;
  const { config } = options;

  return (req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return false;
    }
    if (!path.startsWith('/basemap/')) return false;

    if (path === BASEMAP_PATHS.pmtiles) {
      if (config.kind !== 'pmtiles') notFound(res);
      else sendFile(req, res, resolve(config.path));
      return true;
    }
    const tile = parseTilePath(path);
    if (tile) {
      const upstream = upstreamTileUrl(config, tile.z, tile.x, tile.y);
      if (!upstream) notFound(res);
      else void proxyTile(res, upstream, fetchTile, options.log);
      return true;
    }
    // The demo files: inside resources/basemap only.
    const file = resolve(root, `.${path.slice('/basemap'.length)}`);
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) notFound(res);
    else sendFile(req, res, file);
    return true;
  };
}

function notFound(res: ServerResponse): void {
  res.removeHeader('Content-Type');
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('未找到\n');
}

/** A file with its MIME type and single byte ranges (what PMTiles readers ask for). */
function sendFile(req: IncomingMessage, res: ServerResponse, file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    notFound(res);
    return;
  }
  const type = BASEMAP_MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const range = parseByteRange(req.headers.range, size);
  const common = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache' };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...common, 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  const head = req.method === 'HEAD';
  if (range) {
    res.writeHead(206, { ...common, 'Content-Length': range.end - range.start + 1, 'Content-Range': `bytes ${range.start}-${range.end}/${size}` });
    if (head) res.end();
    else createReadStream(file, { start: range.start, end: range.end }).pipe(res);
    return;
  }
  res.writeHead(200, { ...common, 'Content-Length': size });
  if (head) res.end();
  else createReadStream(file).pipe(res);
}

async function proxyTile(res: ServerResponse, upstream: string, fetchTile: typeof fetch, log?: (line: string) => void): Promise<void> {
  try {
    const answer = await fetchTile(upstream, { signal: AbortSignal.timeout(TILE_TIMEOUT_MS), headers: { 'User-Agent': 'GridDeck' } });
    const type = answer.headers.get('content-type') ?? '';
    if (!answer.ok || !/^image\//.test(type)) {
      // Never echo the upstream URL: it carries the service key.
      log?.(`basemap: upstream tile answered ${answer.status} ${type}`);
      res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' }).end('底图服务无应答\n');
      return;
    }
    const body = Buffer.from(await answer.arrayBuffer());
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'public, max-age=86400' }).end(body);
  } catch (error) {
    log?.(`basemap: upstream tile failed: ${error instanceof Error ? error.name : String(error)}`);
    if (!res.headersSent) res.writeHead(504, { 'Content-Type': 'text/plain; charset=utf-8' }).end('底图服务超时\n');
  }
}

/** The single-page routes that the shell answers with index.html (the wall's own URL). */
export function isAppRoute(pathname: string): boolean {
  return pathname === '/wall' || pathname.startsWith('/wall/');
}
