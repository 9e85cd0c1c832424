import { describe, it, expect } from 'vitest';
import type { PositionFix } from '../model';
import { detectStops, MAX_GAP_MS, patrolStats, patrolStatsByWorker } from './patrol';

const T = Date.UTC(2026, 10, 28, 0, 0, 0);
const MIN = 60_000;
// Turf's haversine uses a mean earth radius of 6 371 008.8 m: 0.001° of latitude is R·π/180000.
const STEP_M = (6_371_008.8 * Math.PI) / 180_000;

const fix = (at: number, lat: number, workerId = 'w1'): PositionFix => ({
  workerId, lon: 112.9, lat, at, speed: null, heading: null, accuracy: null,
});

describe('patrolStats', () => {
  const period = { from: T, to: T + 24 * 60 * MIN };
  const fixes = [
    fix(T + 20 * MIN, 28.602), // arrives early, out of order
    fix(T, 28.6),
    fix(T + 10 * MIN, 28.601),
    fix(T + 10 * MIN, 28.601), // duplicate
    fix(T + 200 * MIN, 28.7), // 3 h after the last: a gap, neither time nor distance
    fix(T + 230 * MIN, 28.701),
    fix(T - 5 * MIN, 28.5), // before the period
  ];

  it('sums time and distance of stretches up to two hours apart', () => {
    const s = patrolStats(fixes, period);
    expect(s.fixes).toBe(5);
    expect(s.onlineMs).toBe(50 * MIN);
    expect(s.distanceM).toBeCloseTo(3 * STEP_M, 1);
  });

  it('counts a gap of exactly two hours, not one a millisecond longer', () => {
    expect(patrolStats([fix(T, 28.6), fix(T + MAX_GAP_MS, 28.601)], period)).toEqual({
      onlineMs: MAX_GAP_MS, distanceM: expect.closeTo(STEP_M, 1) as number, fixes: 2,
    });
    expect(patrolStats([fix(T, 28.6), fix(T + MAX_GAP_MS + 1, 28.601)], period)).toEqual({ onlineMs: 0, distanceM: 0, fixes: 2 });
  });

  it('is zero without fixes or with one, and ignores unusable times', () => {
    expect(patrolStats([], period)).toEqual({ onlineMs: 0, distanceM: 0, fixes: 0 });
    expect(patrolStats([fix(T, 28.6), fix(Number.NaN, 28.7)], period)).toEqual({ onlineMs: 0, distanceM: 0, fixes: 1 });
  });

  it('splits a mixed list by worker', () => {
    const all = [...fixes, fix(T, 28.6, 'w2'), fix(T + 30 * MIN, 28.6, 'w2')];
    const by = patrolStatsByWorker(all, period);
    expect(by.get('w1')?.onlineMs).toBe(50 * MIN);
    expect(by.get('w2')).toEqual({ onlineMs: 30 * MIN, distanceM: 0, fixes: 2 });
  });
});

describe('detectStops', () => {
  // 0.0001° of latitude is about 11 m: steps of 0.0001 stay inside 30 m, steps of 0.001 (111 m) leave it.
  const at = (min: number, lat: number, lon = 112.9): PositionFix => ({ workerId: 'w1', lon, lat, at: T + min * MIN, speed: null, heading: null, accuracy: null });

  it('finds a stay of two minutes or more within 30 m, with its centre and times', () => {
    const fixes = [
      at(0, 28.6),
      at(1, 28.601), // walking
      at(2, 28.602), // arrives
      at(3, 28.6021),
      at(4, 28.6019),
      at(5, 28.602),
      at(6, 28.605), // leaves
      at(7, 28.608),
    ];
    const stops = detectStops(fixes);
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({ from: T + 2 * MIN, to: T + 5 * MIN, durationMs: 3 * MIN, fixes: 4 });
    expect(stops[0]!.lat).toBeCloseTo(28.602, 5);
    expect(stops[0]!.lon).toBeCloseTo(112.9, 6);
  });

  it('ignores stays shorter than two minutes and steady walking', () => {
    expect(detectStops([at(0, 28.6), at(1, 28.6001), at(2, 28.603), at(3, 28.606)])).toEqual([]);
    expect(detectStops(Array.from({ length: 20 }, (_, k) => at(k, 28.6 + k * 0.001)))).toEqual([]);
  });

  it('counts exactly two minutes as a stop, and sorts late fixes and drops duplicates first', () => {
    const stops = detectStops([at(2, 28.6001), at(0, 28.6), at(1, 28.6), at(1, 28.6), at(10, 28.7)]);
    expect(stops).toEqual([expect.objectContaining({ from: T, to: T + 2 * MIN, fixes: 3 })]);
  });

  it('splits a stay at a gap longer than allowed, and honours the options', () => {
    const fixes = [at(0, 28.6), at(3, 28.6), at(200, 28.6), at(204, 28.6)];
    expect(detectStops(fixes).map((s) => [s.from, s.to])).toEqual([
      [T, T + 3 * MIN],
      [T + 200 * MIN, T + 204 * MIN],
    ]);
    expect(detectStops(fixes, { maxGapMs: 24 * 60 * MIN })).toHaveLength(1);
    expect(detectStops(fixes, { minDurationMs: 5 * MIN })).toEqual([]);
    expect(detectStops([at(0, 28.6), at(3, 28.6004)], { radiusM: 30 })).toEqual([]);
    expect(detectStops([at(0, 28.6), at(3, 28.6004)], { radiusM: 60 })).toHaveLength(1);
  });

  it('finds several stops in order and nothing in an empty track', () => {
    const fixes = [at(0, 28.6), at(3, 28.6), at(4, 28.61), at(8, 28.61), at(9, 28.62)];
    expect(detectStops(fixes).map((s) => s.from)).toEqual([T, T + 4 * MIN]);
    expect(detectStops([])).toEqual([]);
  });
});
