// Rate limits as token buckets: a bucket holds up to `burst` tokens, refills at
// `ratePerSecond`, and each call takes one. The web shell's calls per socket and login
// attempts per address, and the county hub's scrypt checks per town, are such buckets;
// the clock is injected (tests).

export interface BucketOptions {
  /** Tokens added per second (a steady rate of calls). */
  ratePerSecond: number;
  /** The most tokens the bucket holds: the calls allowed in a burst. */
  burst: number;
  now?: () => number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly now: () => number;

  constructor(private readonly options: BucketOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) throw new Error('a token bucket needs a positive rate and a burst of at least 1');
    this.now = options.now ?? Date.now;
    this.tokens = options.burst;
    this.last = this.now();
  }

  /** Takes one token: false when the bucket is empty (the call is over the limit). */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Gives back a token taken for something that turned out not to count (a successful login). */
  refund(): void {
    this.refill();
    this.tokens = Math.min(this.options.burst, this.tokens + 1);
  }

  /** True when the bucket is full again: an idle key's bucket can be forgotten. */
  get full(): boolean {
    this.refill();
    return this.tokens >= this.options.burst;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.options.burst, this.tokens + elapsed * this.options.ratePerSecond);
  }
}

/**
 * One bucket per key (a remote address). Buckets that refilled are dropped when the map
 * grows, so a scan from many addresses cannot grow it without bound for long.
 */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly options: BucketOptions,
    private readonly sweepAt = 1000,
  ) {}

  take(key: string): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.sweepAt) this.sweep();
      bucket = new TokenBucket(this.options);
      this.buckets.set(key, bucket);
    }
    return bucket.take();
  }

  refund(key: string): void {
    this.buckets.get(key)?.refund();
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(): void {
    for (const [key, bucket] of this.buckets) if (bucket.full) this.buckets.delete(key);
  }
}
