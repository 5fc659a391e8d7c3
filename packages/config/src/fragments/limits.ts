import * as z from 'zod/mini';
import { wholeNumber } from './env-types.js';

// The HTTP server's connection and sign-in limits. Spread into the one schema; parsed once.
// docs/api.md ("Limits") describes each one.

/** Milliseconds from `min` to `max`, `fallback` when unset. */
const ms = (min: number, max: number, fallback: number) => z._default(wholeNumber(min, max), fallback);
/** A count from `min` to `max`, `fallback` when unset. */
const count = (min: number, max: number, fallback: number) => z._default(wholeNumber(min, max), fallback);

/** Environment variables for timeouts and concurrency caps. */
export const limitsEnvironment = {
  /** Time to receive a request's headers; slower clients get 408 and are disconnected. */
  HEADERS_TIMEOUT_MS: ms(100, 300_000, 10_000),
  /** Time to receive a whole request (headers and body). Long-polls and SSE are not affected. */
  REQUEST_TIMEOUT_MS: ms(200, 600_000, 30_000),
  /** How long an idle keep-alive connection stays open between requests. */
  KEEP_ALIVE_TIMEOUT_MS: ms(100, 600_000, 5_000),
  /** Long-polls (`?wait=N`, N > 0) and SSE streams open at once per API key, source token or owner. */
  MAX_WAITS_PER_CREDENTIAL: count(1, 10_000, 10),
  /** Open connections per client address that have not yet carried an authenticated request. */
  MAX_UNAUTHENTICATED_CONNECTIONS_PER_ADDRESS: count(1, 100_000, 64),
  /** Password hashes (scrypt) running at once, relay-wide. */
  PASSWORD_HASH_CONCURRENCY: count(1, 64, 2),
  /** Sign-ins waiting for a hash slot; beyond this they get 503 with Retry-After. */
  PASSWORD_HASH_QUEUE: count(0, 10_000, 32),
};

interface LimitsEnvironment {
  HEADERS_TIMEOUT_MS: number;
  REQUEST_TIMEOUT_MS: number;
  KEEP_ALIVE_TIMEOUT_MS: number;
  MAX_WAITS_PER_CREDENTIAL: number;
  MAX_UNAUTHENTICATED_CONNECTIONS_PER_ADDRESS: number;
  PASSWORD_HASH_CONCURRENCY: number;
  PASSWORD_HASH_QUEUE: number;
}

/** Node refuses a headers timeout longer than the request timeout; say so at start-up instead. */
export function checkLimitsEnvironment(env: LimitsEnvironment, ctx: z.core.$RefinementCtx): void {
  if (env.HEADERS_TIMEOUT_MS >= env.REQUEST_TIMEOUT_MS)
    ctx.addIssue({
      code: 'custom',
      path: ['HEADERS_TIMEOUT_MS'],
      message: `must be less than REQUEST_TIMEOUT_MS (${env.REQUEST_TIMEOUT_MS})`,
    });
}

/**
 * The parsed limits, as the server and the core context use them.
 *
 * @example
 * const { connections, passwordHashing } = limitsConfig(env);
 */
export function limitsConfig(env: LimitsEnvironment) {
  return {
    connections: {
      headersTimeoutMs: env.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.KEEP_ALIVE_TIMEOUT_MS,
      maxWaitsPerCredential: env.MAX_WAITS_PER_CREDENTIAL,
      maxUnauthenticatedPerAddress: env.MAX_UNAUTHENTICATED_CONNECTIONS_PER_ADDRESS,
    },
    passwordHashing: { concurrency: env.PASSWORD_HASH_CONCURRENCY, queue: env.PASSWORD_HASH_QUEUE },
  };
}
