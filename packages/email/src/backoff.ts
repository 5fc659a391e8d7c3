/**
 * Exponential back-off with jitter for reconnects: 0.5 s, 1 s, 2 s … up to `maxMs`, each
 * spread by ±20% so many connectors do not hammer a recovering server in step.
 *
 * @example
 * const backoff = new Backoff();
 * await sleep(backoff.next());
 * backoff.reset(); // after a connection that worked
 */
export class Backoff {
  #attempt = 0;
  constructor(
    private readonly initialMs = 500,
    private readonly maxMs = 30_000,
  ) {}

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  reset(): void {
    this.#attempt = 0;
  }
}

/** The relay's abortable sleep, re-exported for the connectors' loops. */
export { sleep } from '@agent-otp/core';
