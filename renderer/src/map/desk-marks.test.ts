// The field desk's marks on the map: the circle and the grids under the markers, the
// resources and the worker rings above them at the map's live positions (a worker the map
// holds no fix for is left out), picks mapped back to what they mark, the circle's box.
import { describe, expect, it } from 'vitest';
import { deskLayers, deskPicked, DESK_LAYER_IDS, marksBounds, type DeskContext, type MapMarks } from './desk-marks';
import { pickedSelection } from './layers';
import { paletteFor } from './theme';

const env = { palette: paletteFor('light'), scale: 1, zoom: 15, hover: true };
const ring = [
  [112.9, 28.6],
  [112.91, 28.6],
  [112.91, 28.61],
  [112.9, 28.6],
];
const ctx: DeskContext = {
  rings: (code) => (code === 'g1' ? [ring] : undefined),
  workerAt: (id) => (id === 'w1' ? [112.905, 28.605] : null),
  toDisplay: (lon, lat) => [lon, lat],
};

describe('desk marks', () => {
  it('draws the circle and grids under, the points and the rings over', () => {
    expect(deskLayers(null, ctx, env)).toEqual({ under: [], over: [] });
    const marks: MapMarks = {
      key: 'emergency:e1',
      circle: { lon: 112.905, lat: 28.605, radiusM: 1000 },
      grids: ['g1', 'unknown'],
      workers: [
        { id: 'w1', tone: 'notified', label: '张三' },
        { id: 'w-nowhere', tone: 'nearby', label: '李四' },
      ],
      points: [{ id: 'r1', lon: 112.906, lat: 28.606, tone: 'team', label: '镇义务消防队' }],
    };
    const { under, over } = deskLayers(marks, ctx, env);
    expect(under.map((l) => l.id)).toEqual([DESK_LAYER_IDS.grids, DESK_LAYER_IDS.radius]);
    expect(over.map((l) => l.id)).toEqual([DESK_LAYER_IDS.points, DESK_LAYER_IDS.workers]);
    const rings = over[1]!.props.data as { id: string; mark: string }[];
    expect(rings.map((r) => `${r.mark}:${r.id}`)).toEqual(['notified:w1']);
    // The grid rows are kept while the same grids are marked (tessellated once).
    expect(deskLayers(marks, ctx, env).under[0]!.props.data).toBe(under[0]!.props.data);
  });

  it('maps a pick back to what it marks, through the map\'s own picking', () => {
    const layer = { id: DESK_LAYER_IDS.workers } as never;
    const picked = pickedSelection({ layer, object: { id: 'w1', mark: 'notified', label: '张三' }, index: 0 }, () => undefined);
    expect(picked).toEqual({ kind: 'desk', id: 'w1', mark: 'notified', label: '张三' });
    expect(deskPicked({ layer: { id: 'events' } as never, object: {} })).toBeNull();
  });

  it('asks the map to show the circle with a margin, and nothing without one', () => {
    const box = marksBounds({ key: 'k', circle: { lon: 112.9, lat: 28.6, radiusM: 1000 } })!;
    expect(box[2] - box[0]).toBeGreaterThan((2 * 1000) / (111_320 * Math.cos((28.6 * Math.PI) / 180)));
    expect(marksBounds({ key: 'patrol', grids: ['g1'] })).toBeNull();
  });
});
