import { type ErrorCode, ErrorResponse, httpStatusForError } from '@agent-otp/shared';
import type { RouteConfig } from '@hono/zod-openapi';
import { CSRF_HEADER } from './middleware/session-cookies.js';
import type { RouteCredential } from './route-credential.js';

/**
 * The errors a route can give beyond those its credential, method and inputs imply, each
 * with a message the server really sends for it (the document shows it as the example).
 */
export type RouteErrors = Partial<Record<ErrorCode, string>>;

/** What the document says about each status, before the codes it lists. */
const STATUS_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; the message names the field.',
  401: 'Missing, malformed, unknown, expired or revoked credential.',
  403: 'The credential may not do this.',
  404: 'No such resource for this credential (another owner’s or agent’s looks the same).',
  409: 'The resource’s state does not allow this.',
  410: 'The request has expired.',
  413: 'Body too large; the connection is closed.',
  415: 'Body is not JSON.',
  429: 'Rate limited; wait for the `Retry-After` header’s seconds.',
  500: 'An unexpected failure; the request ID finds it in the server log.',
  503: 'Shutting down, or the database is unreachable; retry after `Retry-After` seconds.',
};

/** The message each credential's middleware sends for an unknown credential. */
const UNAUTHORIZED_MESSAGES: Record<Exclude<RouteCredential, object>, string | undefined> = {
  agent: 'API key is not valid',
  source: 'capture-source token is not valid',
  owner: 'owner token is not valid',
  session: 'not signed in: sign in to the dashboard, or send Authorization: Bearer os_…',
  public: undefined,
};

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);
const TAKES_BODY = new Set(['post', 'put', 'patch']);

/** A request ID as the `X-Request-Id` middleware makes them (a random UUID). */
const EXAMPLE_REQUEST_ID = '3f2b8c1e-6d4a-4e0b-9a57-2c8d1f6e9b40';

interface ErrorRouteShape {
  method: RouteConfig['method'];
  credential: Exclude<RouteCredential, object>;
  request?: RouteConfig['request'];
  errors?: RouteErrors;
  maxBodyBytes: number;
}

/**
 * What the validation hook says about the commonest mistake on a route's inputs: a body
 * that is not an object, else a malformed prefixed ID in the path (its prefix read from the
 * parameter's example). Routes whose only input is a query declare their own message.
 */
function validationMessage(request: NonNullable<RouteConfig['request']>): string | undefined {
  if (request.body) return 'body: Invalid input: expected object, received array';
  const params = request.params as {
    shape?: Record<string, { meta?: () => { example?: unknown } | undefined }>;
  };
  for (const [name, schema] of Object.entries(params?.shape ?? {})) {
    const example = schema.meta?.()?.example;
    if (typeof example === 'string' && example.includes('_'))
      return `param.${name}: must be an ID starting with ${example.split('_')[0]}_`;
  }
  return undefined;
}

/**
 * Every error code a declared route can return, with an example message: those its
 * credential implies (401, 403 CSRF for a dashboard session changing something, 429), its
 * inputs (400, and 413/415 where a body is read), the server's own (500, 503), then the
 * route's `errors`, which win over the implied messages for the same code.
 */
function routeErrorCodes(route: ErrorRouteShape): Map<ErrorCode, string> {
  const codes = new Map<ErrorCode, string>();
  const unauthorized = UNAUTHORIZED_MESSAGES[route.credential];
  const request = route.request ?? {};
  const invalidInput = validationMessage(request);
  if (invalidInput) codes.set('VALIDATION_ERROR', invalidInput);
  if (request.body) codes.set('MALFORMED_JSON', 'request body is not valid JSON');
  if (unauthorized) codes.set('UNAUTHORIZED', unauthorized);
  if ((route.credential === 'owner' || route.credential === 'session') && STATE_CHANGING.has(route.method))
    codes.set('CSRF_REJECTED', `missing or wrong ${CSRF_HEADER} header for this session`);
  if (TAKES_BODY.has(route.method)) {
    codes.set(
      'PAYLOAD_TOO_LARGE',
      `request body is larger than ${Math.round(route.maxBodyBytes / 1024)} KiB`,
    );
    codes.set(
      'UNSUPPORTED_MEDIA_TYPE',
      'request body must be JSON (Content-Type: application/json), not text/plain',
    );
  }
  // Every client address is capped on connections that have not authenticated yet, so even public routes can be 429.
  codes.set(
    'RATE_LIMITED',
    unauthorized
      ? 'rate limit exceeded; retry after 12 s'
      : 'too many connections from your address: at most 64 unauthenticated connections per address; retry after 1 s',
  );
  codes.set('INTERNAL_ERROR', 'internal error; the request ID identifies it in the server log');
  codes.set('SERVICE_UNAVAILABLE', 'the database is unavailable; retry in a few seconds');
  for (const [code, message] of Object.entries(route.errors ?? {}) as Array<[ErrorCode, string]>)
    codes.set(code, message);
  if ((request.params || request.query) && !codes.has('VALIDATION_ERROR'))
    throw new Error(
      'a route whose only inputs are a query declares its VALIDATION_ERROR message in `errors`',
    );
  return codes;
}

/**
 * The OpenAPI error responses of a declared route: one per status, with the shared error
 * schema and one named example per code that status stands for.
 *
 * @example
 * errorResponsesOf({ method: 'get', credential: 'agent', maxBodyBytes: 65536, errors: { NOT_FOUND: 'no OTP request otp_…' } });
 */
export function errorResponsesOf(route: ErrorRouteShape): RouteConfig['responses'] {
  const byStatus = new Map<number, Array<[ErrorCode, string]>>();
  for (const [code, message] of routeErrorCodes(route)) {
    const status = httpStatusForError(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), [code, message]]);
  }
  const responses: RouteConfig['responses'] = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const list = codes.map(([code]) => `\`${code}\``).join(', ');
    responses[status] = {
      description: `${STATUS_DESCRIPTIONS[status] ?? 'Error.'} Codes: ${list}.`,
      content: {
        'application/json': {
          schema: ErrorResponse,
          examples: Object.fromEntries(
            codes.map(([code, message]) => [
              code,
              { summary: code, value: { error: { code, message, requestId: EXAMPLE_REQUEST_ID } } },
            ]),
          ),
        },
      },
    };
  }
  return responses;
}
