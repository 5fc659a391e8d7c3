import { randomBytes } from 'node:crypto';
import {
  deleteDeadTelegramLinkTokens,
  findOwner,
  insertTelegramLinkToken,
  spendTelegramLinkToken,
  withTransaction,
} from '@agent-otp/db';
import { AppError } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import type { Owner } from '../owners/owners.js';
import { hashSecret } from '../secrets.js';
import { linkTelegramUserInTx } from './telegram-links.js';

/** How long a deep link stays usable; long enough to open it on the phone, short enough to not linger. */
export const TELEGRAM_LINK_TOKEN_TTL_SECONDS = 15 * 60;

/**
 * Deep-link `start` parameters may hold 64 characters of `[A-Za-z0-9_-]`; 32 random bytes
 * in base64url (43 characters) after a recognisable prefix fit.
 */
const TOKEN_PATTERN = /^tl_[A-Za-z0-9_-]{43}$/;

/**
 * A new one-time token that links whoever sends `/start <token>` to the bot to this owner.
 * Only its hash is stored; the token is shown once, inside the deep link.
 *
 * @example
 * const { token } = await createTelegramLinkToken(ctx, { ownerId, actor });
 * console.log(`https://t.me/${botUsername}?start=${token}`);
 */
export async function createTelegramLinkToken(
  ctx: CoreContext,
  options: { ownerId: string; actor: Actor; ttlSeconds?: number },
): Promise<{ token: string; expiresAt: string }> {
  const token = `tl_${randomBytes(32).toString('base64url')}`;
  const now = ctx.clock.now();
  const expiresAt = new Date(
    now.getTime() + (options.ttlSeconds ?? TELEGRAM_LINK_TOKEN_TTL_SECONDS) * 1000,
  ).toISOString();
  await withTransaction(ctx.database, async (tx) => {
    // Spent and expired tokens are worthless; drop them so the table stays small.
    await deleteDeadTelegramLinkTokens(tx, now.toISOString());
    await insertTelegramLinkToken(tx, {
      token_hash: hashSecret(token),
      owner_id: options.ownerId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
    });
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'telegram.link_created',
      targetId: options.ownerId,
      details: { expiresAt },
    });
  });
  return { token, expiresAt };
}

/**
 * Spends a link token and links the Telegram user to its owner. The token works once: the
 * spend is one conditional update, so two racing `/start` messages cannot both succeed.
 * Fails with NOT_FOUND for an unknown, used or expired token (the same answer for each,
 * so a guesser learns nothing).
 *
 * @example
 * const { owner } = await redeemTelegramLinkToken(ctx, { token, telegramUserId: 42, chatId: 42, label: '@alice' });
 */
export async function redeemTelegramLinkToken(
  ctx: CoreContext,
  options: { token: string; telegramUserId: number; chatId: number; label: string },
): Promise<{ owner: Owner; newlyLinked: boolean }> {
  const invalid = new AppError('NOT_FOUND', 'this link is not valid any more; create a new one');
  if (!TOKEN_PATTERN.test(options.token)) throw invalid;
  const now = nowIso(ctx);
  return withTransaction(ctx.database, async (tx) => {
    const ownerId = await spendTelegramLinkToken(tx, hashSecret(options.token), now);
    if (!ownerId) throw invalid;
    const owner = await findOwner(tx, ownerId);
    // A token's owner row outlives it (deleting an owner is not a thing the relay does).
    if (!owner) throw invalid;
    const actor: Actor = { type: 'owner', id: owner.id, label: options.label, channel: 'telegram' };
    const newlyLinked = await linkTelegramUserInTx(ctx, tx, {
      ownerId: owner.id,
      telegramUserId: options.telegramUserId,
      chatId: options.chatId,
      actor,
    });
    return { owner, newlyLinked };
  });
}
