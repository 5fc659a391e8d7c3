/**
 * How finely deadlines are grouped: every deadline in one RESOLUTION_MS slot fires together,
 * up to RESOLUTION_MS early (never late), so a long-poll's cap is never overrun.
 */
export const DEADLINE_RESOLUTION_MS = 25;

/**
 * One timer for every waiter's deadlines in the process, instead of a `setTimeout` each:
 * 10,000 long-polls hold 10,000 entries in a few hundred slots and one armed timer, not
 * 10,000 timer objects in libuv's heap. Deadlines are measured on the monotonic clock, so
 * a wall-clock jump neither fires nor holds them.
 *
 * @example
 * const cancel = deadlineTimers.schedule(30_000, () => controller.abort());
 * // …the wait ended otherwise:
 * cancel();
 */
export class DeadlineTimers {
  /** Callbacks by slot (monotonic ms / DEADLINE_RESOLUTION_MS, rounded down). */
  private readonly slots = new Map<number, Set<() => void>>();
  /** The slots in ascending order; the first is the one the timer is armed for. */
  private readonly order: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedFor: number | undefined;

  /**
   * Calls `fire` once, `delayMs` from now (up to DEADLINE_RESOLUTION_MS early); the returned
   * function cancels it. `fire` must not throw: it shares its turn with the slot's others.
   */
  schedule(delayMs: number, fire: () => void): () => void {
    const slot = Math.floor((performance.now() + Math.max(0, delayMs)) / DEADLINE_RESOLUTION_MS);
    let callbacks = this.slots.get(slot);
    if (!callbacks) {
      callbacks = new Set();
      this.slots.set(slot, callbacks);
      this.order.splice(this.insertionIndex(slot), 0, slot);
    }
    callbacks.add(fire);
    this.arm();
    return () => {
      const current = this.slots.get(slot);
      if (!current?.delete(fire) || current.size > 0) return;
      this.slots.delete(slot);
      this.order.splice(this.insertionIndex(slot), 1);
      // The timer stays armed for a slot that is gone; it finds nothing and re-arms.
      if (this.order.length === 0) this.disarm();
    };
  }

  /** Deadlines waiting to fire (for leak checks in tests). */
  get size(): number {
    let total = 0;
    for (const callbacks of this.slots.values()) total += callbacks.size;
    return total;
  }

  /** Where `slot` is or would go in {@link order} (binary search). */
  private insertionIndex(slot: number): number {
    let low = 0;
    let high = this.order.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.order[middle]! < slot) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private arm(): void {
    const first = this.order[0];
    if (first === undefined || (this.timer && this.armedFor === first)) return;
    clearTimeout(this.timer);
    this.armedFor = first;
    this.timer = setTimeout(
      () => this.fireDue(),
      Math.max(0, Math.ceil(first * DEADLINE_RESOLUTION_MS - performance.now())),
    );
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = undefined;
  }

  private fireDue(): void {
    this.timer = undefined;
    this.armedFor = undefined;
    const now = Math.floor(performance.now() / DEADLINE_RESOLUTION_MS);
    while (this.order.length > 0 && this.order[0]! <= now) {
      const slot = this.order.shift()!;
      const callbacks = this.slots.get(slot);
      this.slots.delete(slot);
      for (const fire of callbacks ?? []) fire();
    }
    this.arm();
  }
}

/** The process's one set of waiter deadlines (long-poll caps, request expiries). */
export const deadlineTimers = new DeadlineTimers();
