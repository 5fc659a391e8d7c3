import { deadlineTimers } from './deadline-timers.js';

/**
 * A signal that aborts after `ms` (up to DEADLINE_RESOLUTION_MS early, never late) or when
 * `signal` does, and a `dispose` that drops the deadline and the listener. Preferred to
 * `AbortSignal.any`, which keeps a reference on a long-lived parent (the server's shutdown
 * signal) for every wait; the deadline shares the process's one timer.
 *
 * @example
 * const until = abortAfter(30_000, signal);
 * try { … until.signal … } finally { until.dispose(); }
 */
export function abortAfter(ms: number, signal?: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const cancel = deadlineTimers.schedule(ms, abort);
  if (signal?.aborted) abort();
  else signal?.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      cancel();
      signal?.removeEventListener('abort', abort);
    },
  };
}
