import type { Config } from '@agent-otp/config';
import type { CoreContext } from '@agent-otp/core';
import { defineJob, defineService, JobRunner } from '@agent-otp/jobs';
import type { TelegramBot } from '@agent-otp/telegram';
import type { ConnectorStates } from '../connector-states.js';
import { startEmailNotifier } from '../email-notifications/email-notifier.js';
import type { Logger } from '../logger.js';
import { startConfiguredMailConnectors } from '../mail-connectors.js';
import { MailboxFailureNotifier } from '../mailboxes/mailbox-failure-notifier.js';
import { MailboxSupervisor, type MailboxSupervisorOptions } from '../mailboxes/mailbox-supervisor.js';
import { startConfiguredTelegramBot } from '../telegram-bot.js';
import { startPushNotifier } from '../web-push/push-notifier.js';
import { loadVapidKeys, type VapidKeys } from '../web-push/vapid-keys.js';
import { expirySweepJob } from './expiry-sweep-job.js';
import { WEBHOOK_DELIVERY_JOB, webhookDeliveryJobs } from './webhook-delivery-job.js';

/** How often the Telegram bot catches up on changes the event bus did not carry. */
const DEFAULT_TELEGRAM_RECONCILE_MS = 30_000;

export interface BackgroundJobOptions {
  /** Run the expiry sweeper (default true). */
  sweeper?: boolean | undefined;
  /** How often the Telegram bot catches up on changes made by other processes (default 30 s). */
  telegramReconcileMs?: number | undefined;
  /** Test and benchmark hooks of the built-in mailbox connector. */
  mailHooks?: Parameters<typeof startConfiguredMailConnectors>[3];
  /** Where the connectors report their state (for /readyz and /metrics). */
  connectorStates?: ConnectorStates | undefined;
  /** Owner mailboxes' supervisor: instance id, lease and re-list times (tests), health hook. */
  mailboxSupervisor?: Partial<Omit<MailboxSupervisorOptions, 'ctx' | 'logger'>> | undefined;
}

export interface BackgroundJobs {
  runner: JobRunner;
  /** The Telegram approval bot once the runner started it (its webhook route needs it). */
  telegram(): TelegramBot | undefined;
  /** Runs the mailboxes owners connected; the API pokes it after a change. */
  mailboxes: MailboxSupervisor;
  /** The VAPID keys Web Push messages are signed with (generated on first start). */
  vapid: VapidKeys;
}

/**
 * The relay's background work on one runner: the mailbox connectors, the Telegram bot and
 * owner notification email (services, when configured), the Telegram reconcile pass, the expiry sweeper and webhook
 * delivery (recurring).
 * The caller starts and stops the runner.
 *
 * @example
 * const { runner, telegram } = backgroundJobs(config, ctx, logger);
 * await runner.start();
 */
export function backgroundJobs(
  config: Config,
  ctx: CoreContext,
  logger: Logger,
  options: BackgroundJobOptions = {},
): BackgroundJobs {
  const runner = new JobRunner(logger.child({ component: 'jobs' }));
  runner.add(
    defineService({
      name: 'mail connectors',
      start: () =>
        startConfiguredMailConnectors(config, ctx, logger, options.mailHooks, options.connectorStates),
    }),
  );
  let telegram: TelegramBot | undefined;
  // A mailbox failing for MAILBOX_FAILING_NOTICE_MINUTES tells its owner through Telegram
  // (when configured); the dashboard's banner reads the health columns instead.
  const failures = new MailboxFailureNotifier({
    ctx,
    thresholdMs: config.email.mailboxFailingNoticeMs,
    tell: async (ownerId, text) => (telegram ? telegram.tellOwner(ownerId, text) : 0),
    logger: logger.child({ component: 'mailboxes' }),
    instanceId: () => mailboxes.instanceId,
  });
  const onHealthChange = options.mailboxSupervisor?.onHealthChange;
  const mailboxes = new MailboxSupervisor({
    lookbackSeconds: config.lookbackSeconds,
    ...options.mailboxSupervisor,
    onHealthChange: (change) => {
      onHealthChange?.(change);
      failures.healthChanged(change);
    },
    ctx,
    logger: logger.child({ component: 'mailboxes' }),
  });
  runner.add(
    defineService({
      name: 'mailbox supervisor',
      start: async () => {
        await mailboxes.start();
        return {
          stop: async () => {
            failures.stop();
            await mailboxes.stop();
          },
        };
      },
    }),
  );
  if (config.telegram.botToken) {
    runner.add(
      defineService({
        name: 'telegram bot',
        start: async () => {
          telegram = await startConfiguredTelegramBot(config, ctx, logger);
          if (telegram) options.connectorStates?.watchTelegram(telegram);
          return telegram;
        },
      }),
    );
    runner.add(
      defineJob({
        name: 'telegram reconcile',
        everyMs: options.telegramReconcileMs ?? DEFAULT_TELEGRAM_RECONCILE_MS,
        run: async () => telegram?.reconcile(),
      }),
    );
  }
  const notifyEmail = config.notifyEmail;
  if (notifyEmail) {
    runner.add(
      defineService({
        name: 'email notifications',
        start: async () => startEmailNotifier({ ctx, logger, ...notifyEmail }),
      }),
    );
  }
  // Web Push needs no setting: the key is generated on first start, and only owners who
  // turned "Notify this device" on have subscriptions to send to.
  const vapid = loadVapidKeys(config);
  runner.add(
    defineService({
      name: 'web push notifications',
      start: async () => startPushNotifier({ ctx, logger, vapid, allowPrivate: config.webPush.allowPrivate }),
    }),
  );
  if (options.sweeper !== false) runner.add(expirySweepJob(ctx, logger, config.sweepIntervalMs));
  for (const job of webhookDeliveryJobs(config, ctx, logger, () => runner.trigger(WEBHOOK_DELIVERY_JOB)))
    runner.add(job);
  return { runner, telegram: () => telegram, mailboxes, vapid };
}
