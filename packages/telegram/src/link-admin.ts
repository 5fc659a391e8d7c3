import { type CoreContext, ensureDefaultOwner, linkTelegramUser, SYSTEM_ACTOR } from '@agent-otp/core';
import { AppError } from '@agent-otp/shared';
import type { BotLogger } from './logger.js';

/**
 * Links `TELEGRAM_ADMIN_ID` to the default owner (single-owner installs, as the seed's
 * setup describes). In a private chat the chat id is the user id, so the bot can write
 * first once the admin has pressed Start. With several owners there is no default: each
 * links with a deep link instead.
 */
export async function linkAdmin(ctx: CoreContext, logger: BotLogger, adminId: number): Promise<void> {
  try {
    const owner = await ensureDefaultOwner(ctx);
    const linked = await linkTelegramUser(ctx, {
      ownerId: owner.id,
      telegramUserId: adminId,
      chatId: adminId,
      actor: SYSTEM_ACTOR,
    });
    if (linked) logger.info({ telegramUserId: adminId, ownerId: owner.id }, 'telegram: admin linked');
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONFLICT') {
      logger.warn(
        { telegramUserId: adminId },
        'telegram: TELEGRAM_ADMIN_ID ignored because several owners exist; link with agent-otp telegram:link --user EMAIL',
      );
      return;
    }
    throw error;
  }
}
