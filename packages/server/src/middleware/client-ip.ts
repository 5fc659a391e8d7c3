import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The client's IP address, for per-IP limits. `X-Forwarded-For` is believed only when
 * TRUST_PROXY says a reverse proxy sets it; otherwise anyone could pick their own address.
 * Its last entry is the one our proxy added, so the client cannot forge it.
 *
 * @example
 * const ip = clientIp(c, services.web.trustProxy);
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // In-process requests (app.request in tests) have no socket.
    return 'unknown';
  }
}
