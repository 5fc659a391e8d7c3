import {
  ALL_REQUESTS_TOPIC,
  type CoreContext,
  listHeldMessages,
  listOwnersWithTelegramLinks,
  listPendingDecisions,
  listTelegramLinks,
  sleep,
  type Unsubscribe,
} from '@agent-otp/core';
import { Bot, type BotError, GrammyError } from 'grammy';
import { registerAlwaysAllowButtons } from './always-allow-buttons.js';
import { describeApiError, retryOnFloodControl } from './bot-api-errors.js';
import { BOT_COMMANDS, registerCommands } from './commands.js';
import { registerDecisionButtons } from './decision-buttons.js';
import { registerHeldButtons } from './held-buttons.js';
import { linkAdmin } from './link-admin.js';
import type { BotLogger } from './logger.js';
import { RequestSynchroniser } from './request-sync.js';
import { databaseTelegramMessageStore } from './state/database-message-store.js';
import type { TelegramMessageStore } from './state/telegram-message-store.js';
import { handleWebhookCall } from './webhook.js';

export interface TelegramBotOptions {
  ctx: CoreContext;
  logger: BotLogger;
  /** The token from @BotFather. Never logged. */
  token: string;
  /** `https://api.telegram.org`, or a local Bot API server / stand-in. */
  apiRoot: string;
  /** A Telegram user id to link to the default owner on start (single-owner installs). */
  adminId?: number | undefined;
  /** Webhook mode: Telegram POSTs updates to `url` with `secret`; otherwise long polling. */
  webhook?: { url: string; secret: string } | undefined;
  /** Where sent messages are remembered; the relay's database unless given. */
  messages?: TelegramMessageStore | undefined;
}

export interface TelegramBot {
  readonly mode: 'polling' | 'webhook';
  /** Resolves when updates flow (polling started or webhook set); rejects if the bot gave up. */
  readonly ready: Promise<void>;
  /** The bot's @username once getMe answered. */
  username(): string | undefined;
  /** The relay's `POST /telegram/webhook` handler. */
  handleWebhook(request: Request): Promise<Response>;
  /**
   * One catch-up pass over changes the event bus did not carry (other processes, restarts):
   * every pending decision and held message is announced, every open message brought up to
   * date. The host runs it as a recurring job; it throws when the pass failed, and does
   * nothing before the bot is connected.
   */
  reconcile(): Promise<void>;
  /**
   * Sends `text` (plain, no markup) to every chat linked to the owner; resolves with how
   * many were sent. A chat that refuses (blocked bot) is logged and skipped.
   */
  tellOwner(ownerId: string, text: string): Promise<number>;
  /** Stops polling and event handling; waits for edits in flight. */
  stop(): Promise<void>;
}

const RETRY_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

const isUnauthorized = (error: unknown) => error instanceof GrammyError && error.error_code === 401;

/**
 * Starts the approval bot in the background and returns at once: it keeps retrying while
 * Telegram is unreachable (the relay runs on without it meanwhile) and gives up, loudly,
 * only on a token Telegram refuses. Every owner's new pending request is sent to their
 * linked chats; every change edits those messages.
 *
 * @example
 * const bot = launchTelegramBot({ ctx, logger, token, apiRoot: 'https://api.telegram.org' });
 * await bot.ready;
 */
export function launchTelegramBot(options: TelegramBotOptions): TelegramBot {
  const { ctx, logger } = options;
  const bot = new Bot(options.token, { client: { apiRoot: options.apiRoot } });
  bot.api.config.use(retryOnFloodControl(logger));
  const messages = options.messages ?? databaseTelegramMessageStore(ctx);
  const sync = new RequestSynchroniser(ctx, bot.api, logger, messages);
  registerCommands(bot, { ctx, logger, sync });
  // Held-message buttons first: their callback data is not an approve/deny press.
  registerHeldButtons(bot, { ctx, logger, sync });
  registerAlwaysAllowButtons(bot, { ctx, logger });
  registerDecisionButtons(bot, { ctx, logger, sync });
  bot.catch((error: BotError) => {
    logger.error(
      { updateId: error.ctx.update.update_id, ...describeApiError(error.error) },
      'telegram: handling an update failed',
    );
  });

  const stopping = new AbortController();
  let unsubscribe: Unsubscribe | undefined;
  let initialised = false;
  let polling: Promise<void> | undefined;

  /** Runs `step` until it succeeds, backing off; rethrows a 401 (a wrong token will not heal). */
  async function withRetries(what: string, step: () => Promise<void>): Promise<boolean> {
    for (let attempt = 0; !stopping.signal.aborted; attempt++) {
      try {
        await step();
        return true;
      } catch (error) {
        if (isUnauthorized(error)) throw error;
        const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] ?? 30_000;
        logger.warn({ ...describeApiError(error), retryInMs: delay }, `telegram: ${what} failed; retrying`);
        await sleep(delay, stopping.signal);
      }
    }
    return false;
  }

  async function reconcile(): Promise<void> {
    if (!initialised || stopping.signal.aborted) return;
    for (const ownerId of await listOwnersWithTelegramLinks(ctx))
      for (const subject of [
        ...(await listPendingDecisions(ctx, ownerId)),
        ...(await listHeldMessages(ctx, ownerId)),
      ])
        await sync.sync(ownerId, subject.id, { announce: true });
    for (const { ownerId, requestId } of await messages.listWithOpenButtons())
      await sync.sync(ownerId, requestId, { announce: false });
  }

  /** A pass the bot starts itself (on connect, on a bus resync): its failure is only logged. */
  const reconcileNow = () =>
    reconcile().catch((error: unknown) =>
      logger.error(describeApiError(error), 'telegram: reconcile pass failed'),
    );

  async function run(): Promise<void> {
    if (!(await withRetries('connecting to the Bot API (getMe)', () => bot.init()))) return;
    initialised = true;
    logger.info(
      { username: bot.botInfo.username, mode: options.webhook ? 'webhook' : 'polling' },
      'telegram bot connected',
    );
    await bot.api
      .setMyCommands(BOT_COMMANDS.map((c) => ({ ...c })))
      .catch((error: unknown) => logger.warn(describeApiError(error), 'telegram: setMyCommands failed'));
    if (options.adminId !== undefined) await linkAdmin(ctx, logger, options.adminId);

    unsubscribe = ctx.bus.subscribe(ALL_REQUESTS_TOPIC, (event) => {
      // Events may have been missed (the bus reconnected): catch up on everything.
      if (event.type === 'resync') return void reconcileNow();
      // New requests waiting for approval and new held messages are announced; every change is synced.
      if (event.type === 'created' && event.status !== 'pending_approval' && event.kind !== 'held') return;
      void sync.sync(event.ownerId, event.requestId, { announce: event.type === 'created' });
    });
    await reconcileNow();

    const webhook = options.webhook;
    if (webhook) {
      await withRetries('setWebhook', async () => {
        await bot.api.setWebhook(webhook.url, {
          secret_token: webhook.secret,
          allowed_updates: [...ALLOWED_UPDATES],
        });
      });
      return;
    }
    await new Promise<void>((resolve, reject) => {
      polling = (async () => {
        const ok = await withRetries('long polling', () =>
          bot.start({ allowed_updates: [...ALLOWED_UPDATES], onStart: () => resolve() }),
        ).catch((error: unknown) => {
          reject(error);
          return false;
        });
        if (!ok) resolve();
      })();
    });
  }

  const ready = run().catch((error: unknown) => {
    logger.error(
      { ...describeApiError(error) },
      isUnauthorized(error)
        ? 'telegram: the Bot API refused TELEGRAM_BOT_TOKEN (401); the bot is off, the relay runs on'
        : 'telegram: the bot stopped',
    );
    throw error;
  });
  // Callers who never await `ready` must not see an unhandled rejection.
  ready.catch(() => undefined);

  return {
    mode: options.webhook ? 'webhook' : 'polling',
    ready,
    username: () => (initialised ? bot.botInfo.username : undefined),
    handleWebhook: async (request) => {
      if (!options.webhook || !initialised)
        return new Response(JSON.stringify({ ok: false, error: 'telegram webhook is not active' }), {
          status: options.webhook ? 503 : 404,
          headers: { 'content-type': 'application/json' },
        });
      return handleWebhookCall(request, { bot, secret: options.webhook.secret, logger });
    },
    reconcile,
    tellOwner: async (ownerId, text) => {
      let sent = 0;
      for (const link of await listTelegramLinks(ctx, ownerId)) {
        try {
          await bot.api.sendMessage(link.chatId, text, { link_preview_options: { is_disabled: true } });
          sent += 1;
        } catch (error) {
          logger.warn({ ...describeApiError(error) }, 'telegram: a notice to the owner could not be sent');
        }
      }
      return sent;
    },
    stop: async () => {
      if (stopping.signal.aborted) return;
      stopping.abort();
      unsubscribe?.();
      if (bot.isRunning()) await bot.stop().catch(() => undefined);
      await polling;
      await sync.stop();
    },
  };
}
