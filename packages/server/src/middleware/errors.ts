import { isDatabaseUnavailable } from '@agent-otp/db';
import { AppError, type ErrorCode, findUnstorableText, httpStatusForError } from '@agent-otp/shared';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import type { AppEnv } from '../env.js';
import type { Logger } from '../logger.js';

/** Builds the one error body every endpoint returns. */
export function errorBody(c: Context<AppEnv>, code: ErrorCode, message: string, details?: unknown) {
  return {
    error: {
      code,
      message,
      requestId: c.get('requestId') ?? 'unknown',
      ...(details === undefined ? {} : { details }),
    },
  };
}

export function errorResponse(c: Context<AppEnv>, code: ErrorCode, message: string, details?: unknown) {
  return c.json(errorBody(c, code, message, details), httpStatusForError(code));
}

/**
 * Turns a zod failure into a message a developer can act on, naming each field:
 * `body.ttl: ttl must be at least 30 seconds; body: Unrecognized key: "colour"`.
 */
export function describeValidationError(
  target: string,
  error: ZodError,
): { message: string; details: unknown } {
  const where = target === 'json' ? 'body' : target;
  const issues = error.issues.slice(0, 10).map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return { message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), details: { issues } };
}

/**
 * The zod-openapi hook: invalid input becomes a VALIDATION_ERROR, never a crash. Input that
 * passed its schema is also walked once for text no database can store (NUL, lone
 * surrogates), here rather than in each schema so that free-form objects (scope, context)
 * and their keys, query strings and path parameters of every route get the same check.
 */
export function validationHook(
  result:
    | { success: true; data?: unknown; target: string }
    | { success: false; error: ZodError; target: string },
  _c: Context<AppEnv>,
): void {
  if (!result.success) {
    const { message, details } = describeValidationError(result.target, result.error);
    throw new AppError('VALIDATION_ERROR', message, details);
  }
  const where = result.target === 'json' ? 'body' : result.target;
  const unstorable = findUnstorableText(result.data, where);
  if (unstorable) {
    const message = `${unstorable.path}: ${unstorable.message}`;
    throw new AppError('VALIDATION_ERROR', message, { issues: [unstorable] });
  }
}

/** What a client is told to wait while the database is unreachable or restarting. */
const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * The one error handler. Expected outcomes (AppError) keep their message; anything else is
 * logged with the request ID and answered with a generic 500 that echoes nothing.
 */
export function createErrorHandler(logger: Logger) {
  return (error: Error, c: Context<AppEnv>) => {
    if (error instanceof AppError) {
      // A core refusal that knows when to come back (e.g. the open-request cap) says so.
      const retryAfter = (error.details as { retryAfter?: unknown } | undefined)?.retryAfter;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
      return errorResponse(c, error.code, error.message, error.details);
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      if (status === 400) return errorResponse(c, 'MALFORMED_JSON', 'request body is not valid JSON');
      if (status === 413) return errorResponse(c, 'PAYLOAD_TOO_LARGE', 'request body is too large');
      if (status === 415)
        return errorResponse(
          c,
          'UNSUPPORTED_MEDIA_TYPE',
          'request body must be JSON (Content-Type: application/json)',
        );
      if (status === 401) return errorResponse(c, 'UNAUTHORIZED', error.message || 'unauthorized');
      if (status === 404) return errorResponse(c, 'NOT_FOUND', 'not found');
    }
    if (isDatabaseUnavailable(error)) {
      // Down or restarting, not broken: a retryable 503, and the driver's message (addresses,
      // pg internals) stays in the log.
      logger.warn(
        {
          requestId: c.get('requestId'),
          err: { message: error.message, code: (error as { code?: unknown }).code },
        },
        'database unavailable',
      );
      c.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      return errorResponse(c, 'SERVICE_UNAVAILABLE', 'the database is unavailable; retry in a few seconds');
    }
    logger.error(
      { requestId: c.get('requestId'), err: { name: error.name, stack: error.stack } },
      'unhandled error',
    );
    return errorResponse(
      c,
      'INTERNAL_ERROR',
      'internal error; the request ID identifies it in the server log',
    );
  };
}
