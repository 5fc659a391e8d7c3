import { NetworkError, ServerError } from './errors.js';

/**
 * When to try a request again.
 *
 * - `idempotent` (status reads, long-polls, cancel): repeating it cannot lose anything, so
 *   network failures, timeouts, 429 and 5xx are retried.
 * - `at-most-once` (create, consume): once the request may have reached the server, a
 *   repeat could create a second request or, worse, find a code already handed to a
 *   response that was lost on the way back. These are retried only when the server
 *   certainly did not act: 429 and 503 (refused before any work), and connection failures
 *   that happen before a byte was sent (refused, DNS, unreachable).
 */
export type RetryPolicy = 'idempotent' | 'at-most-once';

const RETRYABLE_IDEMPOTENT_STATUSES = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_AT_MOST_ONCE_STATUSES = new Set([429, 503]);

/** Error codes (Node/undici, Bun) of connection failures that happen before sending. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ConnectionRefused',
]);

const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 8_000;

/**
 * Whether a response status may be retried under a policy.
 *
 * @example
 * shouldRetryStatus(500, 'at-most-once'); // false
 */
export function shouldRetryStatus(status: number, policy: RetryPolicy): boolean {
  return (policy === 'idempotent' ? RETRYABLE_IDEMPOTENT_STATUSES : RETRYABLE_AT_MOST_ONCE_STATUSES).has(
    status,
  );
}

/**
 * Whether a fetch failure certainly happened before the request was sent.
 *
 * @example
 * failedBeforeSending(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })); // true
 */
export function failedBeforeSending(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Delay before retry number `attempt` (0-based): exponential with full jitter in the upper
 * half, or the server's `Retry-After` when it gave one.
 *
 * @example
 * backoffDelay(2); // between 500 and 1000 ms
 * backoffDelay(0, 3); // 3000 ms
 */
export function backoffDelay(attempt: number, retryAfterSeconds?: number, random = Math.random): number {
  if (retryAfterSeconds !== undefined) return Math.max(0, retryAfterSeconds * 1000);
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Whether a failed status read during a wait may be a passing outage (the relay restarting,
 * a dropped connection, a 5xx) that the wait should outlast until its own deadline, after
 * the transport's retries for that one read ran out. A relay that answers with something
 * else than the API, a refusal or a rate limit that does not fit the wait is not waited out.
 *
 * @example
 * isTransientFailure(new NetworkError('could not reach http://localhost:8787: ECONNREFUSED')); // true
 */
export function isTransientFailure(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof ServerError && error.code !== 'INVALID_RESPONSE');
}

/**
 * Whether waiting `delayMs` before the next attempt still leaves the caller inside its time
 * budget. A `Retry-After` that ends past the budget is not waited out: sitting out a minute
 * for a call that must answer in thirty seconds only delays the same failure.
 *
 * @example
 * fitsBudget(60_000, Date.now() + 30_000); // false
 */
export function fitsBudget(delayMs: number, budgetEnd: number, now = Date.now()): boolean {
  return now + delayMs <= budgetEnd;
}

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts.
 *
 * @example
 * await sleep(250, controller.signal);
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
