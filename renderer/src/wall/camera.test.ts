import { describe, expect, it } from 'vitest';
import { boundsOfCoordinates, fitCamera } from './camera';

describe('fitCamera', () => {
  it('centres the bounds and fits the tighter dimension', () => {
    // 0.1° of longitude at the equator in a 512 + 2×0 pixel map: 512 / (0.1/360 × 512) = 3600 → zoom log2(3600).
    const c = fitCamera([0, -0.01, 0.1, 0.01], 512, 10_000, 0);
    expect(c.lon).toBeCloseTo(0.05, 9);
    expect(c.lat).toBeCloseTo(0, 9);
    expect(c.zoom).toBeCloseTo(Math.log2(3600), 6);
    expect(c.bearing).toBe(0);
    expect(c.pitch).toBe(0);
  });
  it('zooms out on a wide span only as far as the height requires', () => {
    const town: [number, number, number, number] = [112.85, 28.57, 112.95, 28.65];
    const square = fitCamera(town, 400, 560);
    const wide = fitCamera(town, 2800, 560);
    expect(wide.zoom).toBeCloseTo(fitCamera(town, 10_000, 560).zoom, 9);
    expect(wide.zoom).toBeGreaterThan(square.zoom);
    // The centre latitude is the Mercator middle, a hair north of the arithmetic mean.
    expect(square.lat).toBeGreaterThan(28.61);
    expect(square.lat).toBeLessThan(28.6101);
  });
  it('caps the zoom of a point', () => {
    expect(fitCamera([112.9, 28.6, 112.9, 28.6], 800, 600).zoom).toBe(17);
  });
});

describe('boundsOfCoordinates', () => {
  it('finds the box of nested rings and returns null without points', () => {
    expect(boundsOfCoordinates([[[[1, 2], [3, -4], [0, 5]]], [[[7, 1]]]])).toEqual([0, -4, 7, 5]);
    expect(boundsOfCoordinates([])).toBeNull();
    expect(boundsOfCoordinates(undefined)).toBeNull();
  });
});
