import { type CoreContext, type DecisionSubject, decideAsTelegramUser } from '@agent-otp/core';
import type { Bot } from 'grammy';
import { describeApiError } from './bot-api-errors.js';
import { parseDecisionCallbackData } from './callback-data.js';
import { formatTime, truncate } from './html.js';
import type { BotLogger } from './logger.js';
import type { RequestSynchroniser } from './request-sync.js';

/** Telegram shows at most 200 characters in a callback answer. */
const MAX_ANSWER = 200;

const NOT_AUTHORISED =
  'Sorry, you cannot decide on this request: only Telegram accounts linked to its owner can.';

/** The answer to a late press: how the request stands now (plain text, not HTML). */
export function describeOutcome(subject: DecisionSubject): string {
  const decision = subject.decision;
  if (decision) {
    const verb = decision.outcome === 'approved' ? 'Already approved' : 'Already denied';
    return truncate(
      `${verb} by ${decision.by} via ${decision.channel} at ${formatTime(decision.at)}.`,
      MAX_ANSWER,
    );
  }
  if (subject.status === 'expired') return `This request expired at ${formatTime(subject.expiresAt)}.`;
  if (subject.status === 'cancelled')
    return 'This request was cancelled: withdrawn by the agent, ended by you (cancel or revoke), or the agent was revoked.';
  return `This request is ${subject.status}.`;
}

/**
 * Handles ✅ Approve / ❌ Deny presses. Only a Telegram user linked to the request's owner
 * can decide; anyone else is told so and nothing changes. The first decision wins through
 * any channel; every message about the request is then edited by the synchroniser.
 */
export function registerDecisionButtons(
  bot: Bot,
  deps: { ctx: CoreContext; logger: BotLogger; sync: RequestSynchroniser },
): void {
  bot.on('callback_query:data', async (tg) => {
    const answer = (text: string, alert = false) =>
      tg.answerCallbackQuery({ text, show_alert: alert }).catch((error: unknown) => {
        deps.logger.warn(describeApiError(error), 'telegram: could not answer a button press');
      });
    const parsed = parseDecisionCallbackData(tg.callbackQuery.data);
    if (!parsed) {
      await answer('This button is not valid any more.');
      return;
    }
    const from = tg.callbackQuery.from;
    const result = await decideAsTelegramUser(deps.ctx, {
      requestId: parsed.requestId,
      user: { id: from.id, username: from.username, firstName: from.first_name },
      outcome: parsed.outcome,
    });
    switch (result.outcome) {
      case 'not_authorised':
        deps.logger.warn(
          { telegramUserId: from.id, requestId: parsed.requestId },
          'telegram: refused a button press from an unlinked user',
        );
        await answer(NOT_AUTHORISED, true);
        return;
      case 'already_closed':
        await answer(describeOutcome(result.subject), true);
        await deps.sync.sync(result.subject.ownerId, result.subject.id, { announce: false });
        return;
      case 'needs_dashboard':
        await answer(
          '🔐 High risk: approve it in the dashboard with your passkey. You can deny it here.',
          true,
        );
        await deps.sync.sync(result.subject.ownerId, result.subject.id, { announce: false });
        return;
      case 'decided':
        deps.logger.info(
          { requestId: result.subject.id, outcome: parsed.outcome, telegramUserId: from.id },
          'telegram: request decided',
        );
        await answer(parsed.outcome === 'approved' ? '✅ Approved' : '❌ Denied');
        await deps.sync.sync(result.subject.ownerId, result.subject.id, { announce: false });
        return;
    }
  });
}
