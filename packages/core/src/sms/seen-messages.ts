/**
 * A short-lived, bounded memory of message and event ids already taken, so a provider's
 * retry (or a replayed request inside the signature window) is captured once. Per process:
 * on several instances a retry that lands on another instance is caught by the request
 * itself (a request takes one code), not by this cache.
 */
export class SeenMessages {
  /** id → when it may be forgotten (ms); Map keeps insertion order, so the oldest go first. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /**
   * Records `id`; false when it was already recorded and has not expired.
   *
   * @example
   * if (!seen.claim(`${sourceId}:${eventId}`, Date.now())) return duplicate();
   */
  claim(id: string, nowMs: number): boolean {
    const until = this.seen.get(id);
    if (until !== undefined && until > nowMs) return false;
    this.seen.delete(id);
    this.seen.set(id, nowMs + this.ttlMs);
    this.prune(nowMs);
    return true;
  }

  /** Forgets `id`: its capture failed, so the provider's retry must be taken. */
  release(id: string): void {
    this.seen.delete(id);
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(nowMs: number): void {
    for (const [id, until] of this.seen) {
      if (until > nowMs && this.seen.size <= this.maxEntries) break;
      this.seen.delete(id);
    }
  }
}

/**
 * Whether a sender's timestamp (Unix seconds, as text) is within `windowSeconds` of now.
 *
 * @example
 * timestampFresh('1735000000', Date.now(), 300);
 */
export function timestampFresh(timestamp: string | undefined, nowMs: number, windowSeconds: number): boolean {
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= windowSeconds;
}
