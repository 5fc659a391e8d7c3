import type {
  CreatePolicyBody,
  Policy,
  PolicyEvaluation,
  PolicyList,
  PolicyRemoved,
  PolicyTestBody,
  UpdatePolicyBody,
} from '@agent-otp/shared';
import type { z } from 'zod';
import { api } from './api.js';

// The Policies page's calls (issue 15), typed by the routes' schemas like operations.ts
// (types only: no zod in the bundle).

type Answer<S extends z.ZodType> = Promise<z.output<S>>;
const segment = encodeURIComponent;

/**
 * @example
 * const { policies } = await policyOperations.listPolicies();
 * await policyOperations.updatePolicy(policies[0].id, { enabled: false });
 */
export const policyOperations = {
  listPolicies: () => api('/policies') as Answer<typeof PolicyList>,
  createPolicy: (body: z.input<typeof CreatePolicyBody>) =>
    api('/policies', { body }) as Answer<typeof Policy>,
  updatePolicy: (id: string, body: z.input<typeof UpdatePolicyBody>) =>
    api(`/policies/${segment(id)}`, { method: 'PATCH', body }) as Answer<typeof Policy>,
  removePolicy: (id: string) =>
    api(`/policies/${segment(id)}`, { method: 'DELETE' }) as Answer<typeof PolicyRemoved>,
  testPolicies: (body: z.input<typeof PolicyTestBody>) =>
    api('/policies/test', { body }) as Answer<typeof PolicyEvaluation>,
};
