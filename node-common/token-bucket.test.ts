import { describe, expect, it } from 'vitest';
import { KeyedBuckets, TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then the steady rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 3, now: () => now });
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 499;
    expect(bucket.take()).toBe(false);
    now += 1;
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    // Idle long: full again, never more than the burst.
    now += 60_000;
    expect(bucket.full).toBe(true);
    expect(Array.from({ length: 5 }, () => bucket.take())).toEqual([true, true, true, false, false]);
  });

  it('takes a refund back, never above the burst', () => {
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 2, now: () => 0 });
    bucket.refund();
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
    bucket.refund();
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    const keyed = new KeyedBuckets({ ratePerSecond: 1, burst: 1, now: () => 0 });
    keyed.refund('nobody');
    expect(keyed.size).toBe(0);
    expect([keyed.take('a'), keyed.take('a')]).toEqual([true, false]);
    keyed.refund('a');
    expect(keyed.take('a')).toBe(true);
  });

  it('does not refill on a clock that goes back', () => {
    let now = 10_000;
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1, now: () => now });
    expect(bucket.take()).toBe(true);
    now = 0;
    expect(bucket.take()).toBe(false);
  });

  it('refuses a rate or burst that would never allow a call', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1 })).toThrow(/positive rate/);
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 0 })).toThrow(/burst/);
    expect(() => new TokenBucket({ ratePerSecond: Number.NaN, burst: 1 })).toThrow();
  });
});

describe('KeyedBuckets', () => {
  it('keeps one bucket per key', () => {
    let now = 0;
    const buckets = new KeyedBuckets({ ratePerSecond: 10 / 60, burst: 2, now: () => now });
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([true, true, false]);
    expect(buckets.take('b')).toBe(true);
    now += 6_000;
    expect(buckets.take('a')).toBe(true);
    expect(buckets.take('a')).toBe(false);
  });

  it('forgets refilled buckets when it grows, never a bucket still limiting', () => {
    let now = 0;
    const buckets = new KeyedBuckets({ ratePerSecond: 1, burst: 1, now: () => now }, 3);
    buckets.take('slow');
    now += 5_000;
    buckets.take('x');
    buckets.take('y');
    expect(buckets.size).toBe(3);
    buckets.take('z'); // sweeps 'slow' (refilled); 'x' and 'y' are empty and stay
    expect(buckets.size).toBe(3);
    expect(buckets.take('x')).toBe(false);
  });
});
