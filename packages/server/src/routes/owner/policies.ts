import {
  createPolicy,
  getDecisionSubject,
  listPolicies,
  removePolicy,
  testPolicies,
  updatePolicy,
} from '@agent-otp/core';
import {
  AppError,
  ApprovalRequestId,
  alwaysAllowDraft,
  CreatePolicyBody,
  Policy,
  PolicyDraft,
  PolicyEvaluation,
  PolicyId,
  PolicyList,
  PolicyRemoved,
  PolicyTestBody,
  UpdatePolicyBody,
} from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';
import { requestOwnerActor } from './owner-actor.js';

const listRoute = declareRoute({
  method: 'get',
  path: '/api/v1/policies',
  operationId: 'listPolicies',
  tags: ['Policies'],
  summary: 'Every policy governing the owner’s requests: POLICY_FILE’s, then the database’s',
  description:
    'Every policy that governs the owner’s requests: those of POLICY_FILE first, then the database’s, in the order ties are broken.',
  credential: 'owner',
  responses: {
    200: {
      description: 'The policies, in tie-break order.',
      content: { 'application/json': { schema: PolicyList } },
    },
  },
});

const createPolicyRoute = declareRoute({
  method: 'post',
  path: '/api/v1/policies',
  operationId: 'createPolicy',
  tags: ['Policies'],
  summary: 'Add a policy (optionally for one agent)',
  description:
    'Stores a policy (approve, deny or ask for matching requests), for all the owner’s agents or one; it applies from the next request.',
  errors: {
    NOT_FOUND: 'no agent agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    VALIDATION_ERROR: 'body.effect: Invalid option: expected one of "approve"|"deny"|"ask"',
  },
  credential: 'owner',
  request: { body: { required: true, content: { 'application/json': { schema: CreatePolicyBody } } } },
  responses: {
    201: {
      description: 'Stored; it applies to the next request.',
      content: { 'application/json': { schema: Policy } },
    },
  },
});

/** A database policy (`pol_…`) or a POLICY_FILE one (`file:<n>`), so the latter gets a clear refusal. */
const ListedPolicyId = z
  .string()
  .regex(/^(pol_[0-9A-HJKMNP-TV-Z]{26}|file:[1-9][0-9]{0,5})$/, 'a policy ID is pol_… or file:<n>')
  .meta({ example: 'pol_01JD2W9X3YH4Q7M5RZ8T6KCB2N' });

const updateRoute = declareRoute({
  method: 'patch',
  path: '/api/v1/policies/{id}',
  operationId: 'updatePolicy',
  tags: ['Policies'],
  summary: 'Change a database policy: its definition, agent, priority, or enabled',
  description:
    'Changes only the fields sent (null clears an optional one). The result is checked like a new policy and applies from the next request; a disabled policy never decides anything. The change is audited as `policy.updated`. Policies from POLICY_FILE are read-only: edit the file.',
  errors: {
    NOT_FOUND: 'no policy pol_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    VALIDATION_ERROR:
      'conditions.otp.sources: otp.sources exists only for OTP requests; set appliesTo: otp or any',
    CONFLICT:
      'file:1 comes from POLICY_FILE and is read-only here; edit the file and restart the relay to change it',
  },
  credential: 'owner',
  request: {
    params: z.object({ id: ListedPolicyId }),
    body: { required: true, content: { 'application/json': { schema: UpdatePolicyBody } } },
  },
  responses: {
    200: {
      description: 'The policy as it now is; it applies to the next request.',
      content: { 'application/json': { schema: Policy } },
    },
  },
});

const removeRoute = declareRoute({
  method: 'delete',
  path: '/api/v1/policies/{id}',
  operationId: 'removePolicy',
  tags: ['Policies'],
  summary: 'Remove a database policy',
  description: 'Removes a database policy; policies from POLICY_FILE are changed in that file.',
  errors: {
    NOT_FOUND: 'no policy pol_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
  },
  credential: 'owner',
  request: { params: z.object({ id: PolicyId }) },
  responses: {
    200: {
      description: 'Removed.',
      content: { 'application/json': { schema: PolicyRemoved } },
    },
  },
});

const testRoute = declareRoute({
  method: 'post',
  path: '/api/v1/policies/test',
  operationId: 'testPolicies',
  tags: ['Policies'],
  summary: 'What the engine would decide for a request (nothing is stored)',
  description:
    'Evaluates the owner’s policies against a described request and returns the decision and the policy that made it; nothing is stored or audited.',
  errors: {
    NOT_FOUND: 'no agent agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
  },
  credential: 'owner',
  request: { body: { required: true, content: { 'application/json': { schema: PolicyTestBody } } } },
  responses: {
    200: {
      description: 'The decision and the policy that made it.',
      content: { 'application/json': { schema: PolicyEvaluation } },
    },
  },
});

const draftRoute = declareRoute({
  method: 'get',
  path: '/api/v1/approvals/{id}/policy-draft',
  operationId: 'getPolicyDraft',
  tags: ['Policies'],
  summary: '"Always allow like this": the policy that would auto-approve the next request like this one',
  description:
    'A draft policy built from one of the owner’s requests (same agent and kind; same action and resource, or sender pattern and sources; a scope no broader), to edit and send to `POST /api/v1/policies`. Nothing is stored. A high-risk request comes with a warning.',
  errors: {
    NOT_FOUND: 'no request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
  },
  credential: 'owner',
  request: { params: z.object({ id: ApprovalRequestId }) },
  responses: {
    200: {
      description: 'The draft, and a warning for a high-risk request.',
      content: { 'application/json': { schema: PolicyDraft } },
    },
  },
});

/** Why a high-risk request deserves a second thought before it becomes a rule. */
function highRiskWarning(reasons: readonly { text: string }[]): string {
  const why = reasons.length > 0 ? ` (${reasons.map((reason) => reason.text).join('; ')})` : '';
  return `This request is high risk${why}. A policy approves every request like it at once, without asking you.`;
}

export function registerOwnerPolicies(app: Router, services: ServerServices) {
  openapiRoute(app, services, listRoute, async (c) =>
    c.json({ policies: await listPolicies(services.ctx, c.get('owner').id) }, 200),
  );

  openapiRoute(app, services, createPolicyRoute, async (c) => {
    const { agentId, ...definition } = c.req.valid('json');
    const policy = await createPolicy(services.ctx, {
      ownerId: c.get('owner').id,
      agentId,
      definition,
      actor: requestOwnerActor(c),
    });
    return c.json(policy, 201);
  });

  openapiRoute(app, services, draftRoute, async (c) => {
    const { id } = c.req.valid('param');
    const subject = await getDecisionSubject(services.ctx, c.get('owner').id, id);
    if (!subject) throw new AppError('NOT_FOUND', `no request ${id}`);
    const risk = subject.risk?.level ?? null;
    return c.json(
      {
        // Parsed like a POST body, so the draft is exactly what the create route accepts.
        policy: CreatePolicyBody.parse(alwaysAllowDraft(subject)),
        risk,
        warning: risk === 'high' ? highRiskWarning(subject.risk?.reasons ?? []) : null,
      },
      200,
    );
  });

  openapiRoute(app, services, removeRoute, async (c) => {
    const { id } = c.req.valid('param');
    await removePolicy(services.ctx, { ownerId: c.get('owner').id, id, actor: requestOwnerActor(c) });
    return c.json({ id, removed: true as const }, 200);
  });

  openapiRoute(app, services, updateRoute, async (c) => {
    const policy = await updatePolicy(services.ctx, {
      ownerId: c.get('owner').id,
      id: c.req.valid('param').id,
      changes: c.req.valid('json'),
      actor: requestOwnerActor(c),
    });
    return c.json(policy, 200);
  });

  openapiRoute(app, services, testRoute, async (c) =>
    c.json(await testPolicies(services.ctx, c.get('owner').id, c.req.valid('json')), 200),
  );
}
