import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** What each shutdown signal aborts: one listener on the signal however many waits it ends. */
const abortsOnShutdown = new WeakMap<AbortSignal, Set<() => void>>();

function onShutdown(shutdown: AbortSignal, abort: () => void): () => void {
  let aborts = abortsOnShutdown.get(shutdown);
  if (!aborts) {
    const created = new Set<() => void>();
    shutdown.addEventListener('abort', () => {
      for (const each of [...created]) each();
    });
    abortsOnShutdown.set(shutdown, created);
    aborts = created;
  }
  aborts.add(abort);
  const registered = aborts;
  return () => registered.delete(abort);
}

/**
 * A signal that fires when the client goes away or the server starts shutting down, so a
 * long-poll never outlives its caller or delays a graceful stop.
 *
 * It watches the Node response's `close` rather than `c.req.raw.signal`: under
 * @hono/node-server, reading `raw.signal` builds a whole WHATWG Request (headers, body
 * stream, AbortController) for each waiter only to learn about a disconnect, and
 * `AbortSignal.any` would tie every waiter to the long-lived shutdown signal. Requests
 * served in-process (`app.request` in tests) have no Node response and keep the Request's.
 */
export function abortOnDisconnect(c: Context, shutdown: AbortSignal): AbortSignal {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing) return AbortSignal.any([c.req.raw.signal, shutdown]);
  const controller = new AbortController();
  if (shutdown.aborted || outgoing.closed) {
    controller.abort();
    return controller.signal;
  }
  const abort = () => controller.abort();
  const forget = onShutdown(shutdown, abort);
  // 'close' comes once the response is written or the connection is gone, whichever is first.
  outgoing.once('close', () => {
    forget();
    abort();
  });
  return controller.signal;
}
