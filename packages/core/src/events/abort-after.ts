/**
 * A signal that aborts after `ms` or when `signal` does, and a `dispose` that drops the
 * timer and the listener. Preferred to `AbortSignal.any`, which keeps a reference on a
 * long-lived parent (the server's shutdown signal) for every wait.
 *
 * @example
 * const until = abortAfter(30_000, signal);
 * try { … until.signal … } finally { until.dispose(); }
 */
export function abortAfter(ms: number, signal?: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, ms);
  if (signal?.aborted) abort();
  else signal?.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    },
  };
}
