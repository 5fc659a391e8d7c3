/** An AbortSignal that follows several others (and an optional timer), with cleanup. */
export interface LinkedSignal {
  signal: AbortSignal;
  /** Stops listening and clears the timer; call it when the guarded work is over. */
  dispose(): void;
}

/**
 * Aborts when any input aborts (with that input's reason) or after `timeoutMs` (with a
 * `TimeoutError` DOMException). Written out rather than `AbortSignal.any` so it also runs
 * where that is missing, and so timers are cleared instead of left pending.
 *
 * @example
 * const linked = linkSignals([userSignal], 30_000);
 * try { await fetch(url, { signal: linked.signal }); } finally { linked.dispose(); }
 */
export function linkSignals(
  inputs: ReadonlyArray<AbortSignal | undefined>,
  timeoutMs?: number,
): LinkedSignal {
  const controller = new AbortController();
  const cleanups: Array<() => void> = [];
  const dispose = () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  const abort = (reason: unknown) => {
    dispose();
    controller.abort(reason);
  };
  for (const input of inputs) {
    if (!input) continue;
    if (input.aborted) {
      abort(input.reason);
      return { signal: controller.signal, dispose };
    }
    const onAbort = () => abort(input.reason);
    input.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => input.removeEventListener('abort', onAbort));
  }
  if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
    const timer = setTimeout(
      () => abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')),
      // setTimeout fires at once above 2^31-1 ms; ~24 days is "never" for this purpose.
      Math.min(Math.max(0, timeoutMs), 2_147_483_647),
    );
    cleanups.push(() => clearTimeout(timer));
  }
  return { signal: controller.signal, dispose };
}
