import { decideOtpRequest, getOwnerRequest, listOwnerRequests } from '@agent-otp/core';
import {
  AppError,
  OtpRequestId,
  OwnerOtpRequest,
  OwnerOtpRequestList,
  OwnerRequestsQuery,
} from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { errorResponses, type Router } from '../../openapi-app.js';
import { ownerActor } from './owner-actor.js';

const listRoute = declareRoute({
  method: 'get',
  path: '/api/v1/requests',
  operationId: 'listOwnerRequests',
  tags: ['Owner'],
  summary: 'The owner’s requests, newest first (status=pending_approval for the approval queue)',
  credential: 'owner',
  request: {
    query: OwnerRequestsQuery,
  },
  responses: {
    200: { description: 'One page.', content: { 'application/json': { schema: OwnerOtpRequestList } } },
    ...errorResponses(),
  },
});

const getRoute = declareRoute({
  method: 'get',
  path: '/api/v1/requests/{id}',
  operationId: 'getOwnerRequest',
  tags: ['Owner'],
  summary: 'One of the owner’s requests',
  credential: 'owner',
  request: { params: z.object({ id: OtpRequestId }) },
  responses: {
    200: { description: 'The request.', content: { 'application/json': { schema: OwnerOtpRequest } } },
    ...errorResponses(404),
  },
});

function decisionRoute(outcome: 'approve' | 'deny') {
  return declareRoute({
    method: 'post',
    path: `/api/v1/requests/{id}/${outcome}`,
    operationId: outcome === 'approve' ? 'approveOtpRequest' : 'denyOtpRequest',
    tags: ['Owner'],
    summary: outcome === 'approve' ? 'Approve a pending request' : 'Deny a pending request',
    credential: 'owner',
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
  openapiRoute(app, services, listRoute, async (c) => {
    const query = c.req.valid('query');
    return c.json(await listOwnerRequests(services.ctx, { ...query, ownerId: c.get('owner').id }), 200);
  });

  openapiRoute(app, services, getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const request = await getOwnerRequest(services.ctx, c.get('owner').id, id);
    if (!request) throw new AppError('NOT_FOUND', `no OTP request ${id}`);
    return c.json(request, 200);
  });

  for (const outcome of ['approve', 'deny'] as const) {
    openapiRoute(app, services, decisionRoute(outcome), async (c) => {
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
