import type { Config } from '@agent-otp/config';
import type { CoreContext } from '@agent-otp/core';
import type { TelegramBot } from '@agent-otp/telegram';
import type { Logger } from './logger.js';

/**
 * Starts the Telegram approval bot when `TELEGRAM_BOT_TOKEN` is set: long polling, or
 * webhook mode when `TELEGRAM_WEBHOOK_URL` is set (the secret is `TELEGRAM_WEBHOOK_SECRET`,
 * or derived from the token so every instance agrees). The bot starts in the background;
 * a Telegram outage never holds up or stops the relay. Its reconcile pass is a recurring job
 * of whoever hosts it (see `backgroundJobs`).
 *
 * @example
 * const telegram = await startConfiguredTelegramBot(config, ctx, logger);
 * await telegram?.stop();
 */
export async function startConfiguredTelegramBot(
  config: Config,
  ctx: CoreContext,
  logger: Logger,
): Promise<TelegramBot | undefined> {
  const { botToken, adminId, apiRoot, webhookUrl, webhookSecret } = config.telegram;
  if (!botToken) return undefined;
  // Loaded only with a bot token: the bot package and its Bot API client cost start-up time.
  const { deriveWebhookSecret, launchTelegramBot } = await import('@agent-otp/telegram');
  return launchTelegramBot({
    ctx,
    logger: logger.child({ component: 'telegram' }),
    token: botToken,
    apiRoot,
    adminId,
    webhook: webhookUrl
      ? { url: webhookUrl, secret: webhookSecret ?? deriveWebhookSecret(botToken) }
      : undefined,
  });
}
