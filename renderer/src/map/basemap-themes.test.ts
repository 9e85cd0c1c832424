import { describe, expect, it } from 'vitest';
import { basemapStyle } from './basemap';
import { DARK, LIGHT } from './theme';

type Layer = { id: string; type: string; paint?: Record<string, unknown>; layout?: unknown; filter?: unknown; minzoom?: number };

describe('the demo base map in its two looks', () => {
  const layers = (palette: typeof DARK): Layer[] => basemapStyle({ kind: 'demo' }, palette, { origin: 'http://127.0.0.1:4173' }).layers as Layer[];
  const dark = layers(DARK);
  const light = layers(LIGHT);

  it('draws the same lines, each in its own theme’s colour', () => {
    const lines = (ls: Layer[]) => ls.filter((l) => l.type === 'line');
    expect(lines(dark).map((l) => l.id)).toEqual(['stream', 'river', 'road-track-casing', 'road-village-casing', 'road-county-casing', 'road-track', 'road-village', 'road-county']);
    lines(dark).forEach((d, i) => {
      const l = lines(light)[i]!;
      expect(l.id).toBe(d.id);
      expect(l.filter).toEqual(d.filter);
      expect(l.paint?.['line-width']).toEqual(d.paint?.['line-width']);
      expect(l.minzoom).toBe(d.minzoom);
      expect(d.layout).toEqual({ 'line-cap': 'round', 'line-join': 'round' });
      expect(d.paint?.['line-color']).not.toBe(l.paint?.['line-color']);
    });
    const color = (ls: Layer[], id: string) => ls.find((l) => l.id === id)?.paint?.['line-color'];
    expect(color(dark, 'road-county')).toBe(DARK.road.county);
    expect(color(light, 'road-county')).toBe(LIGHT.road.county);
    expect(color(light, 'road-county-casing')).toBe(LIGHT.countyRoadCasing);
    expect(color(dark, 'road-track-casing')).toBe(DARK.roadCasing);
    // Tracks appear only from zoom 12.5, casing and fill alike.
    expect(dark.filter((l) => l.minzoom !== undefined).map((l) => [l.id, l.minzoom])).toEqual([['road-track-casing', 12.5], ['road-track', 12.5]]);
  });
});
