import type { CreatePolicyBody, Policy, PolicyDraft } from '@agent-otp/shared';
import type { z } from 'zod';
import { api } from './api.js';

// "Always allow like this" (issue 15): the relay's draft of a policy from a request, and
// saving it through the policy API. Typed by the routes' schemas like operations.ts (types
// only: no zod in the bundle).

const segment = encodeURIComponent;

/**
 * @example
 * const { policy, warning } = await policyDraftOperations.getPolicyDraft('prm_01J…');
 * await policyDraftOperations.createPolicy(policy);
 */
export const policyDraftOperations = {
  getPolicyDraft: (requestId: string) =>
    api(`/approvals/${segment(requestId)}/policy-draft`) as Promise<PolicyDraft>,
  createPolicy: (body: z.input<typeof CreatePolicyBody>) =>
    api('/policies', { body }) as Promise<z.output<typeof Policy>>,
};
