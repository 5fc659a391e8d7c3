/**
 * Lets the event loop run the I/O and timers that queued meanwhile. On SQLite every query
 * runs synchronously, so a loop of awaited queries never gives other requests a turn
 * until it ends; loops that can run long (sweeping a backlog) call this between steps.
 *
 * @example
 * for (const row of overdue) { await expire(row); await yieldToEventLoop(); }
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
