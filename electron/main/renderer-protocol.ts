// Serves the built renderer as app://griddeck/… rather than file://: a standard,
// secure origin that the IPC bridge can check, a CSP header on every page, and
// the right MIME types (maplibre's module worker refuses .mjs served otherwise).
// The base map comes from the same origin (core/api/basemap.ts): the demo town's
// files from resources/basemap, a configured remote service's tiles fetched here,
// a configured PMTiles file in byte ranges, so the renderer's CSP stays 'self'.
import { open, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { app, net, protocol } from 'electron';
import type { BasemapConfig } from '../../core/api/basemap';
import { BASEMAP_MIME, basemapFromEnv, parseByteRange, upstreamTileUrl } from '../../core/api/basemap';
import { contentSecurityPolicy } from '../../core/api/csp';
import { APP_SCHEME, resolveAppPath, resolveBasemapRequest } from './app-path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.pbf': 'application/x-protobuf',
};

/** Upstream tile requests give up after this. */
const TILE_TIMEOUT_MS = 15_000;

/** Must run before app `ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** resources/basemap: beside the app when packaged (electron-builder extraResources), in the repository otherwise. */
export function defaultBasemapDir(rendererDir: string): string {
  return app.isPackaged ? join(process.resourcesPath, 'basemap') : join(rendererDir, '..', '..', 'resources', 'basemap');
}

export function handleAppScheme(rendererDir: string, basemap: { dir?: string; config?: BasemapConfig } = {}): void {
  const policy = contentSecurityPolicy();
  const basemapDir = basemap.dir ?? defaultBasemapDir(rendererDir);
  const config = basemap.config ?? basemapFromEnv(process.env);
  protocol.handle(APP_SCHEME, async (request) => {
    const map = resolveBasemapRequest(basemapDir, request.url);
    if (map) return serveBasemap(map, request, config);
    const file = resolveAppPath(rendererDir, request.url);
    if (!file) return new Response('forbidden', { status: 403 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'Content-Security-Policy': policy,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

async function serveBasemap(map: NonNullable<ReturnType<typeof resolveBasemapRequest>>, request: Request, config: BasemapConfig): Promise<Response> {
  switch (map.kind) {
    case 'refused':
      return new Response('forbidden', { status: 403 });
    case 'file':
      return sendFile(map.file, request.headers.get('range'));
    case 'pmtiles':
      return config.kind === 'pmtiles' ? sendFile(config.path, request.headers.get('range')) : new Response('not found', { status: 404 });
    case 'tile': {
      const upstream = upstreamTileUrl(config, map.z, map.x, map.y);
      if (!upstream) return new Response('not found', { status: 404 });
      try {
        const answer = await net.fetch(upstream, { signal: AbortSignal.timeout(TILE_TIMEOUT_MS) });
        const type = answer.headers.get('content-type') ?? '';
        if (!answer.ok || !type.startsWith('image/')) return new Response('bad gateway', { status: 502 });
        return new Response(await answer.arrayBuffer(), { headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' } });
      } catch {
        return new Response('gateway timeout', { status: 504 });
      }
    }
  }
}

/** A base map file, whole or one byte range (PMTiles readers ask for ranges). */
async function sendFile(file: string, rangeHeader: string | null): Promise<Response> {
  const type = BASEMAP_MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return new Response('not found', { status: 404 });
  }
  const range = parseByteRange(rangeHeader, size);
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
  if (!range) return new Response(await readFile(file), { headers: { 'Content-Type': type, 'Accept-Ranges': 'bytes' } });
  const handle = await open(file, 'r');
  try {
    const body = Buffer.alloc(range.end - range.start + 1);
    await handle.read(body, 0, body.length, range.start);
    return new Response(body, {
      status: 206,
      headers: { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Content-Range': `bytes ${range.start}-${range.end}/${size}` },
    });
  } finally {
    await handle.close();
  }
}
