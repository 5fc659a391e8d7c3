/** Proxies close idle connections; a comment line this often keeps an event stream open. */
export const KEEPALIVE_MS = 15_000;

const streams = new Set<() => void>();
let timer: NodeJS.Timeout | undefined;

/**
 * Sends `: keepalive` through `write` every KEEPALIVE_MS until the returned function is
 * called. Every open event stream shares one interval (10,000 agents' streams are one timer,
 * not 10,000), which runs only while a stream is open.
 *
 * @example
 * const stop = keepStreamAlive(() => void stream.write(': keepalive\n\n'));
 * try { … } finally { stop(); }
 */
export function keepStreamAlive(write: () => void): () => void {
  streams.add(write);
  timer ??= setInterval(() => {
    for (const each of streams) each();
  }, KEEPALIVE_MS);
  return () => {
    if (!streams.delete(write) || streams.size > 0) return;
    clearInterval(timer);
    timer = undefined;
  };
}
