// The map's deck.gl layers as pure functions of prepared data and the view. Each
// function returns new layer descriptors (cheap) over the SAME data objects as
// long as the data has not changed, with `updateTriggers` naming what an accessor
// depends on: deck.gl then diffs and recomputes only the attributes that changed.
// Layer ids are fixed; picking maps them back to selections (pickedSelection).
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { IconLayer, PathLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { FeatureCollection, LineString, Position } from 'geojson';
import type { Stop } from '../../../core/analytics/patrol';
import type { BasemapLabel } from './basemap';
import type { ClusterItem } from './clusters';
import type { EventPoint, GridMetrics } from './events';
import { classOf } from './events';
import type { BoundaryPath, GridPart, GridShape } from './grids';
import type { BinaryPoints } from './positions';
import type { MapPalette, Rgba } from './theme';
import { MAP_FONT } from './theme';
import type { BinaryPaths } from './trails';
import type { GridFill, Selection } from './view-state';
import { DESK_PICK_LAYERS, deskPicked, type DeskPick } from './desk-marks';

export const LAYER_IDS = {
  gridFill: 'grids-fill',
  gridFillOverview: 'grids-fill-overview',
  gridLabels: 'grid-labels',
  placeLabels: 'place-labels',
  basemapLabels: 'basemap-labels',
  density: 'density',
  trails: 'trails',
  workers: 'workers',
  workerHeading: 'worker-heading',
  events: 'events',
  eventLetters: 'event-letters',
  eventPulse: 'event-pulse',
  clusters: 'event-clusters',
  clusterCounts: 'event-cluster-counts',
  replayPath: 'replay-path',
  replayStops: 'replay-stops',
  replayStopLabels: 'replay-stop-labels',
  replayMarker: 'replay-marker',
  selection: 'selection',
  highlight: 'highlight',
} as const;

export interface LayerEnv {
  palette: MapPalette;
  /** Text, line and point scale: 1 on the console, larger on the wall. */
  scale: number;
  zoom: number;
  /** Console: hovering highlights what is under the pointer. */
  hover: boolean;
}

const TEXT_BASE = {
  fontFamily: MAP_FONT,
  // Build the glyph atlas from the characters of the data itself: any Chinese name renders, nothing is downloaded.
  characterSet: 'auto' as const,
  fontSettings: { sdf: true, fontSize: 64, buffer: 6, radius: 12 },
  outlineWidth: 2.5,
  sizeUnits: 'pixels' as const,
  billboard: true,
};

// ---------------------------------------------------------------- grids

/** The fill of one grid for the chosen figure. */
export function gridFillColor(code: string, fill: GridFill, metrics: GridMetrics | null, palette: MapPalette): Rgba {
  // Never fully transparent: a grid must stay pickable where nothing is drawn.
  if (fill === 'none' || !metrics) return [0, 0, 0, 1];
  if (fill === 'overdue') return palette.overdueRamp[classOf(metrics.overdue.get(code) ?? 0, metrics.breaks.overdue)] ?? [0, 0, 0, 1];
  return palette.loadRamp[classOf(metrics.load.get(code) ?? 0, metrics.breaks.load)] ?? [0, 0, 0, 1];
}

/** Below this zoom the grids are drawn from their simplified overview geometry. */
export const OVERVIEW_ZOOM = 12;
/** Below this zoom grids have no outline of their own (a county's thousands of grids would be a mesh of lines). */
export const GRID_OUTLINE_ZOOM = 11;

export function gridLayers(
  data: { parts: GridPart[]; overviewParts?: GridPart[] },
  fill: GridFill,
  metrics: GridMetrics | null,
  /** Bumped whenever metrics change. */
  metricsVersion: number,
  env: LayerEnv,
): Layer[] {
  const { palette, scale, zoom } = env;
  const overviewParts = data.overviewParts ?? data.parts;
  const far = zoom < OVERVIEW_ZOOM;
  const fillLayer = (id: string, parts: GridPart[], visible: boolean): Layer =>
    new PolygonLayer<GridPart>({
      id,
      data: parts,
      visible,
      getPolygon: (d) => d.polygon,
      getFillColor: (d) => gridFillColor(d.grid.code, fill, metrics, palette),
      getLineColor: palette.gridLine,
      getLineWidth: 1 * scale,
      lineWidthUnits: 'pixels',
      stroked: zoom >= GRID_OUTLINE_ZOOM,
      filled: true,
      pickable: visible,
      autoHighlight: env.hover,
      highlightColor: palette.name === 'dark' ? [90, 240, 230, 60] : [31, 95, 191, 40],
      // A uniform, not an attribute: fading the fills as the base map's detail appears costs no recompute.
      opacity: fillOpacity(zoom),
      updateTriggers: { getFillColor: [fill, metricsVersion, palette.name] },
    });
  // Two fill layers, detailed and simplified, both kept (tessellated once), one visible: crossing the zoom costs nothing.
  // Village and town boundaries are drawn by the base map (boundaryLayers), not here.
  return [fillLayer(LAYER_IDS.gridFill, data.parts, !far), fillLayer(LAYER_IDS.gridFillOverview, overviewParts, far)];
}

/**
 * Village and town boundaries as maplibre line layers over the base map. They never
 * change while the map is shown, and deck.gl redraws all its layers whenever any
 * of them changes (every position push): drawn by the base map, they cost nothing
 * on those frames, which matters on a wall PC without a GPU (docs/performance.md).
 */
export function boundaryLayers(palette: MapPalette, scale: number, visible: boolean): { id: string; type: 'line'; source: string; filter: unknown; layout: Record<string, unknown>; paint: Record<string, unknown> }[] {
  const rgba = (c: Rgba): string => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${(c[3] / 255).toFixed(3)})`;
  const line = (id: string, level: number, color: Rgba, width: number) => ({
    id,
    type: 'line' as const,
    source: BOUNDARY_SOURCE,
    filter: ['==', ['get', 'level'], level],
    layout: { 'line-join': 'round', 'line-cap': 'round', visibility: visible ? 'visible' : 'none' },
    paint: { 'line-color': rgba(color), 'line-width': width * scale },
  });
  return [line(BOUNDARY_LAYERS.village, 2, palette.villageLine, 2.2), line(BOUNDARY_LAYERS.town, 1, palette.townLine, 3.6)];
}

export const BOUNDARY_SOURCE = 'griddeck-boundaries';
export const BOUNDARY_LAYERS = { village: 'griddeck-village-lines', town: 'griddeck-town-lines' } as const;

/** The boundaries as GeoJSON lines for the base map's source (one feature per ring). */
export function boundaryFeatures(paths: readonly BoundaryPath[]): FeatureCollection<LineString, { code: string; level: number }> {
  return {
    type: 'FeatureCollection',
    features: paths.map((b) => ({ type: 'Feature', properties: { code: b.code, level: b.level }, geometry: { type: 'LineString', coordinates: b.path } })),
  };
}

/**
 * Point sizes shrink on the overview (a whole town or county in view: thousands of
 * markers must not cover the grids) and reach their full size close up. Applied as
 * deck.gl's radiusScale/sizeScale uniforms, so zooming recomputes no attribute.
 */
export function pointScale(zoom: number): number {
  return clamp(0.4 + ((zoom - 10) / 4) * 0.6, 0.4, 1);
}

export function textScale(zoom: number): number {
  return clamp(0.7 + ((zoom - 10.5) / 2.5) * 0.3, 0.7, 1);
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Grid fills are strongest on the overview and give way to the base map's roads and houses close up. */
export function fillOpacity(zoom: number): number {
  if (zoom <= 13) return 1;
  if (zoom >= 15.5) return 0.45;
  return 1 - ((zoom - 13) / 2.5) * 0.55;
}

/** Which grid levels carry names at a zoom: the town when far, villages in between, grids when close. */
export function labelLevels(zoom: number, scale: number): { town: boolean; village: boolean; grid: boolean } {
  // The wall's larger type needs a little more room before names fit.
  const shift = scale > 1 ? 0.3 : 0;
  return { town: zoom < 10.8 + shift, village: zoom >= 10.8 + shift && zoom < 15.2, grid: zoom >= 13.4 + shift };
}

/** The label rows of the levels shown, cached per level set so `data` stays the same object while zooming. */
export function makeLabelPicker(shapes: readonly GridShape[]): (levels: { town: boolean; village: boolean; grid: boolean }) => GridShape[] {
  const cache = new Map<string, GridShape[]>();
  return (levels) => {
    const key = `${+levels.town}${+levels.village}${+levels.grid}`;
    let rows = cache.get(key);
    if (!rows) {
      rows = shapes.filter((s) => (s.level === 1 && levels.town) || (s.level === 2 && levels.village) || (s.level === 3 && levels.grid));
      cache.set(key, rows);
    }
    return rows;
  };
}

/**
 * The names of the grids shown: the town's and villages' (levels 1–2) are place names and
 * draw above the markers (a cluster bubble must not hide a village's name); the level-3
 * grids' names draw below them (close up they would cover the events).
 */
export function splitLabelRows(rows: readonly GridShape[]): { places: GridShape[]; grids: GridShape[] } {
  return { places: rows.filter((r) => r.level < 3), grids: rows.filter((r) => r.level === 3) };
}

export function gridLabelLayer(rows: GridShape[], env: LayerEnv, id: string = LAYER_IDS.gridLabels): Layer {
  const { palette, scale } = env;
  const size = { 1: 22, 2: 16, 3: 12 } as const;
  return new TextLayer<GridShape>({
    ...TEXT_BASE,
    id,
    data: rows,
    getPosition: (d) => d.label,
    getText: (d) => d.name,
    getSize: (d) => size[d.level] * scale,
    getColor: (d) => (d.level === 3 ? palette.minorLabel : palette.label),
    outlineColor: palette.labelHalo,
    fontWeight: 600,
    sizeScale: textScale(env.zoom),
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    updateTriggers: { getSize: scale, getColor: palette.name },
  });
}

export function basemapLabelLayer(labels: BasemapLabel[], env: LayerEnv): Layer | null {
  if (env.zoom < 11 || labels.length === 0) return null;
  const { palette, scale } = env;
  return new TextLayer<BasemapLabel>({
    ...TEXT_BASE,
    id: LAYER_IDS.basemapLabels,
    data: labels,
    getPosition: (d) => d.position,
    getText: (d) => d.name,
    getSize: (d) => (d.cls === 'water' ? 14 : 12) * scale,
    getColor: (d) => (d.cls === 'water' ? palette.waterLabel : palette.minorLabel),
    outlineColor: palette.labelHalo,
    getPixelOffset: (d) => (d.cls === 'road' ? [0, -12 * scale] : [0, 0]),
    sizeScale: textScale(env.zoom),
    updateTriggers: { getSize: scale, getColor: palette.name, getPixelOffset: scale },
  });
}

// ---------------------------------------------------------------- workers

export function workerLayers(
  points: BinaryPoints,
  env: LayerEnv,
  options: { arrowAtlas: unknown | null; selectedIndex: number | null },
): Layer[] {
  const { palette, scale, zoom } = env;
  const layers: Layer[] = [
    new ScatterplotLayer({
      id: LAYER_IDS.workers,
      data: points,
      getRadius: 5 * scale,
      radiusUnits: 'pixels',
      radiusScale: pointScale(zoom),
      // The outline helps close up; on an overview of thousands it only doubles the pixels to shade.
      stroked: zoom >= 12,
      getLineColor: palette.workerOutline,
      getLineWidth: 1.5 * scale,
      lineWidthUnits: 'pixels',
      pickable: true,
      autoHighlight: env.hover,
      highlightColor: [255, 255, 255, 120],
    }),
  ];
  if (options.arrowAtlas && zoom >= 13.5) {
    layers.push(
      new IconLayer({
        id: LAYER_IDS.workerHeading,
        data: points,
        iconAtlas: options.arrowAtlas as string,
        iconMapping: ARROW_MAPPING,
        getIcon: () => 'arrow',
        getSize: 26 * scale,
        sizeUnits: 'pixels',
        getColor: palette.name === 'dark' ? [230, 255, 245, 235] : [20, 40, 40, 220],
        billboard: false,
      }),
    );
  }
  return layers;
}

/** The heading arrow: a chevron above the dot, drawn into a small canvas (no image is downloaded). */
export const ARROW_MAPPING = { arrow: { x: 0, y: 0, width: 64, height: 64, anchorX: 32, anchorY: 32, mask: true } };

export function trailLayer(paths: BinaryPaths, env: LayerEnv): Layer {
  return new PathLayer({
    id: LAYER_IDS.trails,
    data: paths,
    getColor: env.palette.trail,
    getWidth: 2 * env.scale,
    widthUnits: 'pixels',
    jointRounded: true,
    capRounded: true,
    _pathType: 'open',
  });
}

// ---------------------------------------------------------------- events

export function eventLayers(
  shown: { singles: EventPoint[]; clusters: ClusterItem[] },
  env: LayerEnv,
  options: { selectedId: string | null; flagsVersion?: number },
): Layer[] {
  const { palette, scale, zoom } = env;
  const flags = options.flagsVersion ?? 0;
  const layers: Layer[] = [];
  if (shown.clusters.length > 0) {
    layers.push(
      new ScatterplotLayer<ClusterItem>({
        id: LAYER_IDS.clusters,
        data: shown.clusters,
        getPosition: (d) => d.position,
        getRadius: (d) => (12 + 4 * Math.log2(d.count)) * scale,
        radiusUnits: 'pixels',
        radiusScale: pointScale(zoom),
        getFillColor: (d) => withAlpha(palette.urgency[d.urgency], 210),
        stroked: true,
        getLineColor: palette.eventOutline,
        getLineWidth: 2 * scale,
        lineWidthUnits: 'pixels',
        pickable: true,
        updateTriggers: { getRadius: scale, getFillColor: palette.name },
      }),
      new TextLayer<ClusterItem>({
        ...TEXT_BASE,
        id: LAYER_IDS.clusterCounts,
        data: shown.clusters,
        getPosition: (d) => d.position,
        getText: (d) => String(d.count),
        getSize: 13 * scale,
        sizeScale: pointScale(zoom),
        getColor: palette.clusterText,
        outlineColor: [0, 0, 0, 120],
        outlineWidth: 1,
        fontWeight: 700,
      }),
    );
  }
  layers.push(
    new ScatterplotLayer<EventPoint>({
      id: LAYER_IDS.events,
      data: shown.singles,
      getPosition: (d) => d.position,
      getRadius: (d) => (d.urgency === 'normal' ? 8 : 9.5) * scale,
      radiusUnits: 'pixels',
      radiusScale: pointScale(zoom),
      getFillColor: (d) => (d.open ? palette.urgency[d.urgency] : palette.closedEvent),
      stroked: true,
      getLineColor: (d) => (d.overdue ? palette.overduePulse : palette.eventOutline),
      getLineWidth: (d) => (d.overdue || d.id === options.selectedId ? 3 : 1.6) * scale,
      lineWidthUnits: 'pixels',
      pickable: true,
      autoHighlight: env.hover,
      highlightColor: [255, 255, 255, 110],
      updateTriggers: { getRadius: scale, getFillColor: palette.name, getLineColor: [palette.name, flags], getLineWidth: [scale, options.selectedId, flags] },
    }),
  );
  if (zoom >= 13) {
    layers.push(
      new TextLayer<EventPoint>({
        ...TEXT_BASE,
        id: LAYER_IDS.eventLetters,
        data: shown.singles,
        getPosition: (d) => d.position,
        getText: (d) => d.letter,
        getSize: 11 * scale,
        getColor: [255, 255, 255, 255],
        outlineColor: [0, 0, 0, 90],
        outlineWidth: 1,
        fontWeight: 700,
        updateTriggers: { getSize: scale },
      }),
    );
  }
  return layers;
}

/** 0 → 1 over each second and a half: the phase of the attention ring. */
export function pulsePhase(timeMs: number, periodMs = 1500): number {
  return (((timeMs % periodMs) + periodMs) % periodMs) / periodMs;
}

/**
 * The ring that draws the eye to new and overdue events. Its data is the same
 * array between data changes; only the time value changes, through
 * updateTriggers, so deck.gl recomputes the radius and colour of these few rings
 * and nothing else.
 */
export function pulseLayer(attention: EventPoint[], timeMs: number, env: LayerEnv): Layer | null {
  if (attention.length === 0) return null;
  const { palette, scale } = env;
  const t = pulsePhase(timeMs);
  return new ScatterplotLayer<EventPoint>({
    id: LAYER_IDS.eventPulse,
    data: attention,
    getPosition: (d) => d.position,
    getRadius: () => (9 + 20 * t) * scale,
    radiusUnits: 'pixels',
    radiusScale: pointScale(env.zoom),
    filled: false,
    stroked: true,
    getLineColor: (d) => withAlpha(d.overdue ? palette.overduePulse : palette.pulse, Math.round(255 * (1 - t))),
    getLineWidth: 2.5 * scale,
    lineWidthUnits: 'pixels',
    updateTriggers: { getRadius: [t, scale], getLineColor: [t, palette.name] },
  });
}

export function densityLayer(points: EventPoint[], env: LayerEnv): Layer {
  return new HeatmapLayer<EventPoint>({
    id: LAYER_IDS.density,
    data: points,
    getPosition: (d) => d.position,
    getWeight: 1,
    radiusPixels: 38 * env.scale,
    intensity: 1.2,
    threshold: 0.04,
    colorRange: env.palette.heatRamp as [number, number, number][],
    aggregation: 'SUM',
    debounceTimeout: 200,
    opacity: 0.75,
  });
}

// ---------------------------------------------------------------- track replay

export interface ReplayData {
  /** On the base map, oldest first. */
  path: [number, number][];
  times: number[];
  stops: (Stop & { position: [number, number] })[];
}

/** Where the worker was at a moment of the track: interpolated between the fixes around it. */
export function positionAt(replay: ReplayData, at: number): [number, number] | null {
  const { path, times } = replay;
  if (path.length === 0) return null;
  if (at <= times[0]!) return path[0]!;
  for (let i = 1; i < times.length; i++) {
    if (at <= times[i]!) {
      const t0 = times[i - 1]!;
      const t1 = times[i]!;
      const f = t1 === t0 ? 1 : (at - t0) / (t1 - t0);
      const a = path[i - 1]!;
      const b = path[i]!;
      return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
    }
  }
  return path[path.length - 1]!;
}

export function stopLabel(durationMs: number): string {
  const minutes = Math.round(durationMs / 60_000);
  return minutes >= 60 ? `停留 ${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分` : `停留 ${minutes} 分`;
}

export function replayLayers(replay: ReplayData, at: number | null, env: LayerEnv): Layer[] {
  const { palette, scale } = env;
  const layers: Layer[] = [
    new PathLayer<{ path: [number, number][] }>({
      id: LAYER_IDS.replayPath,
      data: [{ path: replay.path }],
      getPath: (d) => d.path,
      getColor: palette.replayPath,
      getWidth: 3 * scale,
      widthUnits: 'pixels',
      jointRounded: true,
      capRounded: true,
    }),
    new ScatterplotLayer<ReplayData['stops'][number]>({
      id: LAYER_IDS.replayStops,
      data: replay.stops,
      getPosition: (d) => d.position,
      getRadius: (d) => (6 + Math.min(10, d.durationMs / 120_000)) * scale,
      radiusUnits: 'pixels',
      getFillColor: withAlpha(palette.replayStop, 200),
      stroked: true,
      getLineColor: palette.eventOutline,
      getLineWidth: 1.5 * scale,
      lineWidthUnits: 'pixels',
      pickable: false,
    }),
    new TextLayer<ReplayData['stops'][number]>({
      ...TEXT_BASE,
      id: LAYER_IDS.replayStopLabels,
      data: replay.stops,
      getPosition: (d) => d.position,
      getText: (d) => stopLabel(d.durationMs),
      getSize: 12 * scale,
      getColor: palette.label,
      outlineColor: palette.labelHalo,
      getPixelOffset: [0, -18 * scale],
    }),
  ];
  const cursor = at === null ? null : positionAt(replay, at);
  if (cursor) {
    layers.push(
      new ScatterplotLayer<[number, number]>({
        id: LAYER_IDS.replayMarker,
        data: [cursor],
        getPosition: (d) => d,
        getRadius: 8 * scale,
        radiusUnits: 'pixels',
        getFillColor: palette.replayMarker,
        stroked: true,
        getLineColor: palette.replayPath,
        getLineWidth: 3 * scale,
        lineWidthUnits: 'pixels',
      }),
    );
  }
  return layers;
}

// ---------------------------------------------------------------- selection and highlight

export function selectionLayer(
  selection: Selection | null,
  target: { rings?: Position[][]; point?: [number, number] } | null,
  env: LayerEnv,
): Layer | null {
  if (!selection || !target) return null;
  const { palette, scale } = env;
  if (target.rings) {
    return new PathLayer<Position[]>({
      id: LAYER_IDS.selection,
      data: target.rings,
      getPath: (d) => d as [number, number][],
      getColor: palette.selection,
      getWidth: 4 * scale,
      widthUnits: 'pixels',
      jointRounded: true,
    });
  }
  if (target.point) {
    return new ScatterplotLayer<[number, number]>({
      id: LAYER_IDS.selection,
      data: [target.point],
      getPosition: (d) => d,
      getRadius: 14 * scale,
      radiusUnits: 'pixels',
      filled: false,
      stroked: true,
      getLineColor: palette.selection,
      getLineWidth: 3 * scale,
      lineWidthUnits: 'pixels',
    });
  }
  return null;
}

export function highlightLayer(point: [number, number] | null, timeMs: number, env: LayerEnv): Layer | null {
  if (!point) return null;
  const t = pulsePhase(timeMs, 1200);
  const { palette, scale } = env;
  return new ScatterplotLayer<{ position: [number, number]; ring: number }>({
    id: LAYER_IDS.highlight,
    data: [
      { position: point, ring: 0 },
      { position: point, ring: 0.5 },
    ],
    getPosition: (d) => d.position,
    getRadius: (d) => (14 + 46 * ((t + d.ring) % 1)) * scale,
    radiusUnits: 'pixels',
    filled: false,
    stroked: true,
    getLineColor: (d) => withAlpha(palette.highlight, Math.round(255 * (1 - ((t + d.ring) % 1)))),
    getLineWidth: 4 * scale,
    lineWidthUnits: 'pixels',
    updateTriggers: { getRadius: [t, scale], getLineColor: [t, palette.name] },
  });
}

// ---------------------------------------------------------------- picking

export type Picked = Selection | { kind: 'cluster'; id: string; clusterId: number } | DeskPick;

/** What a deck.gl pick means for the app; binary worker rows are resolved through their index. */
export function pickedSelection(info: Pick<PickingInfo, 'layer' | 'object' | 'index'> | null | undefined, workerIdAt: (index: number) => string | undefined): Picked | null {
  if (!info?.layer || info.index < 0) return null;
  const object = info.object as Record<string, unknown> | null | undefined;
  switch (info.layer.id) {
    case LAYER_IDS.gridFill:
    case LAYER_IDS.gridFillOverview: {
      const grid = (object as { grid?: GridShape } | undefined)?.grid;
      return grid ? { kind: 'grid', id: grid.code } : null;
    }
    case LAYER_IDS.workers:
    case LAYER_IDS.workerHeading: {
      const id = workerIdAt(info.index);
      return id ? { kind: 'worker', id } : null;
    }
    case LAYER_IDS.events:
    case LAYER_IDS.eventLetters: {
      const id = (object as EventPoint | undefined)?.id;
      return id ? { kind: 'event', id } : null;
    }
    case LAYER_IDS.clusters: {
      const c = object as ClusterItem | undefined;
      return c ? { kind: 'cluster', id: c.id, clusterId: c.clusterId } : null;
    }
    default:
      return deskPicked(info);
  }
}

/** The layers that answer a pick of one kind (the test hook's filter). */
export const PICK_LAYERS: Record<Picked['kind'], string[]> = {
  grid: [LAYER_IDS.gridFill, LAYER_IDS.gridFillOverview],
  worker: [LAYER_IDS.workers],
  event: [LAYER_IDS.events],
  cluster: [LAYER_IDS.clusters],
  desk: DESK_PICK_LAYERS,
};

export function withAlpha(c: Rgba, alpha: number): Rgba {
  return [c[0], c[1], c[2], alpha];
}
