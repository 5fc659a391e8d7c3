import { AppError, httpStatusForError, toStorableText } from '@agent-otp/shared';
import { type DecisionSubject, decideRequest, getDecisionSubject } from '../approvals/decisions.js';
import type { Actor } from '../audit/actor.js';
import type { CoreContext } from '../context.js';
import type { Owner } from '../owners/owners.js';
import { findOwnersOfTelegramUser } from './telegram-links.js';

/** The Telegram account behind a command or a button press, as Telegram reports it. */
export interface TelegramIdentity {
  id: number;
  username?: string | undefined;
  firstName?: string | undefined;
}

/** What a button press achieved; every outcome is an expected value, never an exception. */
export type TelegramDecisionResult =
  /** The user is not linked to the owner of this request (or it does not exist): nothing changed. */
  | { outcome: 'not_authorised' }
  /** This press decided the request. */
  | { outcome: 'decided'; subject: DecisionSubject }
  /** Someone decided first, or the request expired or was cancelled: nothing changed. */
  | { outcome: 'already_closed'; subject: DecisionSubject }
  /** An approval of a high-risk request: it needs a passkey, in the dashboard; nothing changed. */
  | { outcome: 'needs_dashboard'; subject: DecisionSubject };

/**
 * The audit label for a decision made in Telegram: the owner, and which Telegram account
 * pressed the button (an owner may link several).
 */
export function telegramActor(owner: Owner, user: TelegramIdentity): Actor {
  // The username is third-party text headed for a text column: nothing PostgreSQL would refuse.
  const account = user.username ? `@${toStorableText(user.username)}` : `id ${user.id}`;
  return { type: 'owner', id: owner.id, label: `${owner.email} (Telegram ${account})`, channel: 'telegram' };
}

/**
 * The request `requestId` if the Telegram user is linked to its owner. Tenancy is enforced
 * by looking the request up per linked owner, so another owner's request is simply absent.
 *
 * @example
 * const found = await findSubjectForTelegramUser(ctx, from.id, 'otp_01J…');
 */
export async function findSubjectForTelegramUser(
  ctx: CoreContext,
  telegramUserId: number,
  requestId: string,
): Promise<{ owner: Owner; subject: DecisionSubject } | undefined> {
  for (const owner of await findOwnersOfTelegramUser(ctx, telegramUserId)) {
    const subject = await getDecisionSubject(ctx, owner.id, requestId);
    if (subject) return { owner, subject };
  }
  return undefined;
}

/**
 * Approves or denies a request on behalf of a linked Telegram user. The first decision
 * wins through whatever channel; a late press changes nothing and reports the outcome.
 *
 * @example
 * const result = await decideAsTelegramUser(ctx, { requestId, user: { id: 4242, username: 'alice' }, outcome: 'approved' });
 */
export async function decideAsTelegramUser(
  ctx: CoreContext,
  options: { requestId: string; user: TelegramIdentity; outcome: 'approved' | 'denied' },
): Promise<TelegramDecisionResult> {
  const found = await findSubjectForTelegramUser(ctx, options.user.id, options.requestId);
  if (!found) return { outcome: 'not_authorised' };
  if (!found.subject.pending) return { outcome: 'already_closed', subject: found.subject };
  // Telegram cannot ask for a passkey; its high-risk messages carry no Approve button, so this
  // is a stale or forged press. Denying needs no step-up.
  if (options.outcome === 'approved' && found.subject.risk?.level === 'high')
    return { outcome: 'needs_dashboard', subject: found.subject };
  try {
    const subject = await decideRequest(ctx, {
      id: options.requestId,
      ownerId: found.owner.id,
      outcome: options.outcome,
      actor: telegramActor(found.owner, options.user),
    });
    return { outcome: 'decided', subject };
  } catch (error) {
    // Lost a race (another channel decided, the sweeper expired it): report how it stands.
    const status = error instanceof AppError ? httpStatusForError(error.code) : 0;
    if (status !== 409 && status !== 410) throw error;
    const subject = await getDecisionSubject(ctx, found.owner.id, options.requestId);
    if (!subject || subject.pending) throw error;
    return { outcome: 'already_closed', subject };
  }
}
