import { type AlwaysAllowDraft, alwaysAllowDraft, type Policy, PolicyDefinition } from '@agent-otp/shared';
import type { DecisionSubject } from '../approvals/decisions.js';
import type { CoreContext } from '../context.js';
import { createPolicy } from '../policies/manage-policies.js';
import {
  findSubjectForTelegramUser,
  type TelegramIdentity,
  telegramActor,
} from './decide-as-telegram-user.js';

/** What "Always allow like this" in Telegram found or did; every outcome is a value, never an exception. */
export type TelegramAlwaysAllowResult =
  /** The user is not linked to the owner of this request (or it does not exist): nothing changed. */
  | { outcome: 'not_authorised' }
  /**
   * A high-risk request: a rule that approves such requests unasked is made in the dashboard,
   * where the draft can be read in full and edited, never with one tap.
   */
  | { outcome: 'high_risk'; subject: DecisionSubject }
  /** The policy the owner is asked to confirm (nothing stored yet). */
  | { outcome: 'draft'; subject: DecisionSubject; draft: AlwaysAllowDraft }
  /** Stored (and audited) after the owner's confirmation. */
  | { outcome: 'saved'; subject: DecisionSubject; policy: Policy };

/**
 * "Always allow like this" for a linked Telegram user, in two steps: `confirm: false` drafts
 * the policy from the request (the same draft the dashboard offers) for the owner to read;
 * `confirm: true` stores it, audited as the owner through Telegram. The draft is rebuilt from
 * the stored request at each step, so nothing in the callback data shapes the policy.
 *
 * @example
 * const result = await alwaysAllowAsTelegramUser(ctx, { requestId, user, confirm: false });
 */
export async function alwaysAllowAsTelegramUser(
  ctx: CoreContext,
  options: { requestId: string; user: TelegramIdentity; confirm: boolean },
): Promise<TelegramAlwaysAllowResult> {
  const found = await findSubjectForTelegramUser(ctx, options.user.id, options.requestId);
  if (!found) return { outcome: 'not_authorised' };
  const { owner, subject } = found;
  if (subject.risk?.level === 'high') return { outcome: 'high_risk', subject };
  const draft = alwaysAllowDraft(subject);
  if (!options.confirm) return { outcome: 'draft', subject, draft };
  const { agentId, ...definition } = draft;
  const policy = await createPolicy(ctx, {
    ownerId: owner.id,
    agentId,
    definition: PolicyDefinition.parse(definition),
    actor: telegramActor(owner, options.user),
  });
  return { outcome: 'saved', subject, policy };
}
