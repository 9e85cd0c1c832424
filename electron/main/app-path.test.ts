import { describe, expect, it } from 'vitest';
import { isPageRoute, resolveAppPath, resolveBasemapRequest } from './app-path';

describe('the wall route on app://griddeck', () => {
  it('answers /wall with the single page', () => {
    expect(resolveAppPath('/app/out/renderer', 'app://griddeck/wall')).toBe('/app/out/renderer/index.html');
    expect(resolveAppPath('/app/out/renderer', 'app://griddeck/wall/')).toBe('/app/out/renderer/index.html');
    expect(resolveAppPath('/app/out/renderer', 'app://griddeck/wallpaper.png')).toBe('/app/out/renderer/wallpaper.png');
    expect(isPageRoute('/wall')).toBe(true);
    expect(isPageRoute('/walls')).toBe(false);
  });
});

describe('resolveBasemapRequest', () => {
  const dir = '/app/resources/basemap';
  it('maps the demo files into the base map folder', () => {
    expect(resolveBasemapRequest(dir, 'app://griddeck/basemap/demo/basemap.geojson')).toEqual({ kind: 'file', file: '/app/resources/basemap/demo/basemap.geojson' });
  });
  it('recognises remote tiles and the PMTiles file', () => {
    expect(resolveBasemapRequest(dir, 'app://griddeck/basemap/tiles/12/3330/1710')).toEqual({ kind: 'tile', z: 12, x: 3330, y: 1710 });
    expect(resolveBasemapRequest(dir, 'app://griddeck/basemap/local.pmtiles')).toEqual({ kind: 'pmtiles' });
  });
  it('leaves other requests alone and refuses traversal', () => {
    expect(resolveBasemapRequest(dir, 'app://griddeck/assets/index.js')).toBeNull();
    expect(resolveBasemapRequest(dir, 'app://other/basemap/demo/basemap.geojson')).toBeNull();
    expect(resolveBasemapRequest(dir, 'not a url')).toBeNull();
    expect(resolveBasemapRequest(dir, 'app://griddeck/basemap/..%2f..%2fsecret')).toEqual({ kind: 'refused' });
    expect(resolveBasemapRequest(dir, 'app://griddeck/basemap/%E0%A4%A')).toEqual({ kind: 'refused' });
  });
});
