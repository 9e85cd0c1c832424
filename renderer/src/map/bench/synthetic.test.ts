import { describe, expect, it } from 'vitest';
import { lcg } from './synthetic';

describe('the benchmark source\'s random numbers', () => {
  it('repeat from the same seed and stay in [0, 1)', () => {
    const a = lcg(12345);
    const b = lcg(12345);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(100);
    expect(lcg(1)()).not.toBe(xs[0]);
  });
});
