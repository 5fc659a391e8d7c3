import { actOnHeldAsTelegramUser, type CoreContext } from '@agent-otp/core';
import type { Bot } from 'grammy';
import { describeApiError } from './bot-api-errors.js';
import { HELD_CALLBACK_PATTERN, parseHeldCallbackData } from './held-callback-data.js';
import { truncate } from './html.js';
import type { BotLogger } from './logger.js';
import type { RequestSynchroniser } from './request-sync.js';

const NOT_AUTHORISED =
  'Sorry, you cannot act on this message: only Telegram accounts linked to its owner can.';

/**
 * Handles the buttons under a held message: "Give to <agent>" assigns it to that request,
 * "Discard" throws it away. Only a Telegram user linked to the message's owner can act; the
 * first action through any channel wins and every message about it is then edited.
 * Registered before the approve/deny buttons, whose callback data it never matches.
 */
export function registerHeldButtons(
  bot: Bot,
  deps: { ctx: CoreContext; logger: BotLogger; sync: RequestSynchroniser },
): void {
  bot.callbackQuery(HELD_CALLBACK_PATTERN, async (tg) => {
    const answer = (text: string, alert = false) =>
      tg.answerCallbackQuery({ text: truncate(text, 200), show_alert: alert }).catch((error: unknown) => {
        deps.logger.warn(describeApiError(error), 'telegram: could not answer a button press');
      });
    const parsed = parseHeldCallbackData(tg.callbackQuery.data);
    if (!parsed) {
      await answer('This button is not valid any more.');
      return;
    }
    const from = tg.callbackQuery.from;
    const result = await actOnHeldAsTelegramUser(deps.ctx, {
      heldId: parsed.heldId,
      user: { id: from.id, username: from.username, firstName: from.first_name },
      action: parsed.action,
    });
    if (result.outcome === 'not_authorised') {
      deps.logger.warn(
        { telegramUserId: from.id, heldMessageId: parsed.heldId },
        'telegram: refused a button press from an unlinked user',
      );
      await answer(NOT_AUTHORISED, true);
      return;
    }
    if (result.outcome === 'refused') await answer(result.reason, true);
    else {
      deps.logger.info(
        { heldMessageId: parsed.heldId, status: result.view.status, telegramUserId: from.id },
        'telegram: held message handled',
      );
      await answer(
        result.view.status === 'assigned'
          ? `📨 Given to ${result.view.assignedTo?.agentName}`
          : '🗑 Discarded',
      );
    }
    await deps.sync.sync(result.view.ownerId, result.view.id, { announce: false });
  });
}
