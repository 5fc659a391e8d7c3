import { alwaysAllowAsTelegramUser, type CoreContext } from '@agent-otp/core';
import { describeCondition } from '@agent-otp/shared';
import type { Bot } from 'grammy';
import {
  ALWAYS_ALLOW_CALLBACK_PATTERN,
  alwaysAllowConfirmKeyboard,
  parseAlwaysAllowCallbackData,
} from './always-allow-callback-data.js';
import { describeApiError } from './bot-api-errors.js';
import { escapeHtml, truncate, userText } from './html.js';
import type { BotLogger } from './logger.js';

const NOT_AUTHORISED =
  'Sorry, you cannot make rules for this request: only Telegram accounts linked to its owner can.';
const HIGH_RISK =
  'This request is high risk: a rule that approves such requests without asking is made in the dashboard, where you can read and edit it first.';

/**
 * Handles "♾ Always allow like this…" under a request: the first press replies with the
 * policy it would create (name, agent, every condition) and ✅ Save / Cancel; only "Save"
 * stores it, audited as the owner through Telegram, and the confirmation then says what was
 * saved. The request itself is not decided by any of this. High-risk requests are refused
 * (their rule is made in the dashboard). Registered before the approve/deny buttons.
 */
export function registerAlwaysAllowButtons(bot: Bot, deps: { ctx: CoreContext; logger: BotLogger }): void {
  bot.callbackQuery(ALWAYS_ALLOW_CALLBACK_PATTERN, async (tg) => {
    const answer = (text: string, alert = false) =>
      tg.answerCallbackQuery({ text: truncate(text, 200), show_alert: alert }).catch((error: unknown) => {
        deps.logger.warn(describeApiError(error), 'telegram: could not answer a button press');
      });
    const parsed = parseAlwaysAllowCallbackData(tg.callbackQuery.data);
    const chatId = tg.callbackQuery.message?.chat.id;
    const messageId = tg.callbackQuery.message?.message_id;
    if (!parsed || chatId === undefined || messageId === undefined) {
      await answer('This button is not valid any more.');
      return;
    }
    const from = tg.callbackQuery.from;
    if (parsed.step === 'cancel') {
      await answer('Not saved.');
      await tg.api
        .editMessageText(chatId, messageId, '♾ No policy was saved.', { parse_mode: 'HTML' })
        .catch((error: unknown) => deps.logger.warn(describeApiError(error), 'telegram: could not edit'));
      return;
    }
    const result = await alwaysAllowAsTelegramUser(deps.ctx, {
      requestId: parsed.requestId,
      user: { id: from.id, username: from.username, firstName: from.first_name },
      confirm: parsed.step === 'confirm',
    });
    switch (result.outcome) {
      case 'not_authorised':
        deps.logger.warn(
          { telegramUserId: from.id, requestId: parsed.requestId },
          'telegram: refused an always-allow press from an unlinked user',
        );
        await answer(NOT_AUTHORISED, true);
        return;
      case 'high_risk':
        await answer(HIGH_RISK, true);
        return;
      case 'draft': {
        await answer('Check the policy, then save it.');
        const conditions = Object.entries(result.draft.conditions).map(
          ([path, operators]) => `• ${userText(describeCondition(path, operators), 300)}`,
        );
        const html = [
          `♾ <b>Always allow like this?</b>`,
          `The policy “${userText(result.draft.name, 200)}” would approve at once, without asking you, every ${result.subject.kind === 'otp' ? 'code request' : 'permission request'} of ${userText(result.subject.agent.name, 100)} where:`,
          ...conditions,
          '',
          `<i>Request <code>${escapeHtml(result.subject.id)}</code> itself still waits for your Approve or Deny. For other conditions, use “Always allow like this” in the dashboard.</i>`,
        ].join('\n');
        await tg.api
          .sendMessage(chatId, html, {
            parse_mode: 'HTML',
            reply_markup: alwaysAllowConfirmKeyboard(result.subject.id),
            reply_parameters: { message_id: messageId, allow_sending_without_reply: true },
          })
          .catch((error: unknown) => deps.logger.warn(describeApiError(error), 'telegram: could not send'));
        return;
      }
      case 'saved':
        deps.logger.info(
          { requestId: result.subject.id, policyId: result.policy.id, telegramUserId: from.id },
          'telegram: policy saved from a request',
        );
        await answer('✅ Policy saved');
        await tg.api
          .editMessageText(
            chatId,
            messageId,
            `✅ Policy “${userText(result.policy.name, 200)}” saved (<code>${escapeHtml(result.policy.id)}</code>): the next request like this one is approved at once.`,
            { parse_mode: 'HTML' },
          )
          .catch((error: unknown) => deps.logger.warn(describeApiError(error), 'telegram: could not edit'));
        return;
    }
  });
}
