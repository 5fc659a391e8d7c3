import { AppError } from '@agent-otp/shared';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../env.js';

/** Bodies must be JSON when there is a body at all (consume, approve … send none). */
export const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const length = c.req.header('content-length');
    const hasBody =
      (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
    const type = c.req.header('content-type') ?? '';
    if (hasBody && !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type))
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        'request body must be JSON (Content-Type: application/json)',
      );
  }
  await next();
};

/**
 * Refuses bodies over `maxBytes` before they are read in full.
 *
 * @example
 * app.use('/api/*', limitBody(64 * 1024));
 */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      // The client may still be sending; closing stops it, and keeps the socket from being reused mid-body.
      c.header('Connection', 'close');
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `request body is larger than ${Math.round(maxBytes / 1024)} KiB`,
      );
    },
  });
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
