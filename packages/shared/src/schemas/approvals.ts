import { Decision, RequestKindSchema, Timestamp } from '@orrisai/agent-otp-contract';
import { z } from 'zod';

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
    createdAt: Timestamp,
    expiresAt: Timestamp,
    decision: Decision.nullable(),
  })
  .meta({ id: 'DecisionSubject' });
export type DecisionSubjectResponse = z.infer<typeof DecisionSubjectSchema>;

export const DecisionSubjectList = z
  .object({ approvals: z.array(DecisionSubjectSchema) })
  .meta({ id: 'DecisionSubjectList' });

/** `otp_…` or `prm_…`: any request an owner decides on. */
export const ApprovalRequestId = z
  .string()
  .regex(/^(otp|prm)_[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a request ID (otp_… or prm_…)')
  .meta({ example: 'prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N' });
