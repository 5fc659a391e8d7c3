import { DEADLINE_RESOLUTION_MS } from './deadline-timers.js';

/**
 * The share of a long-poll's `wait` that may be cut at random. Waiters that started together
 * (a fleet of agents, a restart) would otherwise all time out together and re-poll in one
 * burst: with 10,000 waiters on PostgreSQL the worst wake-up took 4–5 s.
 */
export const LONG_POLL_JITTER = 0.1;

/**
 * How long a long-poll asked to wait `waitSeconds` is held: between 90% and 100% of it, at
 * random. Leaves room for the deadline timer's resolution, so the answer never comes later
 * than `waitSeconds` nor earlier than 90% of it.
 *
 * @example
 * longPollCapMs(30); // 27_000 … 30_000
 */
export function longPollCapMs(waitSeconds: number, random: () => number = Math.random): number {
  const waitMs = Math.max(0, waitSeconds * 1000);
  const spread = Math.max(0, waitMs * LONG_POLL_JITTER - DEADLINE_RESOLUTION_MS);
  return waitMs - random() * spread;
}
