import { RiskLevel } from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import { CreatePolicyBody } from './policies.js';

/** Response of `GET /api/v1/approvals/{id}/policy-draft`: "always allow like this", before saving. */
export const PolicyDraft = z
  .object({
    policy: CreatePolicyBody.meta({
      description:
        'The policy that would auto-approve the next request like this one (same agent, kind, action and resource or sender pattern and sources, a scope no broader); edit it, then send it to `POST /api/v1/policies`.',
    }),
    risk: RiskLevel.nullable().meta({
      description: 'The risk assessed for the request the draft comes from.',
    }),
    warning: z.string().nullable().meta({
      description:
        'Set for a high-risk request: why approving every request like it without asking deserves a second thought.',
    }),
  })
  .meta({
    id: 'PolicyDraft',
    example: {
      policy: {
        name: 'Always allow my-assistant: gmail.send on email:client@example.com',
        description: 'Created with "Always allow like this" from request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N.',
        priority: 0,
        action: 'auto_approve',
        appliesTo: 'permission',
        agentId: 'agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
        conditions: {
          action: { equals: 'gmail.send' },
          resource: { equals: 'email:client@example.com' },
          'scope.max_emails': { lessThanOrEqual: 1 },
          'scope.subject_pattern': { equals: '^Invoice.*' },
        },
      },
      risk: 'low',
      warning: null,
    },
  });
export type PolicyDraft = z.infer<typeof PolicyDraft>;
