import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '@agent-otp/config';
import {
  ALL_REQUESTS_TOPIC,
  attemptWebhook,
  type BusEvent,
  type CoreContext,
  claimDueWebhooks,
} from '@agent-otp/core';
import { defineJob, defineService, type RecurringJob, type ServiceJob } from '@agent-otp/jobs';
import { WEBHOOK_EVENT_STATUSES } from '@agent-otp/shared';
import type { Logger } from '../logger.js';

export const WEBHOOK_DELIVERY_JOB = 'webhook delivery';

/** Attempts one instance keeps in flight at once; a slow receiver holds one slot, not the queue. */
const MAX_IN_FLIGHT = 64;

/**
 * Whether a request event may have queued a webhook. Lifecycle changes say whether they did
 * (`webhookQueued`), so a relay whose requests name no webhook runs no pass after each
 * approval and delivery (issue 18). Events that do not say (and a resync after missed
 * events) wake a pass when the status is one some agent hears about; it may find nothing
 * (one indexed query). The poll every WEBHOOK_POLL_MS covers anything else.
 */
function mayHaveQueuedWebhook(event: BusEvent): boolean {
  if (event.type === 'resync') return true;
  if (event.webhookQueued !== undefined) return event.webhookQueued;
  const statuses = WEBHOOK_EVENT_STATUSES[event.kind as keyof typeof WEBHOOK_EVENT_STATUSES] as
    | readonly string[]
    | undefined;
  return statuses?.includes(event.status) ?? false;
}

/**
 * Webhook delivery on the jobs runner, as two jobs:
 *
 * - a recurring pass that claims due events (leased, so several instances never send one
 *   attempt twice) and starts their attempts without waiting for them, so one slow receiver
 *   (up to WEBHOOK_TIMEOUT_MS) never delays another's event. It runs every WEBHOOK_POLL_MS
 *   (events other instances queued, retries coming due) and at once when `wake` is called;
 * - a service that calls `wake` whenever a request event says an event may have been queued,
 *   and on stop waits for the attempts in flight, so none is cut off by the database closing.
 *
 * @example
 * for (const job of webhookDeliveryJobs(config, ctx, logger, () => runner.trigger(WEBHOOK_DELIVERY_JOB))) runner.add(job);
 */
export function webhookDeliveryJobs(
  config: Config,
  ctx: CoreContext,
  logger: Logger,
  wake: () => void,
): [RecurringJob, ServiceJob] {
  // Names this process's leases in the outbox (a reader can tell which instance held one).
  const instance = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const log = logger.child({ component: 'webhooks' });
  const settings = config.webhooks;
  const inFlight = new Set<Promise<void>>();
  let saturated = false;
  const safeWake = () => {
    // Before the runner scheduled the pass (start-up) or after it stopped there is nothing to
    // wake: the next poll finds the event.
    try {
      wake();
    } catch {}
  };

  const pass = defineJob({
    name: WEBHOOK_DELIVERY_JOB,
    everyMs: settings.pollMs,
    run: async (signal) => {
      const room = MAX_IN_FLIGHT - inFlight.size;
      if (room <= 0 || signal.aborted) return;
      const claimed = await claimDueWebhooks(ctx, { instance, settings, limit: room });
      // A full claim may have left due events behind: look again as soon as a slot frees.
      saturated = claimed.length === room;
      for (const row of claimed) {
        const attempt: Promise<void> = attemptWebhook(ctx, row, { instance, settings, log })
          .then(
            () => undefined,
            (error: Error) => {
              // The outcome could not be recorded (database unreachable): the lease lapses and
              // the attempt is made again, by this or another instance.
              log.error({ eventId: row.id, err: { message: error.message } }, 'webhook attempt not recorded');
            },
          )
          .finally(() => {
            inFlight.delete(attempt);
            if (saturated) {
              saturated = false;
              safeWake();
            }
          });
        inFlight.add(attempt);
      }
    },
  });

  const wakeUps = defineService({
    name: 'webhook wake-up',
    start: async () => {
      const unsubscribe = ctx.bus.subscribe(ALL_REQUESTS_TOPIC, (event) => {
        if (mayHaveQueuedWebhook(event)) safeWake();
      });
      return {
        async stop() {
          unsubscribe();
          await Promise.allSettled([...inFlight]);
        },
      };
    },
  });
  return [pass, wakeUps];
}
