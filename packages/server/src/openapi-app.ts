import { ErrorResponse } from '@agent-otp/shared';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { validationHook } from './middleware/errors.js';

/** A router whose validation failures become VALIDATION_ERROR responses. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
export type Router = ReturnType<typeof createRouter>;

const errorContent = { 'application/json': { schema: ErrorResponse } };

/** The error responses every authenticated operation can give, for the OpenAPI document. */
export function errorResponses(...statuses: Array<400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429>) {
  const descriptions: Record<number, string> = {
    400: 'Invalid input; the message names the field.',
    401: 'Missing, malformed, unknown or revoked credential.',
    403: 'The credential may not do this.',
    404: 'No such resource for this credential.',
    409: 'The resource’s state does not allow this (already consumed, decided …).',
    410: 'The request has expired.',
    413: 'Body too large.',
    415: 'Body is not JSON.',
    429: 'Rate limited; see Retry-After.',
  };
  const all = new Set([400, 401, 413, 415, 429, ...statuses]);
  return Object.fromEntries(
    [...all].map((status) => [
      status,
      { description: descriptions[status] ?? 'Error', content: errorContent },
    ]),
  );
}
