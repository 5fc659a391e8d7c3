import {
  AgentId,
  CaptureSourceKindSchema,
  OtpRequest,
  PageQuery,
  RiskAssessment,
  Timestamp,
} from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import {
  AGENT_EXAMPLE,
  AGENT_LIST_EXAMPLE,
  AGENT_WITH_KEY_EXAMPLE,
  AUDIT_EVENT_LIST_EXAMPLE,
  AUDIT_VERIFICATION_EXAMPLE,
  CREATE_AGENT_EXAMPLE,
  OWNER_CAPTURE_EXAMPLE,
  OWNER_OTP_REQUEST_EXAMPLE,
  POLICY_REMOVED_EXAMPLE,
  SIGNED_OUT_EXAMPLE,
} from './examples.js';
import { UnclearMessage } from './unclear-messages.js';

/** A request as its owner sees it: with the agent it came from. */
export const OwnerOtpRequest = OtpRequest.extend({
  agent: z.object({ id: z.string(), name: z.string() }),
  unclearMessages: z.array(UnclearMessage).meta({
    description:
      'Messages that matched this request but held no clear code, oldest first (at most a few): sender and time, never text or code.',
  }),
  risk: RiskAssessment.nullable().meta({
    description:
      'Assessed when the request was created and never changed; null on requests from before risk was assessed.',
  }),
}).meta({ id: 'OwnerOtpRequest', example: OWNER_OTP_REQUEST_EXAMPLE });
export type OwnerOtpRequest = z.infer<typeof OwnerOtpRequest>;

export const Agent = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: Timestamp,
    revokedAt: Timestamp.nullable(),
    keys: z.array(
      z.object({
        id: z.string(),
        prefix: z.string().meta({ description: 'The first characters of the key, for recognising it.' }),
        environment: z.enum(['live', 'test']),
        createdAt: Timestamp,
        revokedAt: Timestamp.nullable(),
        lastUsedAt: Timestamp.nullable(),
      }),
    ),
  })
  .meta({ id: 'Agent', example: AGENT_EXAMPLE });
export type Agent = z.infer<typeof Agent>;

export const CreateAgentBody = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1, 'name is required')
      .max(100)
      .regex(/^[\p{L}\p{N} ._-]+$/u, 'name may contain letters, digits, spaces, dots, dashes and underscores')
      // The document gets the pattern without the JavaScript flag (the generator appends `/u`, which no name matches).
      .meta({ pattern: '^[\\p{L}\\p{N} ._-]+$' }),
    test: z
      .boolean()
      .optional()
      .meta({ description: 'Issue an `ak_test_` key: auto-approved, synthetic codes.' }),
  })
  .meta({ id: 'CreateAgent', example: CREATE_AGENT_EXAMPLE });
export type CreateAgentBody = z.infer<typeof CreateAgentBody>;

export const AgentWithKey = z
  .object({
    agent: Agent,
    apiKey: z.string().meta({ description: 'Shown once; store it now.' }),
    webhookSecret: z.string().optional().meta({
      description:
        'The agent’s webhook signing secret (`whsec_…`), on creation only: shown once; store it now.',
    }),
  })
  .meta({ id: 'AgentWithKey', example: AGENT_WITH_KEY_EXAMPLE });

/** Body of the owner's capture endpoint (the CLI's `capture` command). */
export const OwnerCaptureBody = z
  .strictObject({
    source: CaptureSourceKindSchema,
    from: z.string().trim().min(1, 'from is required').max(512),
    subject: z.string().max(2_000).optional(),
    text: z.string().max(262_144).optional(),
    html: z.string().max(1_048_576).optional(),
  })
  .meta({ id: 'OwnerCapture', example: OWNER_CAPTURE_EXAMPLE });

export const AuditEvent = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    at: Timestamp,
    actorType: z.enum(['owner', 'agent', 'source', 'system', 'policy']),
    actorId: z.string().nullable(),
    channel: z.string().nullable(),
    action: z.string().meta({ example: 'otp.approved' }),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditEventList = z
  .object({
    events: z.array(AuditEvent),
    nextCursor: z.string().nullable(),
    searched: z.object({ fromSeq: z.number().int(), toSeq: z.number().int() }).optional().meta({
      description:
        'With any filter (`q`, `action`, `agentId`, `since`, `until`): the events this page searched, newest (`toSeq`) down to `fromSeq`. A filtered page looks through at most 10,000 events; when fewer than `limit` matched and older events remain, `nextCursor` continues below `fromSeq`.',
    }),
  })
  .meta({ id: 'AuditEventList', example: AUDIT_EVENT_LIST_EXAMPLE });

export const AuditHead = z
  .object({
    chain: z.string().meta({ description: 'The owner ID (or `system`) whose chain this is.' }),
    length: z.number().int(),
    headHash: z.string(),
    legacyLength: z
      .number()
      .int()
      .meta({ description: 'Events 1..legacyLength predate keying and carry the old unkeyed hash.' }),
    signature: z.string().meta({ description: 'HMAC-SHA256 of the checkpoint under the audit key.' }),
  })
  .meta({ id: 'AuditHead' });
export type AuditHead = z.infer<typeof AuditHead>;

export const AuditVerification = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    brokenAt: z
      .object({
        chain: z.string().nullable(),
        seq: z.number().int().nullable(),
        id: z.string().nullable(),
        reason: z.string(),
      })
      .nullable()
      .meta({
        description:
          'The first thing that fails: a row (seq, id), a chain whose checkpoint or rows are gone, or the signed manifest.',
      }),
    heads: z.array(AuditHead).meta({
      description:
        'Each verified chain’s signed head; keep a copy outside the database to detect a rollback.',
    }),
  })
  .meta({ id: 'AuditVerification', example: AUDIT_VERIFICATION_EXAMPLE });
export type AuditVerification = z.infer<typeof AuditVerification>;

// The query strings and response wrappers of the owner operations. They live here, not in
// the server's route files, so the dashboard types each call by the same schema the route
// validates and documents.

// `GET /api/v1/requests` (both kinds): OwnerRequestHistoryQuery in request-history.ts.

/**
 * The filters the audit page and its export share. Each is checked inside a bounded window
 * of events (or turned into one, for dates), so none of them can make a request read a
 * whole million-event chain.
 */
const AuditFilterFields = {
  q: z.string().max(200).optional().meta({
    description: 'Text found in the action, the target ID or the details.',
    example: 'otp.approved',
  }),
  action: z
    .string()
    .max(100)
    .regex(
      /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/,
      'action must be an action such as otp.approved or a family such as otp',
    )
    .optional()
    .meta({
      description: 'An action (`otp.approved`) or its family before the dot (`otp`: every `otp.*`).',
      example: 'owner',
    }),
  agentId: AgentId.optional().meta({
    description:
      'Events this agent caused, that name it (created, key rotated, revoked), or about one of its requests.',
  }),
  since: Timestamp.optional().meta({
    description: 'Only events at or after this instant.',
    example: '2026-11-01T00:00:00.000Z',
  }),
  until: Timestamp.optional().meta({
    description: 'Only events before this instant.',
    example: '2026-12-01T00:00:00.000Z',
  }),
};

function untilAfterSince(
  query: { since?: string | undefined; until?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (query.since && query.until && Date.parse(query.until) <= Date.parse(query.since))
    ctx.addIssue({ code: 'custom', path: ['until'], message: 'until must be after since' });
}

// A sequence number from a previous page; the column is a 32-bit integer on PostgreSQL.
const AuditCursor = z
  .string()
  .regex(/^\d{1,10}$/, 'cursor must be the nextCursor of a previous page')
  .refine((value) => Number(value) <= 2_147_483_647, 'cursor must be the nextCursor of a previous page')
  .optional()
  .meta({ description: 'The `nextCursor` of the previous page.', example: '41' });

/** `GET /api/v1/audit`: one page of the owner's audit events, filtered. */
export const AuditEventsQuery = PageQuery.extend({ cursor: AuditCursor, ...AuditFilterFields }).superRefine(
  untilAfterSince,
);
export type AuditEventsQuery = z.input<typeof AuditEventsQuery>;

/** `GET /api/v1/audit/export`: the filtered events as one CSV or JSON file. */
export const AuditExportQuery = z
  .object({
    format: z.enum(['csv', 'json']).meta({ description: 'The file format.', example: 'csv' }),
    cursor: AuditCursor.meta({
      description: 'The `nextCursor` of a previous export that was cut at its cap: continue from there.',
      example: '41',
    }),
    ...AuditFilterFields,
  })
  .superRefine(untilAfterSince);
export type AuditExportQuery = z.input<typeof AuditExportQuery>;

/** The JSON form of an export (the CSV form carries the same facts in response headers). */
export const AuditExport = z
  .object({
    exportedAt: Timestamp,
    rowCap: z.number().int().meta({ description: 'The most events one export holds.', example: 10000 }),
    truncated: z.boolean().meta({
      description:
        'True when the export stopped at its row cap (or after looking through 100,000 events) with older events left.',
    }),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` to export the older events; null when none are left.' }),
    events: z.array(AuditEvent),
  })
  .meta({
    id: 'AuditExport',
    example: {
      exportedAt: '2026-11-22T13:06:00.000Z',
      rowCap: 10000,
      truncated: false,
      nextCursor: null,
      events: AUDIT_EVENT_LIST_EXAMPLE.events,
    },
  });
export type AuditExport = z.infer<typeof AuditExport>;

/** `GET /api/v1/agents`. */
export const AgentList = z
  .object({ agents: z.array(Agent) })
  .meta({ id: 'AgentList', example: AGENT_LIST_EXAMPLE });
export type AgentList = z.infer<typeof AgentList>;

/** `DELETE /api/v1/policies/{id}`. */
export const PolicyRemoved = z
  .object({ id: z.string(), removed: z.literal(true) })
  .meta({ id: 'PolicyRemoved', example: POLICY_REMOVED_EXAMPLE });
export type PolicyRemoved = z.infer<typeof PolicyRemoved>;

/** `DELETE /api/v1/session`. */
export const SignedOut = z
  .object({ signedOut: z.literal(true) })
  .meta({ id: 'SignedOut', example: SIGNED_OUT_EXAMPLE });
export type SignedOut = z.infer<typeof SignedOut>;
