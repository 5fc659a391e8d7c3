import {
  AgentId,
  EXAMPLE_IDS,
  OTP_STATUSES,
  PageQuery,
  PERMISSION_STATUSES,
  RiskLevel,
  Timestamp,
} from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import { OWNER_OTP_REQUEST_EXAMPLE, OWNER_PERMISSION_REQUEST_EXAMPLE } from './examples.js';
import { OwnerOtpRequest } from './owner.js';
import { OwnerPermissionRequest } from './owner-permissions.js';

// The owner's one history of both kinds of request (issue 15, "One history"), and the
// timeline of one request built from its audit rows.

const REQUEST_KINDS = ['otp', 'permission'] as const;
const ANY_STATUS = [...new Set<string>([...OTP_STATUSES, ...PERMISSION_STATUSES])] as [string, ...string[]];

/** `GET /api/v1/requests`: one page of the owner's requests of one kind or both, filtered. */
export const OwnerRequestHistoryQuery = PageQuery.extend({
  kind: z
    .enum([...REQUEST_KINDS, 'all'])
    .default('otp')
    .meta({
      description:
        '`otp` (the default, as before this filter existed), `permission`, or `all`: both kinds merged newest first.',
      example: 'all',
    }),
  status: z.enum(ANY_STATUS).optional().meta({
    description: 'A status of the kind asked for (`used` exists only for permissions).',
    example: 'approved',
  }),
  agentId: AgentId.optional(),
  since: Timestamp.optional().meta({
    description: 'Only requests created at or after this instant.',
    example: '2026-11-01T00:00:00.000Z',
  }),
  risk: RiskLevel.optional().meta({
    description: 'Only requests assessed at this risk level when they were created.',
    example: 'high',
  }),
  until: Timestamp.optional().meta({
    description: 'Only requests created before this instant.',
    example: '2026-12-01T00:00:00.000Z',
  }),
}).superRefine((query, ctx) => {
  if (query.since && query.until && query.until <= query.since)
    ctx.addIssue({ code: 'custom', path: ['until'], message: 'until must be after since' });
  if (query.status === undefined || query.kind === 'all') return;
  const statuses: readonly string[] = query.kind === 'otp' ? OTP_STATUSES : PERMISSION_STATUSES;
  if (!statuses.includes(query.status))
    ctx.addIssue({
      code: 'custom',
      path: ['status'],
      message: `${query.status} is not a status of ${query.kind === 'otp' ? 'an OTP' : 'a permission'} request`,
    });
});
export type OwnerRequestHistoryQuery = z.input<typeof OwnerRequestHistoryQuery>;

/** One entry of the owner's history: an OTP or a permission request, told apart by `kind`. */
export const OwnerRequestEntry = z
  .discriminatedUnion('kind', [
    OwnerOtpRequest.extend({ kind: z.literal('otp') }),
    OwnerPermissionRequest.extend({ kind: z.literal('permission') }),
  ])
  .meta({ id: 'OwnerRequestEntry' });
export type OwnerRequestEntry = z.infer<typeof OwnerRequestEntry>;

/** One page of the owner's history, newest first. */
export const OwnerRequestList = z
  .object({
    requests: z.array(OwnerRequestEntry),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({
    id: 'OwnerRequestList',
    example: {
      requests: [
        { ...OWNER_PERMISSION_REQUEST_EXAMPLE, kind: 'permission' },
        { ...OWNER_OTP_REQUEST_EXAMPLE, kind: 'otp' },
      ],
      nextCursor: null,
    },
  });
export type OwnerRequestList = z.infer<typeof OwnerRequestList>;

/** One step of a request's life, from one audit row. */
export const TimelineStep = z
  .object({
    at: Timestamp,
    action: z.string().meta({ description: 'The audit action (`otp.approved`, `permission.used`, …).' }),
    title: z.string().meta({ description: 'What happened, in a few words.' }),
    detail: z
      .string()
      .nullable()
      .meta({ description: 'The facts that go with it, in words (never a code or token).' }),
    actor: z.object({
      type: z.enum(['owner', 'agent', 'source', 'system', 'policy']),
      id: z.string().nullable(),
      label: z
        .string()
        .nullable()
        .meta({ description: 'An owner’s email, an agent’s, source’s or policy’s name.' }),
      channel: z.string().nullable(),
    }),
    auditId: z.string().meta({ description: 'The audit event this step comes from.' }),
  })
  .meta({ id: 'TimelineStep' });
export type TimelineStep = z.infer<typeof TimelineStep>;

/** `GET /api/v1/requests/{id}/timeline`. */
export const RequestTimeline = z
  .object({
    request: OwnerRequestEntry,
    steps: z.array(TimelineStep).meta({ description: 'Oldest first.' }),
  })
  .meta({
    id: 'RequestTimeline',
    example: {
      request: { ...OWNER_PERMISSION_REQUEST_EXAMPLE, kind: 'permission' },
      steps: [
        {
          at: '2026-11-22T13:05:00.000Z',
          action: 'permission.requested',
          title: 'Requested',
          detail:
            'gmail.send on email:client@example.com; scope {"max_emails":1,"subject_pattern":"^Invoice"}',
          actor: {
            type: 'agent',
            id: OWNER_OTP_REQUEST_EXAMPLE.agent.id,
            label: 'my-assistant',
            channel: 'api',
          },
          auditId: 'evt_01JD2WB4P0R3T6W9Y2A5C8E1G4',
        },
        {
          at: '2026-11-22T13:05:20.000Z',
          action: 'permission.approved',
          title: 'Approved by owner@example.com',
          detail: 'on the dashboard',
          actor: { type: 'owner', id: EXAMPLE_IDS.owner, label: 'owner@example.com', channel: 'dashboard' },
          auditId: 'evt_01JD2WB5Q1S4V7X0Z3B6D9F2H5',
        },
      ],
    },
  });
export type RequestTimeline = z.infer<typeof RequestTimeline>;
