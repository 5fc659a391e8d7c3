import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

/** The header a client may send to name its request (kept when it is safe), and that we echo. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * The security headers of every response (hono's secureHeaders defaults with our CSP and
 * `Referrer-Policy: no-referrer`), written out so they are built once, not per request.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
] as const);

/** A client's own request ID is echoed when it is short and plain; otherwise we make one. */
const SAFE_REQUEST_ID = /^[\w\-=]{1,255}$/;

type NodeBindings = { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;

function requestIdOf(c: Context, incoming: IncomingMessage | undefined): string {
  // Node's own parsed headers when there are some: `c.req.header` would build WHATWG Headers.
  const sent = incoming ? incoming.headers['x-request-id'] : c.req.header(REQUEST_ID_HEADER);
  return typeof sent === 'string' && SAFE_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/**
 * `Cache-Control: no-store` for a handler's answer, on the Node response when there is one,
 * so a small JSON answer keeps @hono/node-server's fast path (one header object, no WHATWG
 * `Headers`). For routes outside `/api/` (under it, {@link responseHeaders} does it).
 *
 * @example
 * noStore(c);
 * return c.json({ status: 'ok' }, 200);
 */
export function noStore(c: Context): void {
  const outgoing = (c.env as NodeBindings)?.outgoing;
  if (outgoing) outgoing.setHeader('Cache-Control', 'no-store');
  else c.header('Cache-Control', 'no-store');
}

/**
 * Names the request (`requestId`, echoed in `X-Request-Id`) and gives every response the
 * security headers, and `Cache-Control: no-store` under `/api/`.
 *
 * Never through `c.header()` once the handler answered: that made @hono/node-server turn its
 * ready-made response into a full WHATWG Response with a body stream, written in pieces,
 * about half the cost of a small JSON answer. The request ID and the security headers go on
 * before the handler runs, under Node on the Node response itself (`ServerResponse.setHeader`,
 * cheaper than WHATWG `Headers`), which Node merges with the answer's headers when the head
 * is written (no handler sets these, so nothing is overridden). Requests served in-process
 * (`app.request` in tests) have no Node response and get the same headers through hono.
 *
 * @example
 * app.use('*', responseHeaders());
 */
export function responseHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const node = c.env as NodeBindings;
    const outgoing = node?.outgoing;
    const id = requestIdOf(c, node?.incoming);
    c.set('requestId', id);
    if (outgoing) {
      outgoing.setHeader(REQUEST_ID_HEADER, id);
      for (const [name, value] of SECURITY_HEADERS) outgoing.setHeader(name, value);
    } else {
      c.header(REQUEST_ID_HEADER, id);
      for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
    }
    await next();
    // A handler that built its own Response in-process did not take the prepared headers.
    if (!outgoing && !c.res.headers.has('X-Content-Type-Options'))
      for (const [name, value] of SECURITY_HEADERS) c.res.headers.set(name, value);
    // API answers are never cached, whatever the handler said (an event stream says no-cache).
    // Set on the answer's own headers, which a ready-made response exposes without a rebuild.
    if (c.req.path.startsWith('/api/') && c.res.headers.get('cache-control') !== 'no-store')
      c.res.headers.set('Cache-Control', 'no-store');
  };
}
