import type { DecisionSubjectResponse as DecisionSubject, PasskeyAssertion } from '@agent-otp/shared';
import { operations } from './operations.js';

/** What the owner decided on one request, as the card holds it until the undo window ends. */
export type PendingDecision =
  | { outcome: 'approve'; passkey?: PasskeyAssertion }
  | { outcome: 'deny'; reason?: string };

/**
 * Sends one decision to the relay: the only place the dashboard decides, so a step-up (a
 * passkey for high-risk approvals) can wrap it without touching the cards.
 *
 * @example
 * const decided = await sendDecision(subject, { outcome: 'deny', reason: 'Use staging' });
 */
export async function sendDecision(
  subject: DecisionSubject,
  decision: PendingDecision,
): Promise<DecisionSubject> {
  if (decision.outcome === 'deny' && decision.reason !== undefined)
    return operations.denyApproval(subject.id, { reason: decision.reason });
  // A high-risk approval carries the passkey assertion the card asked for at the tap.
  if (decision.outcome === 'approve' && decision.passkey)
    return operations.approveWithPasskey(subject.id, decision.passkey);
  return operations.decideApproval(subject.id, decision.outcome);
}
