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
