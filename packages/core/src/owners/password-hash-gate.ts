import { AppError } from '@agent-otp/shared';

/** How many scrypt runs may work at once, and how many may wait for a turn. */
export interface PasswordHashLimits {
  concurrency: number;
  queue: number;
}

/**
 * Defaults: two of libuv's four pool threads at most (each run holds one for 0.2–0.5 s and
 * 32 MiB), so the relay's own crypto (key checks, JWE) always finds a free thread; a short
 * queue absorbs a burst of genuine sign-ins.
 */
export const DEFAULT_PASSWORD_HASH_LIMITS: PasswordHashLimits = { concurrency: 2, queue: 32 };

export interface PasswordHashStats {
  /** Hashes started since the gate was made. */
  started: number;
  running: number;
  queued: number;
  /** The most that ever ran at once (never above `concurrency`). */
  maxRunning: number;
  /** Calls refused because the queue was full. */
  refused: number;
}

/**
 * A semaphore with a bounded queue around password hashing. scrypt and the relay's other
 * crypto share Node's small thread pool, so unbounded hashing during a login flood stalled
 * unrelated requests for tens of seconds; beyond the queue a caller is told to come back
 * (SERVICE_UNAVAILABLE, `details.retryAfter`) instead of piling up.
 *
 * @example
 * const gate = new PasswordHashGate({ concurrency: 2, queue: 32 });
 * const ok = await gate.run(() => verifyPassword(typed, stored));
 */
export class PasswordHashGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly counters = { started: 0, maxRunning: 0, refused: 0 };

  constructor(readonly limits: PasswordHashLimits = DEFAULT_PASSWORD_HASH_LIMITS) {}

  /** Runs `hash` when a slot is free; throws SERVICE_UNAVAILABLE at once if the queue is full. */
  async run<T>(hash: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrency) {
      if (this.waiting.length >= this.limits.queue) {
        this.counters.refused++;
        throw new AppError(
          'SERVICE_UNAVAILABLE',
          `the relay is busy checking passwords (at most ${this.limits.concurrency} at a time, ${this.limits.queue} waiting); retry after 1 s`,
          { retryAfter: 1 },
        );
      }
      // The slot is handed over by the finishing run, so `running` never overshoots.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    this.counters.started++;
    this.counters.maxRunning = Math.max(this.counters.maxRunning, this.running);
    try {
      return await hash();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  stats(): PasswordHashStats {
    return { ...this.counters, running: this.running, queued: this.waiting.length };
  }
}
