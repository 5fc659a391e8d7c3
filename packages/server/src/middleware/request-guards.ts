import { AppError } from '@agent-otp/shared';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../env.js';
import { cacheBodyText, nodeIncoming } from './node-request.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Whether a POST/PUT/PATCH carries a body at all (consume, approve … send none). */
export function hasRequestBody(c: Context<AppEnv>): boolean {
  const method = c.req.method;
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH') return false;
  const length = c.req.header('content-length');
  return (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
}

/**
 * Bodies must be JSON. A body with no Content-Type at all (hand-written HTTP, the seeds' examples) is
 * let through for the route to read as JSON if it parses ({@link adoptUntypedJsonBody}),
 * unless a browser sent it: browsers send `Origin` on every POST, and a body without a type
 * is one a foreign page may post without a CORS preflight, so that stays 415.
 */
export const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (hasRequestBody(c)) {
    const type = c.req.header('content-type');
    if (type === undefined && c.req.header('origin') !== undefined)
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        'request body must be JSON: send the header Content-Type: application/json',
      );
    if (type !== undefined && !JSON_TYPE.test(type))
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `request body must be JSON (Content-Type: application/json), not ${type.split(';')[0]?.trim() || 'empty'}`,
      );
  }
  await next();
};

/**
 * Reads a body sent without a Content-Type (after the route's size limit) and, when it
 * parses as JSON, hands it on as `application/json` so the route's validator reads it;
 * otherwise 415 naming the header to send.
 *
 * @example
 * middleware: [limitBody(64 * 1024), adoptUntypedJsonBody]
 */
export const adoptUntypedJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (hasRequestBody(c) && c.req.header('content-type') === undefined) {
    // Hono keeps the text it read, so the validator's c.req.json() parses this same text.
    const text = await c.req.text();
    try {
      JSON.parse(text);
    } catch {
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        'request body has no Content-Type and is not JSON: send the header Content-Type: application/json',
      );
    }
    const raw = c.req.raw;
    const headers = new Headers(raw.headers);
    headers.set('content-type', 'application/json');
    c.req.raw = new Request(raw.url, { method: raw.method, headers, body: text, signal: raw.signal });
  }
  await next();
};

/**
 * For a route whose body is optional: an empty body sent with a Content-Type (`curl -X POST
 * -H 'Content-Type: application/json'`, clients that always set the header) is no body, as
 * it was before the route declared one, rather than malformed JSON. The header is dropped so
 * the route's optional-body validator sees no body at all.
 *
 * @example
 * openapiRoute(app, services, { ...denyRoute, middleware: [emptyBodyIsNoBody] }, handler);
 */
export const emptyBodyIsNoBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!hasRequestBody(c) && c.req.header('content-type') !== undefined) {
    const raw = c.req.raw;
    const headers = new Headers(raw.headers);
    headers.delete('content-type');
    c.req.raw = new Request(raw.url, { method: raw.method, headers, signal: raw.signal });
  }
  await next();
};

/**
 * Whether the request may carry a body. A request Node parsed off the wire has one only when
 * framed with a non-zero Content-Length or a Transfer-Encoding (HTTP/1.1: without either
 * there is no body, whatever the method). An in-process Request (`app.request` in tests) may
 * hold a body without those headers, so it always counts as having one.
 */
function framesBody(c: Context<AppEnv>): boolean {
  if (!nodeIncoming(c)) return true;
  // @hono/node-server hands a GET or HEAD no body whatever was sent, so none is limited or read.
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return false;
  const length = c.req.header('content-length');
  return (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
}

/** A body our routes read as text: JSON, or no type at all (adopted as JSON if it parses). */
function readsAsText(c: Context<AppEnv>): boolean {
  const type = c.req.header('content-type');
  return type === undefined || JSON_TYPE.test(type);
}

/**
 * Refuses bodies over `maxBytes` before they are read in full. A request framed without a
 * body has nothing to limit and skips the check: hono's limiter would ask for
 * `c.req.raw.body`, which under @hono/node-server builds a whole WHATWG Request (headers,
 * body stream, AbortController) for every GET only to find none. For the same reason a JSON
 * body served by Node is read here, straight from Node's request, into hono's body cache
 * where the route's validator finds it (node-request.ts); forms (SMS providers, the email
 * decision page) still go through hono's limiter, as their readers need the request's type.
 *
 * @example
 * app.use('/api/*', limitBody(64 * 1024));
 */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  const limitThroughHono = bodyLimit({ maxSize: maxBytes, onError: (c) => refuseTooLarge(c, maxBytes) });
  return async (c, next) => {
    if (!framesBody(c)) return next();
    const incoming = nodeIncoming(c);
    if (!incoming || !readsAsText(c)) return limitThroughHono(c, next);
    if (!(await cacheBodyText(c, incoming, maxBytes))) refuseTooLarge(c, maxBytes);
    return next();
  };
}

function refuseTooLarge(c: Context<AppEnv>, maxBytes: number): never {
  // The client may still be sending; closing stops it, and keeps the socket from being reused mid-body.
  c.header('Connection', 'close');
  throw new AppError('PAYLOAD_TOO_LARGE', `request body is larger than ${Math.round(maxBytes / 1024)} KiB`);
}

/** While the server drains for shutdown, new requests are told to come back. */
export function refuseWhileShuttingDown(signal: AbortSignal): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (signal.aborted) {
      c.header('Connection', 'close');
      c.header('Retry-After', '1');
      throw new AppError('SERVICE_UNAVAILABLE', 'server is shutting down');
    }
    await next();
  };
}
