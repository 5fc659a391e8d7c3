import { AppError, httpStatusForError } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { type TelegramIdentity, telegramActor } from '../telegram-links/decide-as-telegram-user.js';
import { findOwnersOfTelegramUser } from '../telegram-links/telegram-links.js';
import { assignHeldMessage } from './assign-held-message.js';
import { discardHeldMessage } from './discard-held-message.js';
import { getHeldMessage, type HeldMessageView } from './get-held-message.js';

/** What a press on a held message's button achieved; every outcome is a value, never an exception. */
export type TelegramHeldResult =
  | { outcome: 'not_authorised' }
  | { outcome: 'done'; view: HeldMessageView }
  /** Someone acted first, it expired, or the chosen request can no longer take a code. */
  | { outcome: 'refused'; view: HeldMessageView; reason: string };

/**
 * Assigns (`requestId`) or discards (`discard`) a held message for a linked Telegram user.
 * Tenancy is enforced by looking the message up per linked owner, so another owner's is
 * simply absent.
 *
 * @example
 * await actOnHeldAsTelegramUser(ctx, { heldId, user: { id: 4242 }, action: { assign: 'otp_01J…' } });
 */
export async function actOnHeldAsTelegramUser(
  ctx: CoreContext,
  options: { heldId: string; user: TelegramIdentity; action: { assign: string } | 'discard' },
): Promise<TelegramHeldResult> {
  for (const owner of await findOwnersOfTelegramUser(ctx, options.user.id)) {
    const view = await getHeldMessage(ctx, owner.id, options.heldId);
    if (!view) continue;
    const actor = telegramActor(owner, options.user);
    try {
      if (options.action === 'discard')
        await discardHeldMessage(ctx, { ownerId: owner.id, id: view.id, actor });
      else
        await assignHeldMessage(ctx, {
          ownerId: owner.id,
          id: view.id,
          requestId: options.action.assign,
          actor,
        });
    } catch (error) {
      const status = error instanceof AppError ? httpStatusForError(error.code) : 0;
      if (status !== 404 && status !== 409 && status !== 410) throw error;
      const now = (await getHeldMessage(ctx, owner.id, view.id)) ?? view;
      return { outcome: 'refused', view: now, reason: (error as AppError).message };
    }
    return { outcome: 'done', view: (await getHeldMessage(ctx, owner.id, view.id)) ?? view };
  }
  return { outcome: 'not_authorised' };
}
