import * as z from 'zod/mini';
import { booleanFromEnv, wholeNumber } from './env-types.js';

// Signed webhooks to agents (docs/webhooks.md): what URLs a request may name and how the
// delivery job retries. Spread into the one schema; parsed once.

/** Milliseconds from `min` to `max`, `fallback` when unset. */
const ms = (min: number, max: number, fallback: number) => z._default(wholeNumber(min, max), fallback);
const HOUR = 3_600_000;

/** Environment variables of webhook delivery. */
export const webhooksEnvironment = {
  /** Allow `http://` webhook URLs (local development, tests); HTTPS only otherwise. */
  WEBHOOK_ALLOW_HTTP: z._default(booleanFromEnv, false),
  /** Allow webhook hosts that are or resolve to private, loopback, link-local or other internal addresses. */
  WEBHOOK_ALLOW_PRIVATE: z._default(booleanFromEnv, false),
  /** The first retry's delay; each further retry doubles it (with jitter), up to WEBHOOK_RETRY_MAX_MS. */
  WEBHOOK_RETRY_BASE_MS: ms(1, HOUR, 10_000),
  /** The longest delay between two attempts. */
  WEBHOOK_RETRY_MAX_MS: ms(1, 24 * HOUR, HOUR),
  /** How long after the event the relay keeps retrying before it marks the delivery failed. */
  WEBHOOK_RETRY_WINDOW_MS: ms(1, 30 * 24 * HOUR, 24 * HOUR),
  /** How often each instance looks for due deliveries (its own new events wake it at once). */
  WEBHOOK_POLL_MS: ms(10, 600_000, 1_000),
  /** How long one attempt may take before it counts as failed. */
  WEBHOOK_TIMEOUT_MS: ms(100, 60_000, 10_000),
};

interface WebhooksEnvironment {
  WEBHOOK_ALLOW_HTTP: boolean;
  WEBHOOK_ALLOW_PRIVATE: boolean;
  WEBHOOK_RETRY_BASE_MS: number;
  WEBHOOK_RETRY_MAX_MS: number;
  WEBHOOK_RETRY_WINDOW_MS: number;
  WEBHOOK_POLL_MS: number;
  WEBHOOK_TIMEOUT_MS: number;
}

/** A maximum delay below the first one would make the backoff shrink. */
export function checkWebhooksEnvironment(env: WebhooksEnvironment, ctx: z.core.$RefinementCtx): void {
  if (env.WEBHOOK_RETRY_MAX_MS < env.WEBHOOK_RETRY_BASE_MS)
    ctx.addIssue({
      code: 'custom',
      path: ['WEBHOOK_RETRY_MAX_MS'],
      message: `must be at least WEBHOOK_RETRY_BASE_MS (${env.WEBHOOK_RETRY_BASE_MS})`,
    });
}

/**
 * The parsed webhook settings.
 *
 * @example
 * const { webhooks } = webhooksConfig(env);
 */
export function webhooksConfig(env: WebhooksEnvironment) {
  return {
    webhooks: {
      allowHttp: env.WEBHOOK_ALLOW_HTTP,
      allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: env.WEBHOOK_RETRY_MAX_MS,
      retryWindowMs: env.WEBHOOK_RETRY_WINDOW_MS,
      pollMs: env.WEBHOOK_POLL_MS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    },
  };
}
