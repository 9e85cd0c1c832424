// The map's two looks: the wall's dark navy and teal, legible from the back of a
// dark room, and the console's light map, read for hours under office light.
// One palette feeds the base map style (CSS colours) and the deck.gl layers (RGBA).
import type { Urgency } from '../../../core/model';

export type Rgba = [number, number, number, number];
export type ThemeName = 'dark' | 'light';

export interface MapPalette {
  name: ThemeName;
  // base map (CSS)
  background: string;
  villageFill: string;
  communityFill: string;
  water: string;
  waterOutline: string;
  river: string;
  settlement: string;
  settlementOutline: string;
  roadCasing: string;
  road: { county: string; village: string; track: string };
  countyRoadCasing: string;
  // deck.gl overlays (RGBA)
  gridLine: Rgba;
  villageLine: Rgba;
  townLine: Rgba;
  /** Five steps from no load to heavy load. */
  loadRamp: readonly Rgba[];
  /** Four steps from none to many overdue. */
  overdueRamp: readonly Rgba[];
  label: Rgba;
  labelHalo: Rgba;
  minorLabel: Rgba;
  waterLabel: Rgba;
  onDuty: Rgba;
  offDuty: Rgba;
  workerOutline: Rgba;
  trail: Rgba;
  urgency: Record<Urgency, Rgba>;
  closedEvent: Rgba;
  eventOutline: Rgba;
  pulse: Rgba;
  overduePulse: Rgba;
  cluster: Rgba;
  clusterText: Rgba;
  selection: Rgba;
  highlight: Rgba;
  replayPath: Rgba;
  replayStop: Rgba;
  replayMarker: Rgba;
  /** Low to high density. */
  heatRamp: readonly [number, number, number][];
}

export const DARK: MapPalette = {
  name: 'dark',
  background: '#06111d',
  villageFill: '#0a1a2a',
  communityFill: '#0d2032',
  water: '#0c3552',
  waterOutline: '#145073',
  river: '#12577e',
  settlement: '#13283b',
  settlementOutline: '#1a3750',
  roadCasing: '#06111d',
  road: { county: '#2f8f96', village: '#21465c', track: '#183447' },
  countyRoadCasing: '#0b2f3a',
  gridLine: [66, 214, 214, 120],
  villageLine: [86, 235, 230, 230],
  townLine: [120, 245, 255, 255],
  loadRamp: [
    [20, 60, 80, 40],
    [26, 140, 150, 95],
    [220, 190, 60, 110],
    [240, 130, 40, 130],
    [235, 70, 60, 150],
  ],
  overdueRamp: [
    [20, 60, 80, 30],
    [240, 150, 50, 110],
    [235, 90, 50, 135],
    [230, 50, 60, 160],
  ],
  label: [225, 245, 250, 255],
  labelHalo: [4, 14, 24, 235],
  minorLabel: [150, 210, 220, 235],
  waterLabel: [110, 180, 220, 230],
  onDuty: [60, 230, 160, 255],
  offDuty: [120, 135, 150, 230],
  workerOutline: [4, 16, 26, 255],
  trail: [60, 230, 160, 150],
  urgency: { normal: [56, 178, 255, 255], urgent: [255, 170, 40, 255], critical: [255, 64, 80, 255] },
  closedEvent: [110, 130, 150, 170],
  eventOutline: [230, 245, 255, 255],
  pulse: [255, 200, 60, 255],
  overduePulse: [255, 70, 90, 255],
  cluster: [20, 120, 150, 220],
  clusterText: [235, 250, 255, 255],
  selection: [255, 255, 255, 255],
  highlight: [255, 70, 90, 255],
  replayPath: [255, 200, 60, 230],
  replayStop: [255, 120, 60, 255],
  replayMarker: [255, 255, 255, 255],
  heatRamp: [
    [12, 44, 70],
    [16, 110, 130],
    [40, 180, 160],
    [230, 200, 70],
    [245, 130, 50],
    [240, 60, 70],
  ],
};

export const LIGHT: MapPalette = {
  name: 'light',
  background: '#eef1ec',
  villageFill: '#e8eee2',
  communityFill: '#ece9e0',
  water: '#a9d2ea',
  waterOutline: '#8ec0de',
  river: '#86bde0',
  settlement: '#e1d8c8',
  settlementOutline: '#d2c6b0',
  roadCasing: '#c3c7cc',
  road: { county: '#f6c95c', village: '#ffffff', track: '#fbfbf8' },
  countyRoadCasing: '#d19a2a',
  gridLine: [31, 95, 191, 130],
  villageLine: [31, 80, 160, 220],
  townLine: [20, 50, 110, 255],
  loadRamp: [
    [31, 95, 191, 10],
    [60, 150, 200, 60],
    [245, 190, 60, 85],
    [240, 130, 40, 105],
    [215, 50, 40, 120],
  ],
  overdueRamp: [
    [31, 95, 191, 10],
    [245, 160, 60, 85],
    [235, 100, 50, 105],
    [200, 40, 40, 125],
  ],
  label: [28, 36, 48, 255],
  labelHalo: [255, 255, 255, 230],
  minorLabel: [70, 85, 105, 240],
  waterLabel: [40, 110, 170, 240],
  onDuty: [16, 150, 90, 255],
  offDuty: [140, 150, 160, 230],
  workerOutline: [255, 255, 255, 255],
  trail: [16, 150, 90, 150],
  urgency: { normal: [31, 110, 220, 255], urgent: [235, 140, 0, 255], critical: [210, 30, 45, 255] },
  closedEvent: [140, 150, 160, 170],
  eventOutline: [255, 255, 255, 255],
  pulse: [235, 140, 0, 255],
  overduePulse: [210, 30, 45, 255],
  cluster: [31, 95, 191, 210],
  clusterText: [255, 255, 255, 255],
  selection: [20, 30, 45, 255],
  highlight: [210, 30, 45, 255],
  replayPath: [200, 90, 0, 230],
  replayStop: [210, 30, 45, 255],
  replayMarker: [20, 30, 45, 255],
  heatRamp: [
    [220, 235, 245],
    [150, 200, 230],
    [90, 170, 200],
    [245, 200, 80],
    [240, 130, 50],
    [200, 40, 40],
  ],
};

export const paletteFor = (theme: ThemeName): MapPalette => (theme === 'dark' ? DARK : LIGHT);

/** The labels' font: installed with the system (Debian fonts-noto-cjk, Windows YaHei), never downloaded. */
export const MAP_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

export interface ModeStyle {
  theme: ThemeName;
  /** Multiplies every text size, line width and point radius: the wall is read from ten metres. */
  scale: number;
  hover: boolean;
}

export const MODE_STYLE: Record<'console' | 'wall', ModeStyle> = {
  console: { theme: 'light', scale: 1, hover: true },
  wall: { theme: 'dark', scale: 1.7, hover: false },
};
