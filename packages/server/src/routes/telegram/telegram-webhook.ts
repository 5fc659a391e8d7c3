import type { TELEGRAM_WEBHOOK_PATH } from '@agent-otp/telegram';
import { plainRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { errorResponse } from '../../middleware/errors.js';
import { limitBody } from '../../middleware/request-guards.js';
import type { Router } from '../../openapi-app.js';

/** Telegram's updates are small; a megabyte is generous. */
const UPDATE_BODY_LIMIT = 1024 * 1024;

/**
 * `POST /telegram/webhook`: where Telegram delivers updates in webhook mode. The bot checks
 * the `X-Telegram-Bot-Api-Secret-Token` header in constant time and answers 401 without it.
 * Not part of the OpenAPI document: only Telegram calls it. Declared with the provider
 * credential: the bot (`@agent-otp/telegram`'s `handleWebhookCall`) verifies the secret
 * before it reads the update.
 */
// Typed as the bot package's constant, so the compiler keeps them equal, without loading the
// bot package (and its Bot API client) into a relay that runs no Telegram bot.
const WEBHOOK_PATH: typeof TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';

export function registerTelegramWebhook(app: Router, services: ServerServices): void {
  const route = {
    method: 'post',
    path: WEBHOOK_PATH,
    credential: { provider: 'telegram' },
  } as const;
  plainRoute(app, services, route, limitBody(UPDATE_BODY_LIMIT), async (c) => {
    const bot = services.telegram;
    if (bot?.mode !== 'webhook')
      return errorResponse(c, 'NOT_FOUND', 'the Telegram bot is not running in webhook mode');
    // limitBody has read the body from Node into hono's body cache (node-request.ts), so the
    // served request's own stream is spent; the bot gets a Request holding the same text.
    const update = new Request(c.req.url, {
      method: 'POST',
      headers: c.req.raw.headers,
      body: await c.req.text(),
    });
    return bot.handleWebhook(update);
  });
}
