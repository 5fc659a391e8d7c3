import type { DecisionSubjectResponse as DecisionSubject } from '@agent-otp/shared';
import { operations } from './operations.js';

/** What the owner decided on one request, as the card holds it until the undo window ends. */
export type PendingDecision = { outcome: 'approve' } | { outcome: 'deny'; reason?: string };

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
  return operations.decideApproval(subject.id, decision.outcome);
}
