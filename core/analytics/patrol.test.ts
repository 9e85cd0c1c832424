import { describe, it, expect } from 'vitest';
import type { PositionFix } from '../model';
import { MAX_GAP_MS, patrolStats, patrolStatsByWorker } from './patrol';

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
