import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BasemapConfig } from '../../core/api/basemap';
import { basemapHandler, DEFAULT_BASEMAP_DIR, isAppRoute } from './basemap';

const dir = mkdtempSync(join(tmpdir(), 'griddeck-basemap-'));
const pmtiles = join(dir, 'town.pmtiles');
writeFileSync(pmtiles, Buffer.from(Array.from({ length: 100 }, (_, i) => i)));

async function serve(config: BasemapConfig, fetchTile?: typeof fetch): Promise<{ url: string; server: Server }> {
  const handle = basemapHandler({ config, ...(fetchTile ? { fetch: fetchTile } : {}) });
  const server = createServer((req, res) => {
    if (!handle(req, res)) res.writeHead(418).end('not mine');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo base map, served by the web shell', () => {
  let url = '';
  beforeAll(async () => {
    const s = await serve({ kind: 'demo' });
    servers.push(s.server);
    url = s.url;
  });

  it('serves resources/basemap/demo/basemap.geojson as GeoJSON', async () => {
    const answer = await fetch(`${url}/basemap/demo/basemap.geojson`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/geo+json');
    const fc = (await answer.json()) as { type: string; features: unknown[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBeGreaterThan(50);
  });

  it('answers 404 outside the folder and for unconfigured tiles, and leaves other paths alone', async () => {
    expect((await fetch(`${url}/basemap/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${url}/basemap/demo/missing.geojson`)).status).toBe(404);
    expect((await fetch(`${url}/basemap/tiles/1/0/0`)).status).toBe(404);
    expect((await fetch(`${url}/basemap/local.pmtiles`)).status).toBe(404);
    expect((await fetch(`${url}/index.html`)).status).toBe(418);
  });

  it('knows its default folder and the wall route', () => {
    expect(DEFAULT_BASEMAP_DIR.replaceAll('\\', '/')).toMatch(/resources\/basemap\/$/);
    expect(isAppRoute('/wall')).toBe(true);
    expect(isAppRoute('/wall/')).toBe(true);
    expect(isAppRoute('/wallet')).toBe(false);
  });
});

describe('a configured remote service and PMTiles file', () => {
  it('fetches tiles upstream and serves them from its own origin, hiding the key', async () => {
    const asked: string[] = [];
    const fake = (async (input: string | URL | Request) => {
      asked.push(String(input));
      return new Response(new Uint8Array([137, 80, 78, 71]), { headers: { 'content-type': 'image/png' } });
    }) as typeof fetch;
    const s = await serve({ kind: 'xyz', url: 'http://tiles.example/{z}/{x}/{y}.png?tk=SECRET', crs: 'gcj02' }, fake);
    servers.push(s.server);
    const answer = await fetch(`${s.url}/basemap/tiles/3/2/1`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await answer.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71]));
    expect(asked).toEqual(['http://tiles.example/3/2/1.png?tk=SECRET']);
    // Outside the pyramid: never asked upstream.
    expect((await fetch(`${s.url}/basemap/tiles/1/5/0`)).status).toBe(404);
    expect(asked).toHaveLength(1);
  });

  it('answers 502 when the service sends no image, 504 when it fails', async () => {
    const html = (async () => new Response('<html>key expired</html>', { status: 403, headers: { 'content-type': 'text/html' } })) as typeof fetch;
    const s1 = await serve({ kind: 'xyz', url: 'http://tiles.example/{z}/{x}/{y}', crs: 'wgs84' }, html);
    servers.push(s1.server);
    expect((await fetch(`${s1.url}/basemap/tiles/1/0/0`)).status).toBe(502);
    const down = (async () => {
      throw new Error('ECONNREFUSED');
    }) as typeof fetch;
    const s2 = await serve({ kind: 'xyz', url: 'http://tiles.example/{z}/{x}/{y}', crs: 'wgs84' }, down);
    servers.push(s2.server);
    expect((await fetch(`${s2.url}/basemap/tiles/1/0/0`)).status).toBe(504);
  });

  it('serves the PMTiles file whole and in byte ranges', async () => {
    const s = await serve({ kind: 'pmtiles', path: pmtiles, crs: 'wgs84' });
    servers.push(s.server);
    const whole = await fetch(`${s.url}/basemap/local.pmtiles`);
    expect(whole.status).toBe(200);
    expect((await whole.arrayBuffer()).byteLength).toBe(100);
    const part = await fetch(`${s.url}/basemap/local.pmtiles`, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/100');
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect((await fetch(`${s.url}/basemap/local.pmtiles`, { headers: { Range: 'bytes=200-' } })).status).toBe(416);
  });
});
