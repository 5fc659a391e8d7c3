import {
  type DecisionSubject,
  decideRequest,
  getDecisionSubject,
  listPendingDecisions,
} from '@agent-otp/core';
import {
  AppError,
  ApprovalRequestId,
  ApproveRequestBody,
  DecisionSubjectList,
  DecisionSubjectSchema,
  DenyRequestBody,
  type PasskeyAssertion,
} from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { emptyBodyIsNoBody } from '../../middleware/request-guards.js';
import type { Router } from '../../openapi-app.js';
import { requestOwnerActor } from './owner-actor.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });
const params = z.object({ id: ApprovalRequestId });

const listRoute = declareRoute({
  method: 'get',
  path: '/api/v1/approvals',
  operationId: 'listApprovals',
  tags: ['Owner'],
  summary: 'Every request of the owner still waiting for a decision (codes and permissions), oldest first',
  description:
    'Every request of the owner still waiting for a decision, OTP and permission requests alike, oldest first, as the approval screens show them.',
  credential: 'owner',
  responses: { 200: { description: 'The queue.', content: json(DecisionSubjectList) } },
});

const getRoute = declareRoute({
  method: 'get',
  path: '/api/v1/approvals/{id}',
  operationId: 'getApproval',
  tags: ['Owner'],
  summary: 'One request of the owner as an approver sees it, decided or not',
  description:
    'One OTP or permission request of the owner as an approver sees it (agent, reason, scope, key fingerprint), decided or not.',
  errors: {
    NOT_FOUND: 'no such request',
  },
  credential: 'owner',
  request: { params },
  responses: {
    200: { description: 'The request.', content: json(DecisionSubjectSchema) },
  },
});

/** What each decision may carry: a denial an optional reason for the agent, an approval nothing. */
const DECISION_BODIES = { approve: ApproveRequestBody, deny: DenyRequestBody } as const;

function decisionRoute(outcome: 'approve' | 'deny') {
  return declareRoute({
    method: 'post',
    path: `/api/v1/approvals/{id}/${outcome}`,
    operationId: outcome === 'approve' ? 'approveRequest' : 'denyRequest',
    tags: ['Owner'],
    summary:
      outcome === 'approve' ? 'Approve a pending request of any kind' : 'Deny a pending request of any kind',
    description:
      outcome === 'approve'
        ? 'The first decision wins, whatever the channel; a later one gets 409. A high-risk request is approved only with `passkey`: the answer to `POST /api/v1/approvals/{id}/step-up`, made in the same dashboard session with user verification within 120 s and used once; without it the answer is 403 `STEP_UP_REQUIRED` (an owner token, from the CLI, never has one: such requests are approved in the dashboard).'
        : 'The first decision wins, whatever the channel; a later one gets 409. An optional `reason` reaches the agent as `denialReason`; no body denies without one.',
    errors: {
      NOT_FOUND: 'no request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
      INVALID_TRANSITION: 'cannot decide on OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N while it is approved',
      OTP_ALREADY_CONSUMED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was already consumed',
      OTP_DENIED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was denied by its owner',
      OTP_CANCELLED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was cancelled',
      OTP_EXPIRED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N has expired',
      ...(outcome === 'approve'
        ? {
            VALIDATION_ERROR: 'reason: only a denial carries a reason',
            STEP_UP_REQUIRED:
              'request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N is high risk: confirm the approval with your passkey',
          }
        : {}),
    },
    credential: 'owner',
    request: { params, body: { required: false, content: json(DECISION_BODIES[outcome]) } },
    responses: {
      200: { description: 'The request as it now stands.', content: json(DecisionSubjectSchema) },
    },
  });
}

/** Core builds the schema's own type; parsing on the way out keeps anything beyond it off the wire. */
const asResponse = (subject: DecisionSubject) => DecisionSubjectSchema.parse(subject);

/** `/api/v1/approvals`: the generic approval queue every owner channel shares. */
export function registerOwnerApprovals(app: Router, services: ServerServices) {
  openapiRoute(app, services, listRoute, async (c) => {
    const subjects = await listPendingDecisions(services.ctx, c.get('owner').id);
    return c.json({ approvals: subjects.map(asResponse) }, 200);
  });

  openapiRoute(app, services, getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const subject = await getDecisionSubject(services.ctx, c.get('owner').id, id);
    if (!subject) throw new AppError('NOT_FOUND', `no request ${id}`);
    return c.json(asResponse(subject), 200);
  });

  for (const outcome of ['approve', 'deny'] as const) {
    // The body is optional: `Content-Type: application/json` with nothing after it decides as before.
    openapiRoute(app, services, { ...decisionRoute(outcome), middleware: [emptyBodyIsNoBody] }, async (c) => {
      const { id } = c.req.valid('param');
      const { reason, passkey }: { reason?: string; passkey?: PasskeyAssertion } = c.req.valid('json');
      // A step-up answer counts only with the browser session that asked for its challenge.
      const session = c.get('browserSession');
      const subject = await decideRequest(services.ctx, {
        id,
        ownerId: c.get('owner').id,
        outcome: outcome === 'approve' ? 'approved' : 'denied',
        actor: requestOwnerActor(c),
        ...(reason === undefined ? {} : { denialReason: reason }),
        ...(passkey && session ? { stepUp: { sessionId: session.sessionId, assertion: passkey } } : {}),
      });
      return c.json(asResponse(subject), 200);
    });
  }
}
