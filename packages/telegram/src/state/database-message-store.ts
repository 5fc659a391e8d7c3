import { type CoreContext, newId, nowIso } from '@agent-otp/core';
import {
  compareAndSetTelegramRendering,
  completeTelegramMessageClaim,
  deleteTelegramMessage,
  deleteUnfinishedTelegramClaims,
  insertTelegramMessageClaim,
  selectRequestsWithTelegramButtons,
  selectTelegramMessages,
} from '@agent-otp/db';
import type { TelegramMessageStore } from './telegram-message-store.js';

/** A claim older than this whose send never finished (a crash mid-send) may be retried. */
const STALE_CLAIM_MS = 2 * 60 * 1000;

/**
 * The bot's message store in the relay's own database (table `telegram_messages`, one row
 * per request and chat), shared by every relay instance.
 *
 * @example
 * const messages = databaseTelegramMessageStore(ctx);
 * const claim = await messages.claim({ requestId, ownerId, chatId });
 */
export function databaseTelegramMessageStore(ctx: CoreContext): TelegramMessageStore {
  const db = ctx.database.db;
  return {
    claim: (options) => insertTelegramMessageClaim(db, { id: newId('tgm'), ...options, now: nowIso(ctx) }),
    recordSent: (options) => completeTelegramMessageClaim(db, { ...options, now: nowIso(ctx) }),
    release: (id) => deleteTelegramMessage(db, id),
    list: async (requestId) =>
      (await selectTelegramMessages(db, requestId)).map((row) => ({
        id: row.id,
        requestId: row.request_id,
        ownerId: row.owner_id,
        chatId: row.chat_id,
        messageId: row.message_id ?? 0,
        renderedHash: row.rendered_hash,
        hasButtons: row.has_buttons === 1,
      })),
    markRendered: (options) => compareAndSetTelegramRendering(db, { ...options, now: nowIso(ctx) }),
    async listWithOpenButtons(limit = 500) {
      const staleBefore = new Date(ctx.clock.now().getTime() - STALE_CLAIM_MS).toISOString();
      await deleteUnfinishedTelegramClaims(db, staleBefore);
      return selectRequestsWithTelegramButtons(db, limit);
    },
  };
}
