import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '@agent-otp/config';
import { ALL_REQUESTS_TOPIC, type CoreContext, deliverDueWebhooks } from '@agent-otp/core';
import { defineJob, type RecurringJob } from '@agent-otp/jobs';
import { WEBHOOK_EVENT_STATUSES } from '@agent-otp/shared';
import type { Logger } from '../logger.js';

export const WEBHOOK_DELIVERY_JOB = 'webhook delivery';

/**
 * Whether a request event may have queued a webhook: a status some agent hears about. The
 * bus does not say whether the request named a URL, so this wakes a pass that may find
 * nothing (one indexed query).
 */
function mayHaveQueuedWebhook(event: { type: string; kind?: string; status?: string }): boolean {
  if (event.type === 'resync') return true;
  const statuses = WEBHOOK_EVENT_STATUSES[event.kind as keyof typeof WEBHOOK_EVENT_STATUSES] as
    | readonly string[]
    | undefined;
  return statuses?.includes(event.status ?? '') ?? false;
}

/**
 * Webhook delivery as a recurring job: polls the outbox every WEBHOOK_POLL_MS (events other
 * instances queued, retries coming due) and runs at once when a request event says one may
 * have been queued (`wake` subscribes the runner's trigger to the bus). Every instance runs
 * it; leases keep each attempt to one instance.
 *
 * @example
 * runner.add(webhookDeliveryJob(config, ctx, logger));
 */
export function webhookDeliveryJob(config: Config, ctx: CoreContext, logger: Logger): RecurringJob {
  // Names this process's leases in the outbox (a reader can tell which instance held one).
  const instance = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const log = logger.child({ component: 'webhooks' });
  return defineJob({
    name: WEBHOOK_DELIVERY_JOB,
    everyMs: config.webhooks.pollMs,
    run: async (signal) => {
      await deliverDueWebhooks(ctx, { instance, settings: config.webhooks, log, signal });
    },
  });
}

/**
 * Runs the delivery job as soon as a status change may have queued an event, instead of at
 * the next poll. Returns the unsubscribe.
 *
 * @example
 * const stopWaking = wakeWebhookDeliveryOnEvents(ctx, () => runner.trigger(WEBHOOK_DELIVERY_JOB));
 */
export function wakeWebhookDeliveryOnEvents(ctx: CoreContext, wake: () => void): () => void {
  return ctx.bus.subscribe(ALL_REQUESTS_TOPIC, (event) => {
    if (mayHaveQueuedWebhook(event)) wake();
  });
}
