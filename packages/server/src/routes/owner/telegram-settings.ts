import { createTelegramLinkToken, listTelegramLinks } from '@agent-otp/core';
import { AppError, TelegramDeepLink, TelegramSettings } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';
import { requestOwnerActor } from './owner-actor.js';

const statusRoute = declareRoute({
  method: 'get',
  path: '/api/v1/owner/telegram',
  operationId: 'getTelegramSettings',
  tags: ['Owner'],
  summary: 'Whether the Telegram bot runs, and which Telegram accounts are linked to this owner',
  description:
    'Whether the relay’s Telegram bot is running (and its username), and the Telegram accounts linked to this owner, which receive approval prompts.',
  credential: 'owner',
  responses: {
    200: { description: 'Telegram settings.', content: { 'application/json': { schema: TelegramSettings } } },
  },
});

const linkRoute = declareRoute({
  method: 'post',
  path: '/api/v1/owner/telegram/link',
  operationId: 'createTelegramLink',
  tags: ['Owner'],
  summary: 'A one-time deep link (15 minutes) that links the Telegram account opening it to this owner',
  description:
    'Creates a one-time `t.me` deep link, valid for 15 minutes; the Telegram account that opens it is linked to this owner and receives approval prompts from then on.',
  errors: {
    CONFLICT: 'the Telegram bot is not running: start the relay with TELEGRAM_BOT_TOKEN set',
    SERVICE_UNAVAILABLE: 'the Telegram bot has not reached Telegram yet; try again in a moment',
  },
  credential: 'owner',
  responses: {
    201: {
      description: 'The link, shown once.',
      content: { 'application/json': { schema: TelegramDeepLink } },
    },
  },
});

/** The dashboard's Settings › Telegram: status and a deep link (the CLI's `telegram:link`). */
export function registerOwnerTelegramSettings(app: Router, services: ServerServices) {
  openapiRoute(app, services, statusRoute, async (c) => {
    const links = await listTelegramLinks(services.ctx, c.get('owner').id);
    return c.json(
      {
        configured: services.telegram !== undefined,
        botUsername: services.telegram?.username() ?? null,
        links: links.map((l) => ({ telegramUserId: l.telegramUserId, linkedAt: l.linkedAt })),
      },
      200,
    );
  });
  openapiRoute(app, services, linkRoute, async (c) => {
    if (!services.telegram)
      throw new AppError(
        'CONFLICT',
        'the Telegram bot is not running: start the relay with TELEGRAM_BOT_TOKEN set',
      );
    const bot = services.telegram.username();
    if (!bot)
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        'the Telegram bot has not reached Telegram yet; try again in a moment',
      );
    const owner = c.get('owner');
    const link = await createTelegramLinkToken(services.ctx, {
      ownerId: owner.id,
      actor: requestOwnerActor(c),
    });
    // Loaded on use: a relay without TELEGRAM_BOT_TOKEN never loads the bot package.
    const { telegramDeepLink } = await import('@agent-otp/telegram');
    return c.json({ url: telegramDeepLink(bot, link.token), bot, expiresAt: link.expiresAt }, 201);
  });
}
