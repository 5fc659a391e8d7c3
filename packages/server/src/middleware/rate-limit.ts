/**
 * Token buckets per key (a credential, or a client address): `burst` requests at once,
 * refilled at `perMinute`. Kept in memory per process; behind a load balancer each instance
 * enforces its own share. At most `maxKeys` buckets are kept: beyond that the least recently
 * used one is forgotten, so a flood of new keys (addresses) costs bounded memory.
 *
 * @example
 * const limiter = new RateLimiter({ perMinute: 600, burst: 120 });
 * const verdict = limiter.take('key_01…'); // { allowed: true } or { allowed: false, retryAfterSeconds: 2 }
 */
export class RateLimiter {
  /** Insertion order is recency order: every touch re-inserts its key at the end. */
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private readonly refillPerMs: number;
  private readonly maxKeys: number;

  constructor(
    private readonly limits: { perMinute: number; burst: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {
    this.refillPerMs = limits.perMinute / 60_000;
    this.maxKeys = limits.maxKeys ?? 50_000;
  }

  /** Spends one token of `key`, or says how long until one is there. */
  take(key: string): RateVerdict {
    const now = this.now();
    const bucket = this.refilled(key, now);
    this.buckets.delete(key);
    if (this.buckets.size >= this.maxKeys) this.evict();
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: this.secondsUntilToken(bucket.tokens) };
  }

  /** Whether `key` has a token left, without spending it. */
  check(key: string): RateVerdict {
    const bucket = this.refilled(key, this.now());
    return bucket.tokens >= 1
      ? { allowed: true }
      : { allowed: false, retryAfterSeconds: this.secondsUntilToken(bucket.tokens) };
  }

  /** How many keys are held (for tests of the bound). */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, now: number): { tokens: number; updatedAt: number } {
    const bucket = this.buckets.get(key);
    if (!bucket) return { tokens: this.limits.burst, updatedAt: now };
    return {
      tokens: Math.min(this.limits.burst, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs),
      updatedAt: now,
    };
  }

  private secondsUntilToken(tokens: number): number {
    return Math.max(1, Math.ceil((1 - tokens) / this.refillPerMs / 1000));
  }

  /**
   * Makes room for one key by forgetting the least recently used bucket (O(1), so a flood of
   * new keys costs constant time each). That bucket is the one most likely full again, and a
   * forgotten bucket starts full: the worst case is a budget that restarts early.
   */
  private evict(): void {
    const oldest = this.buckets.keys().next();
    if (!oldest.done) this.buckets.delete(oldest.value);
  }
}

/** A limiter's answer: go ahead, or come back after `retryAfterSeconds`. */
export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };
