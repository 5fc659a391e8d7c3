import { decideOtpRequest, getOwnerRequest, listOwnerRequests } from '@agent-otp/core';
import {
  AgentId,
  AppError,
  OtpRequestId,
  OtpStatusSchema,
  OwnerOtpRequest,
  OwnerOtpRequestList,
  PageQuery,
  Timestamp,
} from '@agent-otp/shared';
import { createRoute, z } from '@hono/zod-openapi';
import type { ServerServices } from '../../env.js';
import { errorResponses, ownerSecurity, type Router } from '../../openapi-app.js';
import { ownerActor } from './owner-actor.js';

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/requests',
  tags: ['Owner'],
  summary: 'The owner’s requests, newest first (status=pending_approval for the approval queue)',
  security: ownerSecurity,
  request: {
    query: PageQuery.extend({
      status: OtpStatusSchema.optional(),
      agentId: AgentId.optional(),
      since: Timestamp.optional(),
    }),
  },
  responses: {
    200: { description: 'One page.', content: { 'application/json': { schema: OwnerOtpRequestList } } },
    ...errorResponses(),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/v1/requests/{id}',
  tags: ['Owner'],
  summary: 'One of the owner’s requests',
  security: ownerSecurity,
  request: { params: z.object({ id: OtpRequestId }) },
  responses: {
    200: { description: 'The request.', content: { 'application/json': { schema: OwnerOtpRequest } } },
    ...errorResponses(404),
  },
});

function decisionRoute(outcome: 'approve' | 'deny') {
  return createRoute({
    method: 'post',
    path: `/api/v1/requests/{id}/${outcome}`,
    tags: ['Owner'],
    summary: outcome === 'approve' ? 'Approve a pending request' : 'Deny a pending request',
    security: ownerSecurity,
    request: { params: z.object({ id: OtpRequestId }) },
    responses: {
      200: {
        description: 'The decided request.',
        content: { 'application/json': { schema: OwnerOtpRequest } },
      },
      ...errorResponses(404, 409, 410),
    },
  });
}

export function registerOwnerRequests(app: Router, services: ServerServices) {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    return c.json(await listOwnerRequests(services.ctx, { ...query, ownerId: c.get('owner').id }), 200);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const request = await getOwnerRequest(services.ctx, c.get('owner').id, id);
    if (!request) throw new AppError('NOT_FOUND', `no OTP request ${id}`);
    return c.json(request, 200);
  });

  for (const outcome of ['approve', 'deny'] as const) {
    app.openapi(decisionRoute(outcome), async (c) => {
      const { id } = c.req.valid('param');
      const owner = c.get('owner');
      await decideOtpRequest(services.ctx, {
        id,
        ownerId: owner.id,
        outcome: outcome === 'approve' ? 'approved' : 'denied',
        actor: ownerActor(owner, c.get('ownerChannel')),
      });
      const request = await getOwnerRequest(services.ctx, owner.id, id);
      if (!request) throw new AppError('NOT_FOUND', `no OTP request ${id}`);
      return c.json(request, 200);
    });
  }
}
