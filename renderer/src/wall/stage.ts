// How the wall fills any display. The wall is designed on a 1920×1080 canvas; on a
// display of another size it is scaled as a whole, with one rule for wide and tall
// shapes:
//
// - scale = min(width / 1920, height / 1080): a 3840×2160 display gets exactly the
//   1920×1080 design at 2×; a 1366×768 one gets it at 0.71×;
// - the stage then takes the display's own shape in design units (never letterboxed):
//   on a wide span (7680×2160, scale 2) the stage is 3840×1080 design units. The side
//   columns, the figures and the ticker keep their design size and proportions; the
//   MAP takes all the extra width (or height, on a tall display).
//
// Text and charts are vector (DOM text, ECharts' SVG renderer) under the stage's CSS
// scale, so they stay sharp at any scale. The map is on the stage too, so its labels
// and markers keep the design's proportions; its canvases draw `scale` times more
// pixels (pixel-ratio.ts), so it is as sharp as the display allows.

export const DESIGN_WIDTH = 1920;
export const DESIGN_HEIGHT = 1080;

export interface Stage {
  /** Display pixels per design pixel. */
  scale: number;
  /** The stage in design pixels (at least 1920×1080 in one dimension). */
  width: number;
  height: number;
}

export function stageFor(viewportWidth: number, viewportHeight: number): Stage {
  const w = Math.max(1, viewportWidth);
  const h = Math.max(1, viewportHeight);
  const scale = Math.min(w / DESIGN_WIDTH, h / DESIGN_HEIGHT);
  return { scale, width: w / scale, height: h / scale };
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WallLayout {
  header: Rect;
  left: Rect;
  right: Rect;
  /** Today's five counts, above the map. */
  kpis: Rect;
  map: Rect;
  ticker: Rect;
}

/** Design sizes of the fixed parts (design pixels). */
export const LAYOUT = {
  pad: 20,
  gap: 16,
  headerHeight: 92,
  sideWidth: 470,
  kpiHeight: 132,
  tickerHeight: 236,
} as const;

/** Where everything sits on a stage of this size (design pixels); only the map grows. */
export function wallLayout(stage: Pick<Stage, 'width' | 'height'>): WallLayout {
  const { pad, gap, headerHeight, sideWidth, kpiHeight, tickerHeight } = LAYOUT;
  const top = headerHeight + 12;
  const bottom = stage.height - pad;
  const centerX = pad + sideWidth + gap;
  const centerWidth = Math.max(0, stage.width - 2 * centerX);
  const mapY = top + kpiHeight + gap;
  const tickerY = bottom - tickerHeight;
  return {
    header: { x: 0, y: 0, width: stage.width, height: headerHeight },
    left: { x: pad, y: top, width: sideWidth, height: bottom - top },
    right: { x: stage.width - pad - sideWidth, y: top, width: sideWidth, height: bottom - top },
    kpis: { x: centerX, y: top, width: centerWidth, height: kpiHeight },
    map: { x: centerX, y: mapY, width: centerWidth, height: Math.max(0, tickerY - gap - mapY) },
    ticker: { x: centerX, y: tickerY, width: centerWidth, height: tickerHeight },
  };
}
