// Size bounds on every string and list a county event or grid carries (issue 12, "Bounds on
// everything that arrives"): the fields that had none (reporter, assignee.cooperating,
// clock.extensions, the extension request's reason, a grid's geometry, ISO times) are
// refused one past their bound, with the path in the reason, and accepted at it. Both the
// compiled fast path and zod itself are checked, so the two cannot drift apart.
import { describe, expect, it } from 'vitest';
import town from '../../resources/demo-town/town.json';
import { SIZE } from '../api/schemas';
import type { Clock, Grid, GridEvent } from '../model';
import { EventWireSchema, GridWireSchema, LIMITS, entityData, parseChangeItem } from './protocol';

const ds = town as unknown as { grids: Grid[] };
const grid = ds.grids[0]!;
const AT = '2026-11-30T09:00:00+08:00';
const clock: Clock = {
  kind: 'accept',
  limit: { value: 2, unit: 'hours' },
  startedAt: AT,
  dueAt: '2026-11-30T11:00:00+08:00',
  pausedAt: null,
  remainingAtPause: null,
  stoppedAt: null,
  extensions: [],
};
const event: GridEvent = {
  id: 'e-1',
  code: 'GP-1',
  title: '垃圾乱堆乱放',
  description: '',
  category: '0301',
  status: 'reported',
  urgency: 'normal',
  source: 'hotline',
  location: { lon: 112.9, lat: 28.6, address: '古培镇课功村村口' },
  grid: grid.code,
  reportedAt: AT,
  reporter: { name: '张三', phone: '138****0000' },
  deadlines: { accept: clock },
  assignee: { kind: 'department', id: 'dept-rj', cooperating: [] },
  history: [],
  tier: 'general',
  selfHandled: false,
  suspendedFrom: null,
  reworkCount: 0,
  supervisionCount: 0,
  extensionRequest: { by: { value: 1, unit: 'days' }, reason: '需要协调', at: AT, actor: 'd-001' },
  satisfaction: null,
  mergedInto: null,
  photos: [],
};

const eventPut = (e: GridEvent) => ({ type: 'event', op: 'put', id: e.id, rev: 1, data: entityData({ type: 'event', id: e.id, value: e }) });
const gridPut = (g: Grid) => ({ type: 'grid', op: 'put', id: g.code, rev: 1, data: g });
const text = (n: number) => '字'.repeat(n);
const limits = (n: number) => Array.from({ length: n }, () => ({ value: 1, unit: 'hours' as const }));

/** Each bounded event field: the event with the field at a given size, and the path the reason names. */
const EVENT_FIELDS: { field: string; bound: number; path: RegExp; at: (n: number) => GridEvent }[] = [
  { field: 'reporter.name', bound: SIZE.name, path: /reporter\.name/, at: (n) => ({ ...event, reporter: { name: text(n) } }) },
  { field: 'reporter.phone', bound: SIZE.phone, path: /reporter\.phone/, at: (n) => ({ ...event, reporter: { name: '张三', phone: '1'.repeat(n) } }) },
  { field: 'reporter.idNumber', bound: SIZE.phone, path: /reporter\.idNumber/, at: (n) => ({ ...event, reporter: { name: '张三', idNumber: '4'.repeat(n) } }) },
  { field: 'reporter.workerId', bound: SIZE.id, path: /reporter\.workerId/, at: (n) => ({ ...event, reporter: { name: '张三', workerId: 'w'.repeat(n) } }) },
  { field: 'assignee.id', bound: SIZE.id, path: /assignee\.id/, at: (n) => ({ ...event, assignee: { kind: 'department', id: 'd'.repeat(n), cooperating: [] } }) },
  {
    field: 'assignee.cooperating',
    bound: SIZE.cooperating,
    path: /assignee\.cooperating/,
    at: (n) => ({ ...event, assignee: { kind: 'department', id: 'dept-rj', cooperating: Array.from({ length: n }, (_, i) => `dept-${i}`) } }),
  },
  {
    field: 'assignee.cooperating[0]',
    bound: SIZE.id,
    path: /assignee\.cooperating\.0/,
    at: (n) => ({ ...event, assignee: { kind: 'department', id: 'dept-rj', cooperating: ['c'.repeat(n)] } }),
  },
  { field: 'clock.extensions', bound: SIZE.extensions, path: /deadlines\.accept\.extensions/, at: (n) => ({ ...event, deadlines: { accept: { ...clock, extensions: limits(n) } } }) },
  {
    field: 'extensionRequest.reason',
    bound: SIZE.text,
    path: /extensionRequest\.reason/,
    at: (n) => ({ ...event, extensionRequest: { ...event.extensionRequest!, reason: text(n) } }),
  },
  {
    field: 'extensionRequest.actor',
    bound: SIZE.id,
    path: /extensionRequest\.actor/,
    at: (n) => ({ ...event, extensionRequest: { ...event.extensionRequest!, actor: 'a'.repeat(n) } }),
  },
  // The longest legitimate instant is 35 characters; fractional digits are otherwise unbounded in the ISO pattern.
  { field: 'reportedAt', bound: SIZE.isoTime, path: /reportedAt/, at: (n) => ({ ...event, reportedAt: `2026-11-30T09:00:00.${'1'.repeat(n - 26)}+08:00` }) },
];

describe('event fields that had no bound', () => {
  it('the sample event is accepted as it is', () => {
    expect(parseChangeItem(eventPut(event)).ok).toBe(true);
  });

  for (const f of EVENT_FIELDS) {
    it(`${f.field}: accepted at ${f.bound}, refused at ${f.bound + 1} with the path in the reason`, () => {
      const atBound = parseChangeItem(eventPut(f.at(f.bound)));
      expect(atBound.ok, atBound.ok ? '' : atBound.reason).toBe(true);
      expect(EventWireSchema.safeParse(entityData({ type: 'event', id: 'e-1', value: f.at(f.bound) })).success).toBe(true);
      const over = parseChangeItem(eventPut(f.at(f.bound + 1)));
      expect(over.ok).toBe(false);
      if (!over.ok) expect(over.reason).toMatch(/^invalid event "e-1": /);
      if (!over.ok) expect(over.reason).toMatch(f.path);
    });
  }
});

/** A closed square ring of n positions (n >= 4) around the grid's area. */
function ring(n: number): number[][] {
  const points = Array.from({ length: n - 1 }, (_, i) => [112.9 + (i % 1000) * 1e-6, 28.6 + Math.floor(i / 1000) * 1e-6]);
  return [...points, points[0]!];
}
const polygon = (rings: number[][][]): Grid['geometry'] => ({ type: 'Polygon', coordinates: rings }) as Grid['geometry'];
const multi = (polygons: number[][][][]): Grid['geometry'] => ({ type: 'MultiPolygon', coordinates: polygons }) as Grid['geometry'];

describe("a grid's geometry", () => {
  const cases: { what: string; at: Grid['geometry']; over: Grid['geometry']; reason: RegExp }[] = [
    { what: 'positions of a ring', at: polygon([ring(SIZE.ringPoints)]), over: polygon([ring(SIZE.ringPoints + 1)]), reason: /geometry\.coordinates\.0/ },
    {
      what: 'rings of a polygon',
      at: polygon(Array.from({ length: SIZE.polygonRings }, () => ring(4))),
      over: polygon(Array.from({ length: SIZE.polygonRings + 1 }, () => ring(4))),
      reason: /geometry\.coordinates/,
    },
    {
      what: 'polygons of a MultiPolygon',
      at: multi(Array.from({ length: SIZE.multiPolygonParts }, () => [ring(4)])),
      over: multi(Array.from({ length: SIZE.multiPolygonParts + 1 }, () => [ring(4)])),
      reason: /geometry\.coordinates/,
    },
    {
      what: 'rings of one polygon of a MultiPolygon',
      at: multi([Array.from({ length: SIZE.polygonRings }, () => ring(4))]),
      over: multi([Array.from({ length: SIZE.polygonRings + 1 }, () => ring(4))]),
      reason: /geometry\.coordinates\.0/,
    },
    {
      what: 'positions of the whole geometry',
      at: multi(Array.from({ length: SIZE.geometryPoints / 1000 }, () => [ring(1000)])),
      over: multi([...Array.from({ length: SIZE.geometryPoints / 1000 }, () => [ring(1000)]), [ring(4)]]),
      reason: /边界坐标点过多/,
    },
  ];
  for (const c of cases) {
    it(`bounds the ${c.what}`, () => {
      const ok = parseChangeItem(gridPut({ ...grid, geometry: c.at }));
      expect(ok.ok, ok.ok ? '' : ok.reason).toBe(true);
      expect(GridWireSchema.safeParse({ ...grid, geometry: c.at }).success).toBe(true);
      const over = parseChangeItem(gridPut({ ...grid, geometry: c.over }));
      expect(over.ok).toBe(false);
      if (!over.ok) expect(over.reason).toMatch(c.reason);
    });
  }
});

describe('the 13.5 MB event of issue 12', () => {
  it('is refused with a reason of bounded length naming the oversized fields', () => {
    const huge: GridEvent = {
      ...event,
      reporter: { name: 'x'.repeat(3_000_000), phone: '1'.repeat(500_000) },
      assignee: { kind: 'department', id: 'dept-rj', cooperating: Array.from({ length: 200_000 }, (_, i) => `dept-${i}`) },
      deadlines: { accept: { ...clock, extensions: limits(150_000) } },
      extensionRequest: { ...event.extensionRequest!, reason: 'y'.repeat(3_000_000) },
    };
    const item = eventPut(huge);
    expect(JSON.stringify(item).length).toBeGreaterThan(13_000_000);
    const parsed = parseChangeItem(item);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toMatch(/reporter\.name/);
    expect(parsed.reason.length).toBeLessThan(700);
  });

  it('keeps LIMITS and SIZE one fact: the wire bounds are the vocabulary bounds', () => {
    for (const key of Object.keys(SIZE) as (keyof typeof SIZE)[]) expect(LIMITS[key]).toBe(SIZE[key]);
    expect(LIMITS.countyMessageBytes).toBeGreaterThan(14 * 1024 * 1024);
  });
});
