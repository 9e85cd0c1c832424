import { describe, expect, it } from 'vitest';
import demoTown from '../../../resources/demo-town/town.json';
import type { Category } from '../../../core/model';

const DEMO_CATEGORIES = demoTown.categories as unknown as Category[];
import type { GridEvent } from '../../../core/model';
import { GCJ02_DATUM } from './coords';
import {
  breakLabels,
  categoryIndex,
  classOf,
  fillBreaks,
  fillClasses,
  gridMetrics,
  gridsPerClass,
  isOverdue,
  LOAD_BREAKS,
  matchesFilters,
  NEW_EVENT_MS,
  OVERDUE_BREAKS,
  refreshPoint,
  toEventPoint,
} from './events';
import { freshWorkflow } from '../../../core/events/transition';

const T = Date.parse('2026-11-28T10:00:00+08:00');
const iso = (ms: number): string => new Date(ms).toISOString();
const clock = (dueMs: number, extra: Partial<{ stoppedAt: string; remainingAtPause: number }> = {}) => ({
  kind: 'finish' as const,
  limit: { value: 1, unit: 'days' as const },
  startedAt: iso(dueMs - 86_400_000),
  dueAt: iso(dueMs),
  pausedAt: extra.remainingAtPause !== undefined ? iso(dueMs - 1000) : null,
  remainingAtPause: extra.remainingAtPause ?? null,
  stoppedAt: extra.stoppedAt ?? null,
  extensions: [],
});

function event(over: Partial<GridEvent> = {}): GridEvent {
  return {
    id: 'e1',
    code: 'GP20261128-0001',
    title: '垃圾乱堆乱放',
    description: '',
    category: '0301',
    status: 'accepted',
    urgency: 'normal',
    source: 'patrol',
    location: { lon: 112.9, lat: 28.6, address: '古培镇' },
    grid: '430624103001001',
    reportedAt: iso(T - 60 * 60_000),
    reporter: null,
    ...freshWorkflow(),
    deadlines: { finish: clock(T + 3_600_000) },
    tier: 'simple',
    ...over,
  };
}

const cats = categoryIndex(DEMO_CATEGORIES);

describe('category groups', () => {
  it('finds the top-level group of a leaf and marks it with the first Chinese character of its name', () => {
    expect(cats.groupOf('0301')).toBe('03');
    expect(cats.letterOf('03')).toBe('环');
    expect(cats.letterOf(cats.groupOf('0902'))).toBe('热');
    expect(cats.letterOf('01')).toBe('矛');
    expect(cats.nameOf('0301')).toBe('垃圾乱堆乱放');
    // Unknown codes fall back to themselves.
    expect(cats.groupOf('99')).toBe('99');
    expect(cats.letterOf('99')).toBe('事');
    expect(categoryIndex([{ ...DEMO_CATEGORIES[1]!, parent: 'missing' }]).groupOf(DEMO_CATEGORIES[1]!.code)).toBe('missing');
  });
});

describe('event points', () => {
  it('are overdue only with a running clock past due, and new for ten minutes', () => {
    expect(isOverdue(event({ deadlines: { finish: clock(T - 1) } }), T)).toBe(true);
    expect(isOverdue(event({ deadlines: { finish: clock(T + 1) } }), T)).toBe(false);
    expect(isOverdue(event({ deadlines: { finish: clock(T - 1, { stoppedAt: iso(T - 5) }) } }), T)).toBe(false);
    expect(isOverdue(event({ deadlines: { finish: clock(T - 1, { remainingAtPause: 30 }) } }), T)).toBe(false);
    expect(isOverdue(event({ status: 'closed', deadlines: { finish: clock(T - 1) } }), T)).toBe(false);
    const fresh = toEventPoint(event({ reportedAt: iso(T - NEW_EVENT_MS + 1000) }), T, cats);
    expect(fresh.fresh).toBe(true);
    expect(toEventPoint(event({ reportedAt: iso(T - NEW_EVENT_MS - 1000) }), T, cats).fresh).toBe(false);
  });

  it('carry what the layers draw, on the base map’s datum', () => {
    const p = toEventPoint(event(), T, cats);
    expect(p).toMatchObject({ id: 'e1', group: '03', letter: '环', urgency: 'normal', open: true, overdue: false, position: [112.9, 28.6] });
    const g = toEventPoint(event(), T, cats, GCJ02_DATUM);
    expect(g.lon).toBe(112.9);
    expect(g.position[0]).not.toBe(112.9);
  });

  it('refresh their flags in place as time passes', () => {
    const p = toEventPoint(event(), T, cats);
    expect(refreshPoint(p, T + 1000)).toBe(false);
    expect(refreshPoint(p, T + 3_600_001)).toBe(true);
    expect(p.overdue).toBe(true);
    expect(refreshPoint(p, T + 3_600_002)).toBe(false);
  });
});

describe('filters and grid figures', () => {
  const open = toEventPoint(event(), T, cats);
  const late = toEventPoint(event({ id: 'e2', urgency: 'urgent', deadlines: { finish: clock(T - 1) } }), T, cats);
  const closed = toEventPoint(event({ id: 'e3', status: 'closed', category: '0101' }), T, cats);
  const other = toEventPoint(event({ id: 'e4', grid: '430624103001002', category: '0101' }), T, cats);

  it('show open events by default, and exactly what the filters ask for', () => {
    expect([open, late, closed, other].filter((p) => matchesFilters(p, {}, null)).map((p) => p.id)).toEqual(['e1', 'e2', 'e4']);
    expect(matchesFilters(closed, { status: ['closed'] }, null)).toBe(true);
    expect(matchesFilters(late, { urgency: ['urgent'] }, null)).toBe(true);
    expect(matchesFilters(open, { urgency: ['urgent'] }, null)).toBe(false);
    expect(matchesFilters(other, { categories: ['01'] }, null)).toBe(true);
    expect(matchesFilters(open, { categories: ['01'] }, null)).toBe(false);
    expect(matchesFilters(open, {}, { from: T, to: T + 1 })).toBe(false);
    expect(matchesFilters(open, {}, { from: T - 2 * 3_600_000, to: T })).toBe(true);
  });

  it('count open and overdue events per grid', () => {
    const m = gridMetrics([open, late, closed, other]);
    expect(Object.fromEntries(m.load)).toEqual({ '430624103001001': 2, '430624103001002': 1 });
    expect(Object.fromEntries(m.overdue)).toEqual({ '430624103001001': 1 });
  });

  it('put values in classes that the legend names', () => {
    expect([0, 1, 2, 3, 5, 6, 9, 10, 40].map((v) => classOf(v, LOAD_BREAKS))).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(breakLabels(LOAD_BREAKS)).toEqual(['0', '1–2', '3–5', '6–9', '≥ 10']);
    expect(breakLabels(OVERDUE_BREAKS)).toEqual(['0', '1', '2–3', '≥ 4']);
    expect(breakLabels([5, 10])).toEqual(['< 5', '5–9', '≥ 10']);
  });

  it('fit the fill classes to the town’s own spread: the demo’s heavy load is not one class', () => {
    // 32 grids, 855 open events: every grid is ≥ 10, the top fixed class.
    const counts = Array.from({ length: 32 }, (_, i) => 12 + Math.round(i * 1.3) + (i % 5) * 3);
    expect(new Set(counts.map((c) => classOf(c, LOAD_BREAKS))).size).toBe(1);
    const breaks = fillBreaks(counts, LOAD_BREAKS.length);
    expect(breaks[0]).toBe(1);
    expect(breaks).toHaveLength(4);
    for (let i = 1; i < breaks.length; i++) expect(breaks[i]!).toBeGreaterThan(breaks[i - 1]!);
    const perClass = gridsPerClass(new Map(counts.map((c, i) => [`g${i}`, c])), breaks, 32);
    expect(perClass[0]).toBe(0);
    // Quantile classes: each non-empty class holds a fair share of the grids.
    for (const n of perClass.slice(1)) expect(n).toBeGreaterThanOrEqual(5);
    expect(perClass.reduce((a, b) => a + b, 0)).toBe(32);
  });

  it('keep the classes while the counts change slightly, move them when the spread does', () => {
    const counts = [3, 5, 8, 12, 15, 20, 26, 30, 41, 55, 60, 80];
    const breaks = fillBreaks(counts, 4);
    expect(fillBreaks(counts.map((c, i) => c + (i % 2)), 4, breaks)).toEqual(breaks);
    expect(fillBreaks(counts.map((c) => c * 3), 4, breaks)).not.toEqual(breaks);
  });

  it('name fewer classes for few or alike counts, "none" alone when nothing is open', () => {
    expect(fillBreaks([], 4)).toEqual([1]);
    expect(fillBreaks([0, 0], 4)).toEqual([1]);
    expect(fillBreaks([2, 2, 2, 2], 4)).toEqual([1, 2]);
    expect(fillBreaks([1, 1, 1, 9], 4, [1, 3, 6, 10])).toEqual([1, 9]);
    expect(breakLabels([1, 140, 230, 310])).toEqual(['0', '1–139', '140–229', '230–309', '≥ 310']);
  });

  it('count the grids per class, the grids without events in class 0', () => {
    const m = gridMetrics([open, late, closed, other]);
    expect(m.breaks.load).toEqual([1, 2]);
    expect(fillClasses(m, 5).grids.load).toEqual([3, 1, 1]);
    expect(gridsPerClass(new Map(), [1], 4)).toEqual([4, 0]);
  });
});
