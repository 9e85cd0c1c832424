import { describe, expect, it } from 'vitest';
import { LAYOUT, WIDE_EXTRA, stageFor, wallLayout } from './stage';

describe('stageFor', () => {
  it('scales the 1920×1080 design to a 16:9 display exactly', () => {
    expect(stageFor(1920, 1080)).toEqual({ scale: 1, width: 1920, height: 1080 });
    expect(stageFor(3840, 2160)).toEqual({ scale: 2, width: 1920, height: 1080 });
  });
  it('keeps the design height on a wide span and gives the stage the extra width', () => {
    expect(stageFor(7680, 2160)).toEqual({ scale: 2, width: 3840, height: 1080 });
  });
  it('keeps the design width on a tall display and gives the stage the extra height', () => {
    const s = stageFor(1600, 1200);
    expect(s.scale).toBeCloseTo(1600 / 1920);
    expect(s.width).toBeCloseTo(1920);
    expect(s.height).toBeCloseTo(1440);
  });
});

describe('wallLayout', () => {
  it('places the columns, figures, map and ticker on the design canvas without overlap', () => {
    const l = wallLayout({ width: 1920, height: 1080 });
    expect(l.left).toEqual({ x: 20, y: 104, width: 470, height: 956 });
    expect(l.right.x + l.right.width).toBe(1920 - LAYOUT.pad);
    expect(l.map.x).toBe(l.left.x + l.left.width + LAYOUT.gap);
    expect(l.map.x + l.map.width + LAYOUT.gap).toBe(l.right.x);
    expect(l.kpis.y + l.kpis.height + LAYOUT.gap).toBe(l.map.y);
    expect(l.map.y + l.map.height + LAYOUT.gap).toBe(l.ticker.y);
    expect(l.ticker.y + l.ticker.height).toBe(1080 - LAYOUT.pad);
    expect(l.map.width).toBe(908);
    expect(l.map.height).toBe(556);
  });
  it('gives a display a little wider than 16:9 all the extra width to the map; no second map', () => {
    const normal = wallLayout({ width: 1920, height: 1080 });
    const wider = wallLayout({ width: 1920 + WIDE_EXTRA - 1, height: 1080 });
    expect(normal.village).toBeUndefined();
    expect(wider.village).toBeUndefined();
    expect(wider.overdue).toBeUndefined();
    expect(wider.map.width).toBe(normal.map.width + WIDE_EXTRA - 1);
  });
  it('uses a 32:9 span’s width: the town, the hottest village’s map and the overdue column side by side', () => {
    const normal = wallLayout({ width: 1920, height: 1080 });
    const wide = wallLayout({ width: 3840, height: 1080 });
    expect(wide.left).toEqual(normal.left);
    expect(wide.right.width).toBe(normal.right.width);
    expect(wide.map.height).toBe(normal.map.height);
    expect(wide.kpis.height).toBe(normal.kpis.height);
    const { village, overdue } = wide as Required<typeof wide>;
    // left | centre | village | overdue | right, each a gap apart, pads at both ends.
    expect(wide.map.x + wide.map.width + LAYOUT.gap).toBe(village.x);
    expect(village.x + village.width + LAYOUT.gap).toBe(overdue.x);
    expect(overdue.x + overdue.width + LAYOUT.gap).toBe(wide.right.x);
    expect(overdue.width).toBe(LAYOUT.sideWidth);
    expect(village.height).toBe(wide.left.height);
    // Both maps are larger than the 16:9 map; the town's stays the larger.
    expect(village.width).toBeGreaterThan(normal.map.width);
    expect(wide.map.width).toBeGreaterThan(village.width);
  });
});
