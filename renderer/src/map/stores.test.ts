// The live stores: positions as binary attributes, trails as binary paths, event clusters.
import { describe, expect, it } from 'vitest';
import type { PositionFix } from '../../../core/model';
import { EventClusters } from './clusters';
import type { EventPoint } from './events';
import { freshness, PositionStore, STALE_AFTER_MS, STALE_GONE_MS } from './positions';
import { TRAIL_CAPACITY, TrailStore } from './trails';

const fix = (workerId: string, at: number, lon = 112.9, lat = 28.6, heading: number | null = 90): PositionFix => ({
  workerId,
  lon,
  lat,
  at,
  speed: 1,
  heading,
  accuracy: 5,
});
const colors = { onDuty: [0, 200, 100, 255] as [number, number, number, number], offDuty: [100, 100, 100, 200] as [number, number, number, number] };

describe('PositionStore', () => {
  it('keeps the newest fix per worker in typed arrays and ignores late ones', () => {
    const s = new PositionStore();
    expect(s.upsert([fix('a', 1000, 112.9, 28.6), fix('b', 1000, 113, 28.7)])).toBe(2);
    expect(s.upsert([fix('a', 500, 1, 1)])).toBe(0);
    expect(s.upsert([fix('a', 2000, 112.91, 28.61, 45)])).toBe(1);
    const d = s.data();
    expect(d.length).toBe(2);
    expect(Array.from(d.attributes.getPosition.value)).toEqual([Math.fround(112.91), Math.fround(28.61), Math.fround(113), Math.fround(28.7)]);
    // deck.gl turns counter-clockwise, a compass clockwise.
    expect(d.attributes.getAngle.value[0]).toBe(-45);
    expect(s.idAt(1)).toBe('b');
    expect(s.indexOf('a')).toBe(0);
    expect(s.fixOf('a')).toMatchObject({ lon: 112.91, lat: 28.61, at: 2000 });
    expect(s.fixOf('zz')).toBeNull();
  });

  it('hands deck.gl the same data object until something changes, then a new one', () => {
    const s = new PositionStore();
    s.upsert([fix('a', 1)]);
    const first = s.data();
    expect(s.data()).toBe(first);
    s.upsert([fix('a', 2)]);
    expect(s.data()).not.toBe(first);
    const v = s.version;
    s.upsert([fix('a', 2)]);
    expect(s.version).toBe(v);
  });

  it('grows past its first capacity without losing fixes', () => {
    const s = new PositionStore();
    s.upsert(Array.from({ length: 300 }, (_, i) => fix(`w${i}`, 1, 112 + i / 1000)));
    expect(s.length).toBe(300);
    expect(s.fixOf('w299')?.lon).toBeCloseTo(112.299, 9);
  });

  it('colours by duty and fades stale fixes, never the selected worker', () => {
    const s = new PositionStore();
    s.setWorkers([
      { id: 'on', name: '甲', role: 'villageWorker', grids: [], phone: '', onDuty: true },
      { id: 'off', name: '乙', role: 'villageWorker', grids: [], phone: '', onDuty: false },
    ]);
    s.upsert([fix('on', 0), fix('off', 0), fix('old', -STALE_GONE_MS)]);
    s.recolor(60_000, colors);
    const c = s.data().attributes.getFillColor.value;
    expect(Array.from(c.slice(0, 4))).toEqual([0, 200, 100, 255]);
    expect(Array.from(c.slice(4, 8))).toEqual([100, 100, 100, 200]);
    expect(c[11]).toBeLessThan(80);
    s.recolor(60_000, colors, 'old');
    expect(s.data().attributes.getFillColor.value[11]).toBe(255);
    expect(freshness(0)).toBe(1);
    expect(freshness(STALE_AFTER_MS)).toBe(1);
    expect(freshness((STALE_AFTER_MS + STALE_GONE_MS) / 2)).toBeCloseTo(0.61, 2);
    expect(freshness(STALE_GONE_MS * 2)).toBeCloseTo(0.22, 5);
  });

  it('stores positions on the base map’s datum, fixes as the replica says', () => {
    const s = new PositionStore((lon, lat) => [lon + 1, lat + 1]);
    s.upsert([fix('a', 1, 112.9, 28.6)]);
    expect(s.data().attributes.getPosition.value[0]).toBeCloseTo(113.9, 4);
    expect(s.fixOf('a')?.lon).toBe(112.9);
  });
});

describe('TrailStore', () => {
  it('keeps the last minutes per worker, spaced, the head following the worker', () => {
    const t = new TrailStore(10 * 60_000, undefined, 15_000);
    const fixes = Array.from({ length: 13 }, (_, k) => fix('a', k * 5_000, 112.9 + k * 1e-4));
    t.push(fixes);
    // 0 s, 15 s, 30 s, 45 s, and the head at 60 s.
    expect(t.sizeOf('a')).toBe(5);
    const d = t.build(60_000);
    expect(d.length).toBe(1);
    expect(Array.from(d.startIndices)).toEqual([0, 5]);
    expect(d.attributes.getPath.value[8]).toBeCloseTo(112.9 + 12e-4, 4);
    expect(d.ids).toEqual(['a']);
  });

  it('drops fixes older than the window and workers with fewer than two', () => {
    const t = new TrailStore(60_000, undefined, 0);
    t.push([fix('a', 0), fix('a', 50_000), fix('a', 90_000), fix('b', 90_000)]);
    const d = t.build(100_000);
    expect(d.length).toBe(1);
    expect(Array.from(d.startIndices)).toEqual([0, 2]);
    expect(t.build(1_000_000).length).toBe(0);
  });

  it('wraps its ring at capacity and ignores late fixes', () => {
    const t = new TrailStore(1e12, undefined, 0);
    t.push(Array.from({ length: TRAIL_CAPACITY + 10 }, (_, k) => fix('a', k)));
    t.push([fix('a', 3)]);
    expect(t.sizeOf('a')).toBe(TRAIL_CAPACITY);
    const d = t.build(TRAIL_CAPACITY + 10);
    expect(d.attributes.getPath.value.length).toBe(TRAIL_CAPACITY * 2);
  });

  it('builds only the trails of workers inside a box', () => {
    const t = new TrailStore(1e12, undefined, 0);
    t.push([fix('in', 1, 112.9, 28.6), fix('in', 2, 112.901, 28.6), fix('out', 1, 100, 20), fix('out', 2, 100.1, 20)]);
    expect(t.build(3, [112, 28, 113, 29]).ids).toEqual(['in']);
    expect(t.build(3).ids).toEqual(['in', 'out']);
  });
});

const point = (id: string, lon: number, lat: number, urgency: EventPoint['urgency'] = 'normal', overdue = false): EventPoint => ({
  id,
  code: id,
  title: id,
  position: [lon, lat],
  lon,
  lat,
  grid: 'g',
  category: '0101',
  group: '01',
  letter: '矛',
  urgency,
  status: 'accepted',
  open: true,
  overdue,
  fresh: false,
  reportedAt: 0,
  dues: [],
});

describe('EventClusters', () => {
  const points = [point('a', 112.9, 28.6), point('b', 112.9001, 28.6001, 'critical', true), point('c', 113.5, 29.2)];

  it('merges close events when zoomed out, keeping the most pressing urgency and the overdue count', () => {
    const c = new EventClusters();
    c.load(points);
    const far = c.at(8.7);
    expect(far.clusters).toHaveLength(1);
    expect(far.clusters[0]).toMatchObject({ count: 2, urgency: 'critical', overdue: 1 });
    expect(far.singles.map((p) => p.id)).toEqual(['c']);
    expect(far.singles[0]).toBe(points[2]);
    expect(c.expansionZoom(far.clusters[0]!.clusterId)).toBeGreaterThan(8);
    expect(c.expansionZoom(-5)).toBeNull();
  });

  it('shows every event on its own when zoomed in', () => {
    const c = new EventClusters();
    c.load(points);
    expect(c.at(15).clusters).toEqual([]);
    expect(c.at(15).singles).toHaveLength(3);
  });

  it('builds its index once per data and its clusters once per integer zoom', () => {
    const c = new EventClusters();
    c.load(points);
    c.load(points);
    expect(c.builds).toBe(1);
    expect(c.at(9.2)).toBe(c.at(9.9));
    // Close up too: the same data gives the same arrays, so deck.gl keeps its attributes.
    const near = c.at(17);
    expect(c.at(18.5)).toBe(near);
    c.load([...points]);
    expect(c.builds).toBe(2);
    expect(c.at(17)).not.toBe(near);
    expect(c.at(17).singles).toEqual(near.singles);
  });
});
