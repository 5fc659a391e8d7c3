import { claimDueWebhookEvents, recordWebhookAttempt, type WebhookOutboxRow } from '@agent-otp/db';
import type { CoreContext } from '../context.js';
import { openAgentWebhookSecret } from './agent-webhook-secret.js';
import { postWebhook, type WebhookPostResult } from './post-webhook.js';
import { STRICT_WEBHOOK_POLICY } from './webhook-address-policy.js';

/** How delivery retries (WEBHOOK_* settings). */
export interface WebhookRetrySettings {
  retryBaseMs: number;
  retryMaxMs: number;
  /** Retried until this long after the event; then it is marked failed. */
  retryWindowMs: number;
  timeoutMs: number;
}

/** Where delivery reports each attempt: the event id, the URL's host and the outcome, never the secret or the body. */
export interface WebhookDeliveryLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * The delay before attempt `attempts + 1`: doubling from the base, capped, with jitter
 * (between half and all of it) so receivers coming back from an outage are not hit by every
 * relay's retries in the same second.
 *
 * @example
 * retryDelayMs(settings, 3); // 20–40 s with a 10 s base
 */
export function retryDelayMs(settings: WebhookRetrySettings, attempts: number): number {
  const exponential = settings.retryBaseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30);
  const capped = Math.min(settings.retryMaxMs, exponential);
  return Math.max(1, Math.round(capped * (0.5 + Math.random() * 0.5)));
}

function describe(result: WebhookPostResult): string {
  return 'error' in result ? result.error : `HTTP ${result.httpStatus}`;
}

/**
 * One claimed attempt: opens the agent's secret, POSTs the signed event, and records the
 * outcome (delivered on a 2xx, otherwise a retry with backoff, or failed once the retry
 * window closed). Returns whether it was delivered. Never throws for a receiver's failure.
 *
 * @example
 * for (const row of await claimDueWebhooks(ctx, { instance, settings, limit: 50 })) void attemptWebhook(ctx, row, { instance, settings });
 */
export async function attemptWebhook(
  ctx: CoreContext,
  row: WebhookOutboxRow,
  options: { instance: string; settings: WebhookRetrySettings; log?: WebhookDeliveryLog | undefined },
): Promise<boolean> {
  const { settings, log } = options;
  let result: WebhookPostResult;
  try {
    const secret = await openAgentWebhookSecret(ctx, row.agent_id);
    result =
      secret === undefined
        ? { error: 'the agent has no webhook signing secret' }
        : await postWebhook({
            url: row.url,
            body: row.body,
            eventId: row.id,
            secret,
            policy: ctx.webhooks ?? STRICT_WEBHOOK_POLICY,
            timeoutMs: settings.timeoutMs,
            now: ctx.clock.now(),
          });
  } catch (error) {
    result = { error: (error as Error).message };
  }
  const now = ctx.clock.now();
  const at = now.toISOString();
  const httpStatus = 'httpStatus' in result ? result.httpStatus : null;
  const delivered = httpStatus !== null && httpStatus >= 200 && httpStatus < 300;
  const expired = now.getTime() - Date.parse(row.created_at) >= settings.retryWindowMs;
  const claim = { id: row.id, instance: options.instance, attempts: row.attempts };
  const fields = {
    eventId: row.id,
    host: new URL(row.url).host,
    attempt: row.attempts,
    result: describe(result),
  };
  if (delivered) {
    await recordWebhookAttempt(ctx.database.db, claim, { result: 'delivered', at, httpStatus });
    log?.info(fields, 'webhook delivered');
  } else if (expired) {
    await recordWebhookAttempt(ctx.database.db, claim, {
      result: 'failed',
      at,
      error: describe(result),
      httpStatus,
    });
    log?.warn(fields, 'webhook failed; no more retries');
  } else {
    const nextAttemptAt = new Date(now.getTime() + retryDelayMs(settings, row.attempts)).toISOString();
    await recordWebhookAttempt(ctx.database.db, claim, {
      result: 'retry',
      nextAttemptAt,
      error: describe(result),
      httpStatus,
    });
    log?.info({ ...fields, nextAttemptAt }, 'webhook not acknowledged; will retry');
  }
  return delivered;
}

/**
 * Claims up to `limit` due events for this instance, each with a lease that outlives one
 * attempt's timeout (it lapses only if this instance dies mid-attempt): several instances
 * running this at once never claim one attempt twice.
 *
 * @example
 * const rows = await claimDueWebhooks(ctx, { instance: 'host-1:4242', settings: config.webhooks, limit: 50 });
 */
export function claimDueWebhooks(
  ctx: CoreContext,
  options: { instance: string; settings: WebhookRetrySettings; limit: number },
): Promise<WebhookOutboxRow[]> {
  const now = ctx.clock.now();
  return claimDueWebhookEvents(ctx.database.db, {
    now: now.toISOString(),
    instance: options.instance,
    leaseUntil: new Date(now.getTime() + options.settings.timeoutMs * 2 + 5_000).toISOString(),
    limit: options.limit,
  });
}
