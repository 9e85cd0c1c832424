import { describe, expect, it } from 'vitest';
import type { Layer } from '@deck.gl/core';
import { DEFAULT_FILL_BREAKS, type EventPoint, type GridMetrics } from './events';
import type { GridShape } from './grids';
import {
  BOUNDARY_LAYERS,
  BOUNDARY_SOURCE,
  boundaryFeatures,
  boundaryLayers,
  eventLayers,
  fillOpacity,
  gridFillColor,
  gridLabelLayer,
  gridLayers,
  labelLevels,
  LAYER_IDS,
  makeLabelPicker,
  pickedSelection,
  positionAt,
  pulseLayer,
  pulsePhase,
  replayLayers,
  selectionLayer,
  stopLabel,
  splitLabelRows,
  workerLayers,
  type LayerEnv,
} from './layers';
import { PositionStore } from './positions';
import { DARK, LIGHT } from './theme';

const env: LayerEnv = { palette: LIGHT, scale: 1, zoom: 12, hover: true };
const shape = (code: string, level: 1 | 2 | 3): GridShape => ({
  code,
  name: `网格${code}`,
  level,
  kind: 'basic',
  parent: null,
  label: [112.9, 28.6],
  bounds: [112.8, 28.5, 113, 28.7],
  inside: [112.9, 28.6],
});
const metrics: GridMetrics = { load: new Map([['g1', 4], ['g2', 12]]), overdue: new Map([['g2', 5]]), breaks: DEFAULT_FILL_BREAKS };
const point = (id: string, over: Partial<EventPoint> = {}): EventPoint => ({
  id,
  code: id,
  title: id,
  position: [112.9, 28.6],
  lon: 112.9,
  lat: 28.6,
  grid: 'g1',
  category: '0301',
  group: '03',
  letter: '环',
  urgency: 'normal',
  status: 'accepted',
  open: true,
  overdue: false,
  fresh: false,
  reportedAt: 0,
  dues: [],
  ...over,
});
const props = (layer: Layer | null | undefined): Record<string, unknown> => (layer?.props ?? {}) as unknown as Record<string, unknown>;
const accessor = <T,>(layer: Layer, name: string): ((d: T) => unknown) => props(layer)[name] as (d: T) => unknown;

describe('grid layers', () => {
  it('fill each grid by its class of load or overdue count, never fully transparent', () => {
    expect(gridFillColor('g1', 'load', metrics, LIGHT)).toEqual(LIGHT.loadRamp[2]);
    expect(gridFillColor('g2', 'load', metrics, LIGHT)).toEqual(LIGHT.loadRamp[4]);
    expect(gridFillColor('g9', 'load', metrics, LIGHT)).toEqual(LIGHT.loadRamp[0]);
    expect(gridFillColor('g2', 'overdue', metrics, DARK)).toEqual(DARK.overdueRamp[3]);
    expect(gridFillColor('g1', 'none', metrics, LIGHT)[3]).toBe(1);
    expect(gridFillColor('g1', 'load', null, LIGHT)[3]).toBe(1);
  });

  it('keep the data objects and name the figure version in the fill trigger', () => {
    const data = { parts: [], overviewParts: [] };
    const close = { ...env, zoom: 14 };
    const [fill, fillFar, ...rest] = gridLayers(data, 'load', metrics, 7, close);
    expect([fill!.id, fillFar!.id]).toEqual([LAYER_IDS.gridFill, LAYER_IDS.gridFillOverview]);
    expect(rest).toEqual([]);
    expect(props(fill).data).toBe(data.parts);
    expect((props(fill).updateTriggers as Record<string, unknown>).getFillColor).toEqual(['load', 7, 'light']);
    expect([props(fill).visible, props(fillFar).visible, props(fill).pickable, props(fill).stroked]).toEqual([true, false, true, true]);
    // Zoomed out: the simplified geometry, no outline per grid; both fills stay built, one shows.
    const [farFill, farFillOverview] = gridLayers(data, 'load', metrics, 7, { ...env, zoom: 10 });
    expect([farFill!.props.visible, farFillOverview!.props.visible, (farFillOverview!.props as unknown as { stroked: boolean }).stroked]).toEqual([false, true, false]);
    expect(props(farFillOverview).data).toBe(data.overviewParts);
  });

  it('draw village and town boundaries on the base map, thicker than grid lines, the town’s thickest', () => {
    const [village, town] = boundaryLayers(DARK, 1.7, true);
    expect([village!.id, town!.id]).toEqual([BOUNDARY_LAYERS.village, BOUNDARY_LAYERS.town]);
    expect(village!.source).toBe(BOUNDARY_SOURCE);
    expect(village!.paint['line-width']).toBeCloseTo(2.2 * 1.7, 6);
    expect(town!.paint['line-width'] as number).toBeGreaterThan(village!.paint['line-width'] as number);
    expect(village!.paint['line-color']).toBe('rgba(86, 235, 230, 0.902)');
    expect(boundaryLayers(LIGHT, 1, false)[0]!.layout.visibility).toBe('none');
    const fc = boundaryFeatures([{ code: '430624103001', level: 2, path: [[1, 2], [3, 4]] }]);
    expect(fc.features[0]).toEqual({ type: 'Feature', properties: { code: '430624103001', level: 2 }, geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] } });
  });

  it('fade the fills close up, as a uniform', () => {
    expect(fillOpacity(11)).toBe(1);
    expect(fillOpacity(16)).toBe(0.45);
    expect(fillOpacity(14.25)).toBeCloseTo(0.725, 3);
  });

  it('name the town far out, villages in between and grids close up', () => {
    expect(labelLevels(10, 1)).toEqual({ town: true, village: false, grid: false });
    expect(labelLevels(11, 1)).toEqual({ town: false, village: true, grid: false });
    expect(labelLevels(12.2, 1)).toEqual({ town: false, village: true, grid: false });
    expect(labelLevels(14, 1)).toEqual({ town: false, village: true, grid: true });
    expect(labelLevels(16, 1)).toEqual({ town: false, village: false, grid: true });
    expect(labelLevels(13.5, 1.7).grid).toBe(false);
  });

  it('split place names (town, villages: drawn above the markers) from grid names, each in its own layer', () => {
    const { places, grids } = splitLabelRows([shape('t', 1), shape('v', 2), shape('g', 3)]);
    expect(places.map((r) => r.code)).toEqual(['t', 'v']);
    expect(grids.map((r) => r.code)).toEqual(['g']);
    expect(gridLabelLayer(places, env, LAYER_IDS.placeLabels).id).toBe('place-labels');
    expect(gridLabelLayer(grids, env).id).toBe(LAYER_IDS.gridLabels);
  });

  it('keep one label list per level set, so zooming inside a band changes no data', () => {
    const shapes = [shape('t', 1), shape('v', 2), shape('g', 3)];
    const pick = makeLabelPicker(shapes);
    const a = pick(labelLevels(12, 1));
    expect(a.map((s) => s.code)).toEqual(['v']);
    expect(pick(labelLevels(12.9, 1))).toBe(a);
    const layer = gridLabelLayer(a, { ...env, scale: 2 });
    expect(props(layer).characterSet).toBe('auto');
    expect(String(props(layer).fontFamily)).toContain('Noto Sans CJK SC');
    expect(accessor<GridShape>(layer, 'getSize')(shapes[1]!)).toBe(32);
  });
});

describe('worker layers', () => {
  it('draw binary positions, with heading arrows close up only', () => {
    const store = new PositionStore();
    store.upsert([{ workerId: 'w', lon: 112.9, lat: 28.6, at: 1, speed: null, heading: 10, accuracy: null }]);
    const far = workerLayers(store.data(), env, { arrowAtlas: {}, selectedIndex: null });
    expect(far.map((l) => l.id)).toEqual([LAYER_IDS.workers]);
    expect(props(far[0]).data).toBe(store.data());
    const near = workerLayers(store.data(), { ...env, zoom: 15 }, { arrowAtlas: {}, selectedIndex: null });
    expect(near.map((l) => l.id)).toEqual([LAYER_IDS.workers, LAYER_IDS.workerHeading]);
    expect(workerLayers(store.data(), { ...env, zoom: 15 }, { arrowAtlas: null, selectedIndex: null })).toHaveLength(1);
  });
});

describe('event layers', () => {
  it('draw clusters only when there are some, letters from zoom 13, colour by urgency', () => {
    const singles = [point('a', { urgency: 'critical' }), point('b', { open: false })];
    const far = eventLayers({ singles, clusters: [] }, env, { selectedId: null });
    expect(far.map((l) => l.id)).toEqual([LAYER_IDS.events]);
    const fill = accessor<EventPoint>(far[0]!, 'getFillColor');
    expect(fill(singles[0]!)).toEqual(LIGHT.urgency.critical);
    expect(fill(singles[1]!)).toEqual(LIGHT.closedEvent);
    const clusters = [{ id: 'c', position: [1, 2] as [number, number], count: 8, urgency: 'urgent' as const, overdue: 0, clusterId: 3 }];
    const near = eventLayers({ singles, clusters }, { ...env, zoom: 13.5 }, { selectedId: 'a', flagsVersion: 4 });
    expect(near.map((l) => l.id)).toEqual([LAYER_IDS.clusters, LAYER_IDS.clusterCounts, LAYER_IDS.events, LAYER_IDS.eventLetters]);
    expect((props(near[2]).updateTriggers as Record<string, unknown>).getLineWidth).toEqual([1, 'a', 4]);
  });

  it('pulse new and overdue events by a time value in the triggers, over the same data', () => {
    const attention = [point('a', { fresh: true }), point('b', { overdue: true })];
    expect(pulseLayer([], 0, env)).toBeNull();
    const l1 = pulseLayer(attention, 300, env)!;
    const l2 = pulseLayer(attention, 900, env)!;
    expect(props(l1).data).toBe(props(l2).data);
    const t1 = (props(l1).updateTriggers as { getRadius: unknown[] }).getRadius[0];
    const t2 = (props(l2).updateTriggers as { getRadius: unknown[] }).getRadius[0];
    expect(t1).toBeCloseTo(0.2, 6);
    expect(t2).toBeCloseTo(0.6, 6);
    expect(accessor<EventPoint>(l1, 'getLineColor')(attention[1]!)).toEqual([...LIGHT.overduePulse.slice(0, 3), 204]);
    expect(pulsePhase(-300)).toBeCloseTo(0.8, 6);
  });
});

describe('track replay', () => {
  const replay = {
    path: [
      [112.9, 28.6],
      [112.91, 28.6],
      [112.91, 28.61],
    ] as [number, number][],
    times: [0, 1000, 3000],
    stops: [{ lon: 112.91, lat: 28.6, from: 1000, to: 400_000, durationMs: 399_000, fixes: 5, position: [112.91, 28.6] as [number, number] }],
  };

  it('puts the cursor between the fixes around it', () => {
    expect(positionAt(replay, -5)).toEqual([112.9, 28.6]);
    expect(positionAt(replay, 500)![0]).toBeCloseTo(112.905, 9);
    expect(positionAt(replay, 2000)![1]).toBeCloseTo(28.605, 9);
    expect(positionAt(replay, 9999)).toEqual([112.91, 28.61]);
    expect(positionAt({ path: [], times: [], stops: [] }, 0)).toBeNull();
  });

  it('draws the track, the stops with their durations and the cursor', () => {
    expect(replayLayers(replay, null, env).map((l) => l.id)).toEqual([LAYER_IDS.replayPath, LAYER_IDS.replayStops, LAYER_IDS.replayStopLabels]);
    const layers = replayLayers(replay, 500, env);
    expect(layers.map((l) => l.id)).toContain(LAYER_IDS.replayMarker);
    expect(stopLabel(399_000)).toBe('停留 7 分');
    expect(stopLabel(125 * 60_000)).toBe('停留 2 小时 5 分');
  });
});

describe('selection and picking', () => {
  it('outlines a selected grid and rings a selected point', () => {
    expect(selectionLayer(null, { point: [1, 2] }, env)).toBeNull();
    expect(selectionLayer({ kind: 'grid', id: 'g' }, null, env)).toBeNull();
    expect(selectionLayer({ kind: 'grid', id: 'g' }, { rings: [[[1, 2]]] }, env)?.id).toBe(LAYER_IDS.selection);
    expect(props(selectionLayer({ kind: 'worker', id: 'w' }, { point: [1, 2] }, env)).stroked).toBe(true);
  });

  it('turns a deck.gl pick into the app’s selection, workers through their row index', () => {
    const layer = (id: string) => ({ id }) as unknown as Layer;
    const ids = ['w-1', 'w-2'];
    const at = (i: number) => ids[i];
    expect(pickedSelection({ layer: layer(LAYER_IDS.gridFill), object: { grid: shape('g7', 3) }, index: 0 }, at)).toEqual({ kind: 'grid', id: 'g7' });
    expect(pickedSelection({ layer: layer(LAYER_IDS.gridFillOverview), object: { grid: shape('g8', 3) }, index: 0 }, at)).toEqual({ kind: 'grid', id: 'g8' });
    expect(pickedSelection({ layer: layer(LAYER_IDS.workers), object: null, index: 1 }, at)).toEqual({ kind: 'worker', id: 'w-2' });
    expect(pickedSelection({ layer: layer(LAYER_IDS.events), object: point('e9'), index: 0 }, at)).toEqual({ kind: 'event', id: 'e9' });
    expect(pickedSelection({ layer: layer(LAYER_IDS.clusters), object: { id: 'c', clusterId: 4 }, index: 0 }, at)).toEqual({ kind: 'cluster', id: 'c', clusterId: 4 });
    expect(pickedSelection({ layer: layer(LAYER_IDS.gridLabels), object: {}, index: 0 }, at)).toBeNull();
    expect(pickedSelection({ layer: layer(LAYER_IDS.workers), object: null, index: -1 }, at)).toBeNull();
    expect(pickedSelection(null, at)).toBeNull();
  });
});
