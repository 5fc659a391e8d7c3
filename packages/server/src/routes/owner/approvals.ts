import {
  type DecisionSubject,
  decideRequest,
  getDecisionSubject,
  listPendingDecisions,
} from '@agent-otp/core';
import { AppError, ApprovalRequestId, DecisionSubjectList, DecisionSubjectSchema } from '@agent-otp/shared';
import { createRoute, z } from '@hono/zod-openapi';
import type { ServerServices } from '../../env.js';
import { errorResponses, ownerSecurity, type Router } from '../../openapi-app.js';
import { requestOwnerActor } from './owner-actor.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });
const params = z.object({ id: ApprovalRequestId });

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/approvals',
  tags: ['Owner'],
  summary: 'Every request of the owner still waiting for a decision (codes and permissions), oldest first',
  security: ownerSecurity,
  responses: { 200: { description: 'The queue.', content: json(DecisionSubjectList) }, ...errorResponses() },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/v1/approvals/{id}',
  tags: ['Owner'],
  summary: 'One request of the owner as an approver sees it, decided or not',
  security: ownerSecurity,
  request: { params },
  responses: {
    200: { description: 'The request.', content: json(DecisionSubjectSchema) },
    ...errorResponses(404),
  },
});

function decisionRoute(outcome: 'approve' | 'deny') {
  return createRoute({
    method: 'post',
    path: `/api/v1/approvals/{id}/${outcome}`,
    tags: ['Owner'],
    summary:
      outcome === 'approve' ? 'Approve a pending request of any kind' : 'Deny a pending request of any kind',
    description: 'The first decision wins, whatever the channel; a later one gets 409.',
    security: ownerSecurity,
    request: { params },
    responses: {
      200: { description: 'The request as it now stands.', content: json(DecisionSubjectSchema) },
      ...errorResponses(403, 404, 409, 410),
    },
  });
}

/** DecisionSubject's channel is free text in core; the schema's enum is what core writes. */
const asResponse = (subject: DecisionSubject) => DecisionSubjectSchema.parse(subject);

/** `/api/v1/approvals`: the generic approval queue every owner channel shares. */
export function registerOwnerApprovals(app: Router, services: ServerServices) {
  app.openapi(listRoute, async (c) => {
    const subjects = await listPendingDecisions(services.ctx, c.get('owner').id);
    return c.json({ approvals: subjects.map(asResponse) }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const subject = await getDecisionSubject(services.ctx, c.get('owner').id, id);
    if (!subject) throw new AppError('NOT_FOUND', `no request ${id}`);
    return c.json(asResponse(subject), 200);
  });

  for (const outcome of ['approve', 'deny'] as const) {
    app.openapi(decisionRoute(outcome), async (c) => {
      const { id } = c.req.valid('param');
      const subject = await decideRequest(services.ctx, {
        id,
        ownerId: c.get('owner').id,
        outcome: outcome === 'approve' ? 'approved' : 'denied',
        actor: requestOwnerActor(c),
      });
      return c.json(asResponse(subject), 200);
    });
  }
}
