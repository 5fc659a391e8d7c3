import {
  AgentId,
  EXAMPLE_IDS,
  type OtpStatus,
  type PermissionStatus,
  Timestamp,
} from '@orrisai/agent-otp-contract';
import { z } from 'zod';

// The owner's activity over the last days (issue 15, "Activity charts"): requests per UTC day
// and agent by outcome, how long decisions take, how long codes take after approval, and how
// often requests expire or are denied.

/** Most days one activity query covers: 90 days of one owner's rows stay a bounded read. */
export const ACTIVITY_MAX_DAYS = 90;
export const ACTIVITY_DEFAULT_DAYS = 14;

/**
 * What became of a request, across both kinds. `approved` covers every status after an
 * approval that the request reached without ending otherwise (an OTP request waiting for its
 * code, one whose code arrived or was read, a permission whose token is live or used up).
 */
export const ACTIVITY_OUTCOMES = ['approved', 'denied', 'expired', 'cancelled', 'pending'] as const;
export type ActivityOutcome = (typeof ACTIVITY_OUTCOMES)[number];

const OUTCOME_OF_STATUS: Record<OtpStatus | PermissionStatus, ActivityOutcome> = {
  pending_approval: 'pending',
  approved: 'approved',
  otp_received: 'approved',
  consumed: 'approved',
  used: 'approved',
  denied: 'denied',
  expired: 'expired',
  cancelled: 'cancelled',
};

/**
 * The outcome a stored status counts under.
 *
 * @example
 * activityOutcomeOf('otp_received'); // 'approved'
 */
export function activityOutcomeOf(status: OtpStatus | PermissionStatus): ActivityOutcome {
  return OUTCOME_OF_STATUS[status];
}

/** `GET /api/v1/activity`. */
export const ActivityQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(ACTIVITY_MAX_DAYS)
    .default(ACTIVITY_DEFAULT_DAYS)
    .meta({
      description: `How many UTC days, today included (1 to ${ACTIVITY_MAX_DAYS}).`,
      example: ACTIVITY_DEFAULT_DAYS,
    }),
  agentId: AgentId.optional().meta({
    description: 'Only this agent’s requests (the counts and every figure).',
    example: EXAMPLE_IDS.agent,
  }),
});
export type ActivityQuery = z.input<typeof ActivityQuery>;

const Count = z.number().int().min(0);

export const ActivityOutcomeCounts = z
  .object({
    approved: Count,
    denied: Count,
    expired: Count,
    cancelled: Count,
    pending: Count,
  })
  .meta({ id: 'ActivityOutcomeCounts', description: 'Requests by what became of them.' });
export type ActivityOutcomeCounts = z.infer<typeof ActivityOutcomeCounts>;

/** One UTC day of one agent's requests of one kind. */
export const ActivityDay = z
  .object({
    date: z.iso
      .date()
      .meta({ description: 'The UTC day the requests were created on.', example: '2026-11-22' }),
    agentId: AgentId,
    kind: z.enum(['otp', 'permission']),
    outcomes: ActivityOutcomeCounts,
  })
  .meta({ id: 'ActivityDay' });
export type ActivityDay = z.infer<typeof ActivityDay>;

const Milliseconds = z.number().int().min(0).nullable();

/** Median and 90th percentile of a duration (nearest rank), null when nothing was measured. */
export const ActivityDuration = z
  .object({
    count: Count.meta({ description: 'How many requests the figures were measured over.' }),
    medianMs: Milliseconds,
    p90Ms: Milliseconds,
  })
  .meta({ id: 'ActivityDuration' });
export type ActivityDuration = z.infer<typeof ActivityDuration>;

const Rate = z.number().min(0).max(1).nullable();

export const ActivitySummary = z
  .object({
    requests: Count.meta({ description: 'Requests created in the range.' }),
    outcomes: ActivityOutcomeCounts,
    timeToDecide: ActivityDuration.meta({
      description:
        'From creation to the owner’s approval or denial (any channel). Decisions made by a policy or a test key are left out: they take no time and would hide how long the owner takes.',
    }),
    approvalToCode: ActivityDuration.meta({
      description:
        'OTP requests only: from approval to the code reaching the relay; 0 when the code had arrived before the approval and was held for it.',
    }),
    expiryRate: Rate.meta({
      description: 'Expired requests over requests no longer pending; null when none has ended.',
    }),
    denialRate: Rate.meta({
      description: 'Denied requests over requests no longer pending; null when none has ended.',
    }),
    durationsSampled: z.boolean().meta({
      description:
        'True when the range held more decided requests than the relay measures at once: the durations are then those of the newest ones (the counts and rates stay exact).',
    }),
  })
  .meta({ id: 'ActivitySummary' });
export type ActivitySummary = z.infer<typeof ActivitySummary>;

export const Activity = z
  .object({
    from: Timestamp.meta({ description: 'Start of the first day (00:00 UTC), inclusive.' }),
    until: Timestamp.meta({ description: 'End of today (00:00 UTC tomorrow), exclusive.' }),
    dates: z.array(z.iso.date()).meta({ description: 'Every day of the range, oldest first.' }),
    agents: z
      .array(z.object({ id: AgentId, name: z.string() }))
      .meta({ description: 'The agents named in `daily`.' }),
    daily: z.array(ActivityDay).meta({ description: 'Only the days, agents and kinds that had requests.' }),
    summary: ActivitySummary,
  })
  .meta({
    id: 'Activity',
    example: {
      from: '2026-11-21T00:00:00.000Z',
      until: '2026-11-23T00:00:00.000Z',
      dates: ['2026-11-21', '2026-11-22'],
      agents: [{ id: EXAMPLE_IDS.agent, name: 'my-assistant' }],
      daily: [
        {
          date: '2026-11-21',
          agentId: EXAMPLE_IDS.agent,
          kind: 'otp',
          outcomes: { approved: 3, denied: 1, expired: 1, cancelled: 0, pending: 0 },
        },
        {
          date: '2026-11-22',
          agentId: EXAMPLE_IDS.agent,
          kind: 'permission',
          outcomes: { approved: 2, denied: 0, expired: 0, cancelled: 0, pending: 1 },
        },
      ],
      summary: {
        requests: 8,
        outcomes: { approved: 5, denied: 1, expired: 1, cancelled: 0, pending: 1 },
        timeToDecide: { count: 6, medianMs: 42_000, p90Ms: 180_000 },
        approvalToCode: { count: 3, medianMs: 9_000, p90Ms: 21_000 },
        expiryRate: 1 / 7,
        denialRate: 1 / 7,
        durationsSampled: false,
      },
    },
  });
export type Activity = z.infer<typeof Activity>;
