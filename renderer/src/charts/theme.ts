// The wall's chart look: deep navy panels, teal lines, amber and red for what needs
// attention, and type sized for a room (design pixels on the 1920×1080 stage; the
// stage is scaled to the display, see renderer/src/wall/stage.ts).
export const WALL_COLORS = {
  text: '#d6f4ff',
  muted: '#7fa7bd',
  faint: '#36566b',
  grid: 'rgba(90, 180, 210, 0.16)',
  axis: 'rgba(110, 200, 225, 0.45)',
  teal: '#22e3d2',
  cyan: '#3fb8ff',
  blue: '#2f7df6',
  amber: '#ffb547',
  red: '#ff5b5b',
  green: '#3ee08f',
  track: 'rgba(60, 120, 150, 0.25)',
} as const;

/** Series colours in order: the categories, the trend's two lines. */
export const SERIES_COLORS = ['#22e3d2', '#3fb8ff', '#ffb547', '#9b8cff', '#3ee08f', '#ff7ab6', '#f5e663', '#5ad1ff', '#ff9d5c', '#b4f06a'] as const;

/** Type sizes in design pixels: axis labels no smaller than 18 px on a 1920×1080 stage. */
export const WALL_FONT = {
  family: '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif',
  axis: 18,
  label: 20,
  value: 22,
  gauge: 36,
} as const;
