import * as z from 'zod/mini';
import { text } from './env-types.js';

// The Telegram approval bot's settings and cross-checks. Spread into the one schema; used by
// `agent-otp serve` and the standalone `agent-otp telegram`.

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/** Environment variables of the Telegram bot. */
export const telegramEnvironment = {
  TELEGRAM_BOT_TOKEN: z.optional(text()),
  TELEGRAM_ADMIN_ID: z.optional(z.coerce.number().check(z.int(), z.positive())),
  TELEGRAM_API_ROOT: z._default(z.url(), 'https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: z.optional(z.url()),
  /** Telegram's own alphabet and length for `secret_token`; derived from the bot token when unset. */
  TELEGRAM_WEBHOOK_SECRET: z.optional(
    z
      .string()
      .check(z.regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A-Z, a-z, 0-9, _ and -')),
  ),
};

type TelegramEnvironment = z.output<z.ZodMiniObject<typeof telegramEnvironment>>;

/**
 * Settings that only make sense together: the admin id, webhook URL and secret need a bot
 * token; Telegram only calls HTTPS webhooks (loopback is allowed for local Bot API servers
 * and tests).
 */
export function checkTelegramEnvironment(env: TelegramEnvironment, ctx: z.core.$RefinementCtx): void {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (!env.TELEGRAM_BOT_TOKEN) {
    for (const name of ['TELEGRAM_ADMIN_ID', 'TELEGRAM_WEBHOOK_URL', 'TELEGRAM_WEBHOOK_SECRET'] as const)
      if (env[name] !== undefined) problem(name, 'is set but TELEGRAM_BOT_TOKEN is not');
  } else if (!/^\d+:[A-Za-z0-9_-]{20,}$/.test(env.TELEGRAM_BOT_TOKEN)) {
    // Never echo the token itself into the message.
    problem('TELEGRAM_BOT_TOKEN', 'does not look like a bot token from @BotFather (<digits>:<secret>)');
  }
  // Cross-checks run even when a variable failed its own check (z.url() then said so): a value
  // that is no URL must not reach `new URL`, whose TypeError would escape as a crash.
  if (env.TELEGRAM_WEBHOOK_URL && URL.canParse(env.TELEGRAM_WEBHOOK_URL)) {
    const url = new URL(env.TELEGRAM_WEBHOOK_URL);
    if (url.protocol !== 'https:' && !LOOPBACK_HOSTS.has(url.hostname))
      problem('TELEGRAM_WEBHOOK_URL', 'must be an https:// URL (Telegram calls only HTTPS webhooks)');
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      problem('TELEGRAM_WEBHOOK_URL', 'must be an https:// URL');
  }
  if (env.TELEGRAM_WEBHOOK_SECRET && !env.TELEGRAM_WEBHOOK_URL)
    problem('TELEGRAM_WEBHOOK_SECRET', 'is set but TELEGRAM_WEBHOOK_URL is not');
}

/**
 * The parsed Telegram settings.
 *
 * @example
 * const { telegram } = telegramConfig(env);
 */
export function telegramConfig(env: TelegramEnvironment) {
  return {
    telegram: {
      botToken: env.TELEGRAM_BOT_TOKEN,
      adminId: env.TELEGRAM_ADMIN_ID,
      apiRoot: env.TELEGRAM_API_ROOT,
      webhookUrl: env.TELEGRAM_WEBHOOK_URL,
      webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
    },
  };
}
