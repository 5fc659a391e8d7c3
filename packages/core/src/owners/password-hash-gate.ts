import { AppError } from '@agent-otp/shared/stored-values';

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
  /** Sign-ins from an address the owner has signed in from before go first (see signInWithPassword). */
  private readonly waitingFirst: Array<() => void> = [];
  private readonly counters = { started: 0, maxRunning: 0, refused: 0 };

  constructor(readonly limits: PasswordHashLimits = DEFAULT_PASSWORD_HASH_LIMITS) {}

  /**
   * Runs `hash` when a slot is free; throws SERVICE_UNAVAILABLE at once if its queue is
   * full. `priority` callers have a queue of their own, served first, so a flood from
   * strangers cannot keep a recognised owner waiting behind it.
   */
  async run<T>(hash: () => Promise<T>, options: { priority?: boolean } = {}): Promise<T> {
    if (this.running >= this.limits.concurrency) {
      const queue = options.priority ? this.waitingFirst : this.waiting;
      if (queue.length >= this.limits.queue) {
        this.counters.refused++;
        throw this.busy();
      }
      // The slot is handed over by the finishing run, so `running` never overshoots.
      await new Promise<void>((resolve) => queue.push(resolve));
    } else {
      this.running++;
    }
    this.counters.started++;
    this.counters.maxRunning = Math.max(this.counters.maxRunning, this.running);
    try {
      return await hash();
    } finally {
      const next = this.waitingFirst.shift() ?? this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /**
   * Fails with SERVICE_UNAVAILABLE now when a call in this lane would be refused, so a
   * sign-in can be turned away before it writes anything. A later {@link run} can still
   * refuse if the lane fills meanwhile.
   */
  assertRoom(options: { priority?: boolean } = {}): void {
    const queue = options.priority ? this.waitingFirst : this.waiting;
    if (this.running >= this.limits.concurrency && queue.length >= this.limits.queue) {
      this.counters.refused++;
      throw this.busy();
    }
  }

  private busy(): AppError {
    return new AppError(
      'SERVICE_UNAVAILABLE',
      `the relay is busy checking passwords (at most ${this.limits.concurrency} at a time, ${this.limits.queue} waiting); retry after 1 s`,
      { retryAfter: 1 },
    );
  }

  stats(): PasswordHashStats {
    return {
      ...this.counters,
      running: this.running,
      queued: this.waiting.length + this.waitingFirst.length,
    };
  }
}
