import {
  findTelegramLink,
  insertTelegramLink,
  selectOwnersOfTelegramUser,
  selectOwnersWithTelegramLinks,
  selectOwnerTelegramLinks,
  type Tx,
  updateTelegramLinkChat,
  withTransaction,
} from '@agent-otp/db';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import type { Owner } from '../owners/owners.js';

/** A Telegram user who acts for an owner, and the chat where the bot notifies them. */
export interface TelegramLink {
  ownerId: string;
  telegramUserId: number;
  chatId: number;
  linkedAt: string;
}

/**
 * Links a Telegram user (notified in `chatId`) to an owner inside the caller's transaction.
 * Linking the same user again only moves the notification chat. Returns whether the user
 * was newly linked.
 */
export async function linkTelegramUserInTx(
  ctx: CoreContext,
  tx: Tx,
  options: { ownerId: string; telegramUserId: number; chatId: number; actor: Actor },
): Promise<boolean> {
  const existing = await findTelegramLink(tx, options.ownerId, options.telegramUserId);
  if (existing) {
    if (existing.chat_id !== options.chatId) await updateTelegramLinkChat(tx, existing.id, options.chatId);
    return false;
  }
  await insertTelegramLink(tx, {
    id: newId('tgl'),
    owner_id: options.ownerId,
    telegram_user_id: options.telegramUserId,
    chat_id: options.chatId,
    linked_at: nowIso(ctx),
  });
  await recordAuditEvent(ctx, tx, {
    ownerId: options.ownerId,
    actor: options.actor,
    action: 'telegram.linked',
    targetId: options.ownerId,
    details: { telegramUserId: options.telegramUserId, chatId: options.chatId },
  });
  return true;
}

/**
 * Links a Telegram user to an owner (used for `TELEGRAM_ADMIN_ID`, whose private chat id is
 * the user id). Idempotent.
 *
 * @example
 * await linkTelegramUser(ctx, { ownerId, telegramUserId: 4242, chatId: 4242, actor: SYSTEM_ACTOR });
 */
export async function linkTelegramUser(
  ctx: CoreContext,
  options: { ownerId: string; telegramUserId: number; chatId: number; actor: Actor },
): Promise<boolean> {
  return withTransaction(ctx.database, (tx) => linkTelegramUserInTx(ctx, tx, options));
}

/**
 * The chats to notify about an owner's requests (one per linked Telegram user).
 *
 * @example
 * for (const link of await listTelegramLinks(ctx, ownerId)) await send(link.chatId);
 */
export async function listTelegramLinks(ctx: CoreContext, ownerId: string): Promise<TelegramLink[]> {
  const rows = await selectOwnerTelegramLinks(ctx.database.db, ownerId);
  return rows.map((r) => ({
    ownerId: r.owner_id,
    telegramUserId: r.telegram_user_id,
    chatId: r.chat_id,
    linkedAt: r.linked_at,
  }));
}

/**
 * The owners a Telegram user acts for (usually one). Empty: the user is not linked, and
 * may neither decide nor read anything.
 *
 * @example
 * const owners = await findOwnersOfTelegramUser(ctx, from.id);
 */
export async function findOwnersOfTelegramUser(ctx: CoreContext, telegramUserId: number): Promise<Owner[]> {
  return selectOwnersOfTelegramUser(ctx.database.db, telegramUserId);
}

/** Every owner with at least one linked Telegram user (the bot's reconcile pass walks these). */
export async function listOwnersWithTelegramLinks(ctx: CoreContext): Promise<string[]> {
  return selectOwnersWithTelegramLinks(ctx.database.db);
}
