// Grid workers' patrol paths and fixes, and the plane geometry under them.
import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { createRng } from '../../county/demo/random';
import { generateTown } from '../../county/demo/town';
import { contains, distanceM, headingDeg, offset, randomPointIn, shapeOf } from './geo';
import { Patrol, nextDutyTime, onDutyAt } from './patrol';

const at = (iso: string): number => Date.parse(iso);

describe('geo', () => {
  const square: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6], [0.4, 0.4]]] };
  const shape = shapeOf(square);

  it('knows inside, outside and holes', () => {
    expect(contains(shape, [0.2, 0.2])).toBe(true);
    expect(contains(shape, [0.5, 0.5])).toBe(false);
    expect(contains(shape, [1.5, 0.5])).toBe(false);
    expect(shapeOf({ type: 'MultiPolygon', coordinates: [square.coordinates, [[[2, 2], [3, 2], [3, 3], [2, 2]]]] }).bbox).toEqual([0, 0, 3, 3]);
  });

  it('draws random points inside, near a point when asked', () => {
    const rng = createRng(3);
    for (let i = 0; i < 200; i++) expect(contains(shape, randomPointIn(shape, rng))).toBe(true);
    const near = randomPointIn(shapeOf({ type: 'Polygon', coordinates: [[[112, 28], [112.1, 28], [112.1, 28.1], [112, 28.1], [112, 28]]] }), rng, { at: [112.05, 28.05], maxM: 100 });
    expect(distanceM([112.05, 28.05], near)).toBeLessThanOrEqual(101);
  });

  it('measures metres and headings', () => {
    const p = offset([112.9, 28.6], 300, 400);
    expect(distanceM([112.9, 28.6], p)).toBeCloseTo(500, 0);
    expect(headingDeg([112.9, 28.6], offset([112.9, 28.6], 0, 100))).toBeCloseTo(0, 5);
    expect(headingDeg([112.9, 28.6], offset([112.9, 28.6], 100, 0))).toBeCloseTo(90, 5);
    expect(headingDeg([112.9, 28.6], offset([112.9, 28.6], -100, 0))).toBeCloseTo(270, 5);
  });
});

describe('duty hours', () => {
  it('are 08:00-18:00 Shanghai', () => {
    expect(onDutyAt(at('2026-11-30T07:59:59+08:00'))).toBe(false);
    expect(onDutyAt(at('2026-11-30T08:00:00+08:00'))).toBe(true);
    expect(onDutyAt(at('2026-11-30T17:59:59+08:00'))).toBe(true);
    expect(onDutyAt(at('2026-11-30T18:00:00+08:00'))).toBe(false);
    expect(nextDutyTime(at('2026-11-30T06:00:00+08:00'))).toBe(at('2026-11-30T08:00:00+08:00'));
    expect(nextDutyTime(at('2026-11-30T20:00:00+08:00'))).toBe(at('2026-12-01T08:00:00+08:00'));
    expect(nextDutyTime(at('2026-11-30T10:00:00+08:00'))).toBe(at('2026-11-30T10:00:00+08:00'));
  });
});

describe('patrol', () => {
  const town = generateTown({ seed: 5 });
  const shapes = new Map([...town.grids, ...town.villages].map((g) => [g.code, shapeOf(g.geometry)]));
  const workers = town.workers.slice(0, 40);
  const ids = workers.map((w) => w.id);
  const make = () => new Patrol(5, workers, (c) => shapes.get(c));
  const start = at('2026-11-30T08:00:00+08:00');

  it('is the same for the same seed, whatever was asked before', () => {
    const a = make();
    const b = make();
    for (let t = start; t < start + 3_600_000; t += 5000) a.fixes(ids, t);
    const t = start + 3_600_000 + 5000;
    expect(b.fixes(ids, t)).toEqual(a.fixes(ids, t));
  });

  it('sends nothing off duty', () => {
    expect(make().fixes(ids, at('2026-11-30T19:00:00+08:00'))).toEqual([]);
    expect(make().fixes(ids, start + 3000).length).toBe(ids.length);
  });

  it('patrols round the clock on duty "always", moving at night too', () => {
    const p = make();
    p.setDuty('always');
    const night = at('2026-11-30T02:00:00+08:00');
    expect(p.fixes(ids, night).length).toBe(ids.length);
    const moved = workers.filter((w) => {
      const a = p.positionAt(w.id, night)!;
      const b = p.positionAt(w.id, night + 20 * 60_000)!;
      return distanceM(a.at, b.at) > 5;
    });
    expect(moved.length).toBeGreaterThan(0);
    // Back to day duty: nothing at night again.
    p.setDuty('day');
    expect(p.fixes(ids, night)).toEqual([]);
  });

  it('walks or rides at plausible speeds along its heading, stopping now and then, inside its grids', () => {
    const p = make();
    let moving = 0;
    let dwelling = 0;
    for (const w of workers) {
      const own = w.grids.map((c) => shapes.get(c)!);
      let prev = p.positionAt(w.id, start)!;
      for (let t = start + 5000; t < start + 2 * 3_600_000; t += 5000) {
        const now = p.positionAt(w.id, t)!;
        const d = distanceM(prev.at, now.at);
        expect(d / 5).toBeLessThanOrEqual(6.01);
        if (now.speed > 0) {
          moving++;
          expect(now.speed).toBeGreaterThanOrEqual(0.9);
          if (d > 1 && prev.speed > 0 && prev.heading === now.heading) {
            const diff = Math.abs(headingDeg(prev.at, now.at) - now.heading) % 360;
            expect(Math.min(diff, 360 - diff)).toBeLessThan(1);
          }
        } else {
          dwelling++;
          // Waypoints (where workers stop) lie inside one of their grids.
          expect(own.some((s) => contains(s, now.at))).toBe(true);
        }
        prev = now;
      }
    }
    expect(moving).toBeGreaterThan(100);
    expect(dwelling).toBeGreaterThan(100);
  });

  it('puts fixes near the path, with accuracy, speed and heading in range', () => {
    const p = make();
    const t = start + 1_800_000;
    for (const fix of p.fixes(ids, t)) {
      const truth = p.positionAt(fix.workerId, fix.at)!;
      expect(distanceM(truth.at, [fix.lon, fix.lat])).toBeLessThan(60);
      expect(fix.accuracy).toBeGreaterThanOrEqual(3);
      expect(fix.accuracy).toBeLessThanOrEqual(15);
      expect(fix.at).toBeLessThanOrEqual(t);
      expect(fix.at).toBeGreaterThan(t - 2000);
      if (fix.heading === null) expect(fix.speed).toBeLessThanOrEqual(0.3);
      else expect(fix.heading).toBeGreaterThanOrEqual(0);
    }
  });
});
