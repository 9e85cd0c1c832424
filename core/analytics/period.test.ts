import { describe, it, expect } from 'vitest';
import { shanghaiMidnight } from '../time/shanghai';
import { buckets, inPeriod, ratio } from './period';

const at = (date: string, hour = 0) => shanghaiMidnight(date) + hour * 3_600_000;

describe('ratio and inPeriod', () => {
  it('divides, and gives null for an empty denominator', () => {
    expect(ratio(3, 4)).toEqual({ numerator: 3, denominator: 4, rate: 0.75 });
    expect(ratio(0, 0)).toEqual({ numerator: 0, denominator: 0, rate: null });
  });

  it('is half-open', () => {
    const p = { from: 10, to: 20 };
    expect([inPeriod(10, p), inPeriod(19, p), inPeriod(20, p), inPeriod(9, p), inPeriod(null, p), inPeriod(undefined, p)]).toEqual([
      true, true, false, false, false, false,
    ]);
  });
});

describe('buckets (Asia/Shanghai)', () => {
  it('cuts days at Shanghai midnight and clips the ends', () => {
    const b = buckets({ from: at('2026-11-27', 18), to: at('2026-11-29', 6) }, 'day');
    expect(b.map((x) => x.label)).toEqual(['2026-11-27', '2026-11-28', '2026-11-29']);
    expect(b[0]).toEqual({ label: '2026-11-27', from: at('2026-11-27', 18), to: at('2026-11-28') });
    expect(b[2]).toEqual({ label: '2026-11-29', from: at('2026-11-29'), to: at('2026-11-29', 6) });
  });

  it('starts weeks on Monday', () => {
    // 2026-11-28 is a Saturday; its week began on Monday 23 November.
    const b = buckets({ from: at('2026-11-28'), to: at('2026-12-08') }, 'week');
    expect(b.map((x) => x.label)).toEqual(['2026-11-23', '2026-11-30', '2026-12-07']);
    expect(b[1]).toEqual({ label: '2026-11-30', from: at('2026-11-30'), to: at('2026-12-07') });
    expect(b[0]?.from).toBe(at('2026-11-28'));
  });

  it('runs months across a year end', () => {
    const b = buckets({ from: at('2026-11-15'), to: at('2027-02-01') }, 'month');
    expect(b.map((x) => x.label)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(b[1]).toEqual({ label: '2026-12', from: at('2026-12-01'), to: at('2027-01-01') });
  });

  it('is empty for an empty or inverted period', () => {
    expect(buckets({ from: 5, to: 5 }, 'day')).toEqual([]);
    expect(buckets({ from: 6, to: 5 }, 'month')).toEqual([]);
  });
});
