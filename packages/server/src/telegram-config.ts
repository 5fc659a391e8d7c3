import { z } from 'zod';

// The Telegram bot's extra settings and cross-checks, kept beside config.ts (which spreads
// them into the one ConfigSchema) so the shared file grows by a few lines. Parsed once.

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/** Environment variables of the Telegram bot beyond those config.ts already lists. */
export const telegramEnvironment = {
  /** Telegram's own alphabet and length for `secret_token`; derived from the bot token when unset. */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A-Z, a-z, 0-9, _ and -')
    .optional(),
};

interface TelegramEnvironment {
  TELEGRAM_BOT_TOKEN?: string | undefined;
  TELEGRAM_ADMIN_ID?: number | undefined;
  TELEGRAM_WEBHOOK_URL?: string | undefined;
  TELEGRAM_WEBHOOK_SECRET?: string | undefined;
}

/**
 * Settings that only make sense together: the admin id, webhook URL and secret need a bot
 * token; Telegram only calls HTTPS webhooks (loopback is allowed for local Bot API servers
 * and tests).
 */
export function checkTelegramEnvironment(env: TelegramEnvironment, ctx: z.RefinementCtx): void {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (!env.TELEGRAM_BOT_TOKEN) {
    for (const name of ['TELEGRAM_ADMIN_ID', 'TELEGRAM_WEBHOOK_URL', 'TELEGRAM_WEBHOOK_SECRET'] as const)
      if (env[name] !== undefined) problem(name, 'is set but TELEGRAM_BOT_TOKEN is not');
  } else if (!/^\d+:[A-Za-z0-9_-]{20,}$/.test(env.TELEGRAM_BOT_TOKEN)) {
    // Never echo the token itself into the message.
    problem('TELEGRAM_BOT_TOKEN', 'does not look like a bot token from @BotFather (<digits>:<secret>)');
  }
  if (env.TELEGRAM_WEBHOOK_URL) {
    const url = new URL(env.TELEGRAM_WEBHOOK_URL);
    if (url.protocol !== 'https:' && !LOOPBACK_HOSTS.has(url.hostname))
      problem('TELEGRAM_WEBHOOK_URL', 'must be an https:// URL (Telegram calls only HTTPS webhooks)');
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      problem('TELEGRAM_WEBHOOK_URL', 'must be an https:// URL');
  }
  if (env.TELEGRAM_WEBHOOK_SECRET && !env.TELEGRAM_WEBHOOK_URL)
    problem('TELEGRAM_WEBHOOK_SECRET', 'is set but TELEGRAM_WEBHOOK_URL is not');
}
