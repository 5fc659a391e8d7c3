import type { DecisionChannel, OtpRequest } from '@agent-otp/shared';

type Decision = NonNullable<OtpRequest['decision']>;

/**
 * A request row's recorded decision as the API shows it, or null while undecided. Both kinds
 * store the same four columns.
 *
 * @example
 * const decision = decisionOf(row); // { outcome: 'approved', by: 'owner@example.com', channel: 'web', at }
 */
export function decisionOf(row: {
  decision: 'approved' | 'denied' | null;
  decided_by: string | null;
  decision_channel: string | null;
  decided_at: string | null;
}): Decision | null {
  if (!row.decision || !row.decided_by || !row.decided_at) return null;
  return {
    outcome: row.decision,
    by: row.decided_by,
    channel: (row.decision_channel ?? 'system') as DecisionChannel,
    at: row.decided_at,
  };
}

/**
 * `{ denialReason }` for a denied request whose owner said why, or nothing: the field is
 * absent (not null) otherwise, so agents test for it rather than for a sentinel. Spread into
 * the agent's view of either kind.
 *
 * @example
 * const view = { ...otherFields, ...denialReasonOf(row) }; // { denialReason: 'Use staging' }
 */
export function denialReasonOf(row: { status: string; denial_reason: string | null }): {
  denialReason?: string;
} {
  return row.status === 'denied' && row.denial_reason !== null ? { denialReason: row.denial_reason } : {};
}

/**
 * The audit details of a denial: the owner's reason when they gave one. It is their own
 * words to the agent, not a secret, and the audit log is where "why was this refused"
 * is looked up later.
 *
 * @example
 * denialAuditDetails({ denial_reason: 'Use staging' }); // { reason: 'Use staging' }
 */
export function denialAuditDetails(row: { denial_reason: string | null }): { reason?: string } {
  return row.denial_reason === null ? {} : { reason: row.denial_reason };
}

/**
 * The details of an `OTP_DENIED` error: `{ denialReason }` when the owner gave one, else
 * none, so an agent that learns of the denial from a refused consume or use learns why too.
 *
 * @example
 * new AppError('OTP_DENIED', message, denialDetails(row)); // details: { denialReason: 'Use staging' }
 */
export function denialDetails(row: { status: string; denial_reason: string | null }) {
  const reason = denialReasonOf(row);
  return reason.denialReason === undefined ? undefined : reason;
}
