import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type Bot, BotError } from 'grammy';
import type { Update } from 'grammy/types';
import { describeApiError } from './bot-api-errors.js';
import type { BotLogger } from './logger.js';

/** The path the relay serves Telegram's webhook calls on. */
export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';

/** Telegram sends this header with the secret given to setWebhook. */
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * A webhook secret derived from the bot token when none is configured: stable across
 * restarts and instances (so several relays behind a load balancer agree), revealing
 * nothing about the token, and within Telegram's alphabet (`[A-Za-z0-9_-]`, ≤ 256).
 *
 * @example
 * const secret = deriveWebhookSecret(config.telegram.botToken);
 */
export function deriveWebhookSecret(botToken: string): string {
  return createHmac('sha256', botToken).update('agent-otp telegram webhook secret v1').digest('base64url');
}

/**
 * Constant-time comparison of the header Telegram sent with the expected secret. Both are
 * hashed first, so neither the length nor any prefix of the secret leaks through timing.
 *
 * @example
 * secretTokenMatches(request.headers.get('x-telegram-bot-api-secret-token'), secret);
 */
export function secretTokenMatches(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function isUpdate(value: unknown): value is Update {
  return (
    typeof value === 'object' &&
    value !== null &&
    Number.isSafeInteger((value as { update_id?: unknown }).update_id)
  );
}

/**
 * Answers one webhook call from Telegram: 401 without the right secret header (nothing is
 * read or run), 400 for a body that is not an update, otherwise runs the update through the
 * bot and answers 200, also when a handler failed, so Telegram does not redeliver a poison
 * update forever (the failure is logged).
 */
export async function handleWebhookCall(
  request: Request,
  options: { bot: Bot; secret: string; logger: BotLogger },
): Promise<Response> {
  if (!secretTokenMatches(request.headers.get(SECRET_HEADER), options.secret)) {
    options.logger.warn({}, 'telegram: refused a webhook call without the right secret token');
    return json(401, { ok: false, error: 'missing or wrong X-Telegram-Bot-Api-Secret-Token' });
  }
  let update: unknown;
  try {
    update = await request.json();
  } catch {
    return json(400, { ok: false, error: 'body must be a JSON Update object' });
  }
  if (!isUpdate(update)) return json(400, { ok: false, error: 'body must be a JSON Update object' });
  try {
    await options.bot.handleUpdate(update);
  } catch (error) {
    const cause = error instanceof BotError ? error.error : error;
    options.logger.error(
      { updateId: update.update_id, ...describeApiError(cause) },
      'telegram: handling a webhook update failed',
    );
  }
  return json(200, { ok: true });
}
