import { describe, expect, it } from 'vitest';
import type { Grid, GridEvent } from '../model';
import { CategorySchema, GeometrySchema, GridEventSchema, GridSchema, IsoTimeSchema, WorkerSchema } from './schemas';

const square = (lon: number, lat: number, d = 0.01): number[][][] => [
  [
    [lon, lat],
    [lon + d, lat],
    [lon + d, lat + d],
    [lon, lat + d],
    [lon, lat],
  ],
];

const sampleGrid = (over: Partial<Grid> = {}): Grid => ({
  code: '430624103001001',
  name: '课功村第一网格',
  level: 3,
  kind: 'basic',
  parent: '430624103001',
  geometry: { type: 'Polygon', coordinates: square(112.9, 28.6) },
  households: 160,
  ...over,
});

const sampleEvent = (over: Partial<GridEvent> = {}): GridEvent => ({
  id: 'e-1',
  code: 'GP20261128-0001',
  title: '路灯损坏',
  description: '村口路灯不亮',
  category: '0301',
  status: 'reported',
  urgency: 'normal',
  source: 'patrol',
  location: { lon: 112.905, lat: 28.605, address: '课功村村口' },
  grid: '430624103001001',
  reportedAt: '2026-11-28T09:12:03+08:00',
  reporter: { name: '李四', workerId: 'w-1' },
  deadlines: {
    accept: {
      kind: 'accept',
      limit: { value: 30, unit: 'minutes' },
      startedAt: '2026-11-28T09:12:03+08:00',
      dueAt: '2026-11-28T09:42:03+08:00',
      pausedAt: null,
      remainingAtPause: null,
      stoppedAt: null,
      extensions: [],
    },
  },
  assignee: null,
  history: [{ at: '2026-11-28T09:12:03+08:00', actor: 'w-1', action: 'event.create', note: '' }],
  tier: 'simple',
  selfHandled: false,
  suspendedFrom: null,
  reworkCount: 0,
  supervisionCount: 0,
  extensionRequest: null,
  satisfaction: null,
  mergedInto: null,
  photos: [],
  ...over,
});

describe('GridSchema', () => {
  it('accepts a well-formed grid and keeps its fields', () => {
    const grid = sampleGrid();
    expect(GridSchema.parse(grid)).toEqual(grid);
  });

  it('accepts a MultiPolygon town without households', () => {
    const town = sampleGrid({
      code: '430624103',
      level: 1,
      parent: null,
      households: undefined,
      geometry: { type: 'MultiPolygon', coordinates: [square(112.9, 28.6), square(113, 28.7)] },
    });
    expect(GridSchema.safeParse(town).success).toBe(true);
  });

  it('refuses a code whose length does not match the level', () => {
    const result = GridSchema.safeParse(sampleGrid({ level: 2 }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['code']);
  });

  it('refuses non-digit codes and unknown levels', () => {
    expect(GridSchema.safeParse(sampleGrid({ code: '43062410300100A' })).success).toBe(false);
    expect(GridSchema.safeParse({ ...sampleGrid(), level: 4 }).success).toBe(false);
  });
});

describe('GeometrySchema', () => {
  it('refuses infinite, NaN and out-of-range coordinates', () => {
    for (const bad of [Infinity, NaN, 181]) {
      const ring = square(112.9, 28.6);
      ring[0]![1] = [bad, 28.6];
      expect(GeometrySchema.safeParse({ type: 'Polygon', coordinates: ring }).success).toBe(false);
    }
    const swapped = square(28.6, 112.9);
    expect(GeometrySchema.safeParse({ type: 'Polygon', coordinates: swapped }).success).toBe(false);
  });

  it('refuses open rings and rings with fewer than four positions', () => {
    const open = square(112.9, 28.6);
    open[0]!.pop();
    open[0]!.push([112.9, 28.601]);
    expect(GeometrySchema.safeParse({ type: 'Polygon', coordinates: open }).success).toBe(false);
    const triangle = [[[112.9, 28.6], [113, 28.6], [112.9, 28.6]]];
    expect(GeometrySchema.safeParse({ type: 'Polygon', coordinates: triangle }).success).toBe(false);
  });

  it('refuses other geometry types', () => {
    expect(GeometrySchema.safeParse({ type: 'Point', coordinates: [112.9, 28.6] }).success).toBe(false);
  });
});

describe('GridEventSchema', () => {
  it('accepts a full event', () => {
    const event = sampleEvent();
    expect(GridEventSchema.parse(event)).toEqual(event);
  });

  it('refuses an unknown status and a local time without offset', () => {
    expect(GridEventSchema.safeParse({ ...sampleEvent(), status: 'lost' }).success).toBe(false);
    expect(GridEventSchema.safeParse(sampleEvent({ reportedAt: '2026-11-28T09:12:03' })).success).toBe(false);
  });

  it('refuses negative counters', () => {
    expect(GridEventSchema.safeParse(sampleEvent({ reworkCount: -1 })).success).toBe(false);
  });
});

describe('other entities', () => {
  it('IsoTimeSchema takes offsets and Z, refuses dates alone', () => {
    expect(IsoTimeSchema.safeParse('2026-11-28T09:12:03+08:00').success).toBe(true);
    expect(IsoTimeSchema.safeParse('2026-11-28T01:12:03Z').success).toBe(true);
    expect(IsoTimeSchema.safeParse('2026-11-28').success).toBe(false);
  });

  it('CategorySchema refuses a non-positive limit', () => {
    const category = {
      code: '0301',
      name: '路灯损坏',
      parent: '03',
      acceptMinutes: 30,
      finishLimit: { value: 0, unit: 'workDays' },
      department: 'd-1',
      tier: 'general',
    };
    expect(CategorySchema.safeParse(category).success).toBe(false);
    expect(CategorySchema.safeParse({ ...category, finishLimit: { value: 2, unit: 'workDays' } }).success).toBe(true);
  });

  it('WorkerSchema refuses an unknown role', () => {
    const worker = { id: 'w-1', name: '王五', role: 'villageWorker', grids: [], phone: '138****0000', onDuty: true };
    expect(WorkerSchema.safeParse(worker).success).toBe(true);
    expect(WorkerSchema.safeParse({ ...worker, role: 'boss' }).success).toBe(false);
  });
});
