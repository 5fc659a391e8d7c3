import type { Context } from 'hono';

/**
 * A signal that fires when the client goes away or the server starts shutting down, so a
 * long-poll never outlives its caller or delays a graceful stop.
 */
export function abortOnDisconnect(c: Context, shutdown: AbortSignal): AbortSignal {
  return AbortSignal.any([c.req.raw.signal, shutdown]);
}
