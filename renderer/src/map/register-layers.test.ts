// The registers' map layers: the box asked is the viewport padded and rounded (small
// moves ask nothing), nothing is asked while the layers are off or zoomed out, and a
// view inside the box loaded asks nothing again.
import { describe, expect, it } from 'vitest';
import { WGS84_DATUM } from './coords';
import { queryBox, RegisterLayerData, REGISTER_LAYER_IDS, REGISTER_MIN_ZOOM, type Bbox, type RegisterPoints } from './register-layers';
import { paletteFor } from './theme';

const points: RegisterPoints = { houses: [{ id: 'h1', grid: 'g', lon: 112.9, lat: 28.6 }], organisations: [{ id: 'o1', grid: 'g', name: '某单位', kind: 'unit', lon: 112.91, lat: 28.61 }], truncated: false };

describe('register layers', () => {
  it('asks for the viewport padded and rounded outwards', () => {
    const box = queryBox([112.9012, 28.6011, 112.9112, 28.6091]);
    expect(box[0]).toBeLessThanOrEqual(112.9012 - 0.0025);
    expect(box[3]).toBeGreaterThanOrEqual(28.6091 + 0.002);
    for (const v of box) expect(Math.abs(v * 200 - Math.round(v * 200))).toBeLessThan(1e-6);
  });

  it('loads only when on and close enough, once per box, and draws the layers asked for', async () => {
    const asked: Bbox[] = [];
    let redraws = 0;
    const data = new RegisterLayerData(async (bbox) => (asked.push(bbox), points), () => redraws++, () => undefined);
    const view: Bbox = [112.9, 28.6, 112.91, 28.61];
    data.sync(false, view, 15, WGS84_DATUM);
    data.sync(true, view, REGISTER_MIN_ZOOM - 1, WGS84_DATUM);
    expect(asked).toEqual([]);
    data.sync(true, view, 15, WGS84_DATUM);
    await Promise.resolve();
    await Promise.resolve();
    expect(asked).toHaveLength(1);
    expect(redraws).toBe(1);
    data.sync(true, [112.901, 28.601, 112.909, 28.609], 15, WGS84_DATUM);
    expect(asked).toHaveLength(1);
    const env = { palette: paletteFor('light'), scale: 1, zoom: 15, hover: true };
    expect(data.layers({ houses: true, organisations: false }, env).map((l) => l.id)).toEqual([REGISTER_LAYER_IDS.houses]);
    expect(data.layers({ houses: true, organisations: true }, env).map((l) => l.id)).toEqual([REGISTER_LAYER_IDS.houses, REGISTER_LAYER_IDS.organisations]);
    expect(data.layers({ houses: true, organisations: true }, { ...env, zoom: 12 })).toEqual([]);
  });
});
