import {
  Decision,
  DenialReasonField,
  JsonObject,
  RequestKindSchema,
  RiskAssessment,
  Timestamp,
} from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import { AGENT_KEY_HISTORIES } from '../request-lines.js';
import { describeUnstorableString } from '../unstorable-text.js';
import {
  APPROVE_REQUEST_EXAMPLE,
  DECISION_SUBJECT_EXAMPLE,
  DECISION_SUBJECT_LIST_EXAMPLE,
  DENY_REQUEST_EXAMPLE,
} from './examples.js';
import { PasskeyAssertion } from './passkeys.js';

/** Any request that needs (or needed) the owner's decision, as every approval channel shows it. */
export const DecisionSubjectSchema = z
  .object({
    kind: RequestKindSchema,
    id: z.string(),
    ownerId: z.string(),
    agent: z.object({ id: z.string(), name: z.string() }),
    status: z.string(),
    pending: z.boolean().meta({ description: 'Whether the owner can still decide.' }),
    title: z.string().meta({ description: 'One line: what the agent wants.' }),
    reason: z.string(),
    fields: z.array(z.object({ label: z.string(), value: z.string() })),
    summary: z.array(z.string()).meta({
      description:
        'What approving allows, in plain words, one fact per line ("a code from *@acme.com by SMS or email", "subject must match ^Invoice.*"); every channel shows the same lines.',
    }),
    details: JsonObject.meta({
      description:
        "The request as the agent sent it, for a raw view: an OTP request's sources and patterns, or a permission's action, resource, scope, requestedScope and context.",
    }),
    agentKey: z
      .object({
        fingerprint: z.string().meta({ description: 'SHA-256 of the public key (SPKI DER), hex.' }),
        history: z.enum(AGENT_KEY_HISTORIES).meta({
          description:
            "How this key compares with the agent's previous OTP request: the same key, a new key, or no earlier request.",
        }),
      })
      .nullable()
      .meta({ description: 'The key a code would be encrypted to (OTP requests); null for permissions.' }),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    decision: Decision.nullable(),
    denialReason: DenialReasonField,
    risk: RiskAssessment.nullable().meta({
      description:
        'How risky approving is and why, assessed at creation; null on requests from before risk was assessed.',
    }),
  })
  .meta({ id: 'DecisionSubject', example: DECISION_SUBJECT_EXAMPLE });
export type DecisionSubjectResponse = z.infer<typeof DecisionSubjectSchema>;

export const DecisionSubjectList = z
  .object({ approvals: z.array(DecisionSubjectSchema) })
  .meta({ id: 'DecisionSubjectList', example: DECISION_SUBJECT_LIST_EXAMPLE });

/** `otp_…` or `prm_…`: any request an owner decides on. */
export const ApprovalRequestId = z
  .string()
  .regex(/^(otp|prm)_[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a request ID (otp_… or prm_…)')
  .meta({ example: 'prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N' });

/** The longest denial reason, in characters: a sentence or two for the agent, not a letter. */
export const DENIAL_REASON_MAX_LENGTH = 500;

/**
 * C0 and C1 controls (`\p{Cc}`; line breaks and tabs included: a reason is one line, shown in logs,
 * terminals and Telegram) and the Unicode bidirectional controls (embeddings, overrides,
 * isolates, marks) that would make the text read differently from what is stored.
 */
const CONTROL_OR_BIDI = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/**
 * Why one line of display text is refused, or undefined when it is fine: what no database can
 * store (NUL, lone surrogates, from the shared check), then controls and bidi overrides.
 *
 * @example
 * describeUnsafeLine('use staging\u202E'); // → 'must not contain control or bidirectional-override characters'
 */
export function describeUnsafeLine(text: string): string | undefined {
  const unstorable = describeUnstorableString(text);
  if (unstorable) return unstorable;
  if (CONTROL_OR_BIDI.test(text)) return 'must not contain control or bidirectional-override characters';
  return undefined;
}

/** The owner's reason for a denial, as the agent will read it: one trimmed line of plain text. */
export const DenialReason = z
  .string()
  .trim()
  .min(1, 'reason must not be empty (leave it out to deny without one)')
  .max(DENIAL_REASON_MAX_LENGTH, `reason must be at most ${DENIAL_REASON_MAX_LENGTH} characters`)
  .superRefine((text, ctx) => {
    const problem = describeUnsafeLine(text);
    if (problem) ctx.addIssue({ code: 'custom', message: `reason ${problem}` });
  })
  .meta({
    description: 'Why the owner denies the request; the agent receives it as `denialReason`.',
    example: 'Use the staging account, not production',
  });

/** Body of `POST /api/v1/approvals/{id}/deny`; optional: no body denies without a reason. */
export const DenyRequestBody = z
  .strictObject({ reason: DenialReason.optional() })
  .meta({ id: 'DenyRequest', example: DENY_REQUEST_EXAMPLE });
export type DenyRequestBody = z.input<typeof DenyRequestBody>;

/**
 * Body of `POST /api/v1/approvals/{id}/approve`; optional. Declared so that a `reason` sent to
 * approve by mistake is refused, not silently dropped. A high-risk request needs `passkey`: a
 * fresh assertion answering the step-up challenge issued for this request (issue 15).
 */
export const ApproveRequestBody = z
  .strictObject({
    passkey: PasskeyAssertion.optional().meta({
      description:
        'Needed for a high-risk request only: the answer to `POST /api/v1/approvals/{id}/step-up`, made with user verification in the last 120 s.',
    }),
  })
  .meta({ id: 'ApproveRequest', example: APPROVE_REQUEST_EXAMPLE });
