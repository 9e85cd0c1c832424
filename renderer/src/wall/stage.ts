// How the wall fills any display. The wall is designed on a 1920×1080 canvas; on a
// display of another size it is scaled as a whole, with one rule for wide and tall
// shapes:
//
// - scale = min(width / 1920, height / 1080): a 3840×2160 display gets exactly the
//   1920×1080 design at 2×; a 1366×768 one gets it at 0.71×;
// - the stage then takes the display's own shape in design units (never letterboxed):
//   on a wide span (7680×2160, scale 2) the stage is 3840×1080 design units. The side
//   columns, the figures and the ticker keep their design size and proportions; the
//   MAP takes the extra height of a tall display, and the extra width of a display a
//   little wider than 16:9;
// - a stage at least WIDE_EXTRA design pixels wider than the design (a 32:9 span, a
//   21:9 wall of 2 × 2560) does not stretch the one map, which would fit the town's
//   height and leave the sides empty: beside the town map it shows the hottest
//   village's own map and a column of overdue events.
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
  /** Wide stages only: the hottest village's map, beside the town map, full height. */
  village?: Rect;
  /** Wide stages only: the overdue events, a column before the right one. */
  overdue?: Rect;
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

/** A stage this many design pixels wider than 1920 gets the wide layout (a village map and an overdue column). */
export const WIDE_EXTRA = 1000;
/** On a wide stage, the town's centre (figures, map, ticker) takes this share of what the side columns leave; the village map the rest. */
const WIDE_CENTER_SHARE = 0.55;

/** Where everything sits on a stage of this size (design pixels); only the map grows, up to the wide layout. */
export function wallLayout(stage: Pick<Stage, 'width' | 'height'>): WallLayout {
  const { pad, gap, headerHeight, sideWidth, kpiHeight, tickerHeight } = LAYOUT;
  const top = headerHeight + 12;
  const bottom = stage.height - pad;
  const wide = stage.width - DESIGN_WIDTH >= WIDE_EXTRA;
  const centerX = pad + sideWidth + gap;
  // Wide: left | town centre | village map | overdue | right, with the same pads and gaps.
  const between = stage.width - 2 * pad - (wide ? 3 : 2) * sideWidth - (wide ? 4 : 2) * gap;
  const centerWidth = Math.max(0, wide ? Math.round(between * WIDE_CENTER_SHARE) : between);
  const mapY = top + kpiHeight + gap;
  const tickerY = bottom - tickerHeight;
  const column = (x: number, width: number): Rect => ({ x, y: top, width, height: bottom - top });
  const layout: WallLayout = {
    header: { x: 0, y: 0, width: stage.width, height: headerHeight },
    left: column(pad, sideWidth),
    right: column(stage.width - pad - sideWidth, sideWidth),
    kpis: { x: centerX, y: top, width: centerWidth, height: kpiHeight },
    map: { x: centerX, y: mapY, width: centerWidth, height: Math.max(0, tickerY - gap - mapY) },
    ticker: { x: centerX, y: tickerY, width: centerWidth, height: tickerHeight },
  };
  if (!wide) return layout;
  const villageX = centerX + centerWidth + gap;
  return { ...layout, village: column(villageX, between - centerWidth), overdue: column(layout.right.x - gap - sideWidth, sideWidth) };
}
