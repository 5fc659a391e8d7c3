/**
 * Token buckets per credential: `burst` requests at once, refilled at `perMinute`. Kept in
 * memory per process; behind a load balancer each instance enforces its own share.
 *
 * @example
 * const limiter = new RateLimiter({ perMinute: 600, burst: 120 });
 * const verdict = limiter.take('key_01…'); // { allowed: true } or { allowed: false, retryAfterSeconds: 2 }
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private readonly refillPerMs: number;

  constructor(
    private readonly limits: { perMinute: number; burst: number },
    private readonly now: () => number = Date.now,
  ) {
    this.refillPerMs = limits.perMinute / 60_000;
  }

  take(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limits.burst, updatedAt: now };
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs);
    bucket.updatedAt = now;
    if (this.buckets.size > 50_000) this.prune(now);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000)),
    };
  }

  /** Forgets full buckets, which behave exactly like absent ones. */
  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs >= this.limits.burst)
        this.buckets.delete(key);
    }
  }
}
