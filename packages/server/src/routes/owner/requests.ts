import { getOwnerRequest, listRequestHistory, recordDecision } from '@agent-otp/core';
import {
  AppError,
  OtpRequestId,
  OwnerOtpRequest,
  OwnerRequestHistoryQuery,
  OwnerRequestList,
} from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';
import { ownerActor } from './owner-actor.js';
import { registerRequestLifeRoutes } from './request-life.js';

const listRoute = declareRoute({
  method: 'get',
  path: '/api/v1/requests',
  operationId: 'listOwnerRequests',
  tags: ['Owner'],
  summary: 'The owner’s history of OTP and permission requests, newest first, filtered',
  description:
    'The owner’s requests, newest first, one page at a time (`cursor`: the `nextCursor` of the previous page). `kind` picks OTP requests (the default), permission requests, or `all` of both merged; each entry says its `kind`. Filters: `status` (of that kind), `agentId`, and the creation time range `since` (inclusive) to `until` (exclusive). `status=pending_approval` gives the approval queue.',
  errors: {
    VALIDATION_ERROR: 'query.status: used is not a status of an OTP request',
  },
  credential: 'owner',
  request: {
    query: OwnerRequestHistoryQuery,
  },
  responses: {
    200: { description: 'One page.', content: { 'application/json': { schema: OwnerRequestList } } },
  },
});

const getRoute = declareRoute({
  method: 'get',
  path: '/api/v1/requests/{id}',
  operationId: 'getOwnerRequest',
  tags: ['Owner'],
  summary: 'One of the owner’s requests',
  description:
    'One of the owner’s OTP requests with its agent, reason, filters and key fingerprint (the code is never shown).',
  errors: {
    NOT_FOUND: 'no request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
  },
  credential: 'owner',
  request: { params: z.object({ id: OtpRequestId }) },
  responses: {
    200: { description: 'The request.', content: { 'application/json': { schema: OwnerOtpRequest } } },
  },
});

function decisionRoute(outcome: 'approve' | 'deny') {
  return declareRoute({
    method: 'post',
    path: `/api/v1/requests/{id}/${outcome}`,
    operationId: outcome === 'approve' ? 'approveOtpRequest' : 'denyOtpRequest',
    tags: ['Owner'],
    summary: outcome === 'approve' ? 'Approve a pending request' : 'Deny a pending request',
    description:
      outcome === 'approve'
        ? 'Approves a pending OTP request: the next matching code is encrypted to the agent’s key (a code that arrived while it was pending is released at once). The first decision wins, whatever the channel. A high-risk request is approved only in the dashboard, with a passkey (`POST /api/v1/approvals/{id}/approve`); here it gets 403 `STEP_UP_REQUIRED`.'
        : 'Denies a pending OTP request: the agent is told at once and any code held for it is erased. The first decision wins, whatever the channel.',
    errors: {
      NOT_FOUND: 'no OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
      INVALID_TRANSITION: 'cannot decide on OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N while it is approved',
      OTP_ALREADY_CONSUMED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was already consumed',
      OTP_DENIED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was denied by its owner',
      OTP_CANCELLED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was cancelled',
      OTP_EXPIRED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N has expired',
      ...(outcome === 'approve'
        ? {
            STEP_UP_REQUIRED:
              'request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N is high risk: approve it in the dashboard with a passkey (https://otp.example.com/approvals/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N); it can still be denied here',
          }
        : {}),
    },
    credential: 'owner',
    request: { params: z.object({ id: OtpRequestId }) },
    responses: {
      200: {
        description: 'The decided request.',
        content: { 'application/json': { schema: OwnerOtpRequest } },
      },
    },
  });
}

export function registerOwnerRequests(app: Router, services: ServerServices) {
  openapiRoute(app, services, listRoute, async (c) => {
    const query = c.req.valid('query');
    return c.json(await listRequestHistory(services.ctx, { ...query, ownerId: c.get('owner').id }), 200);
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
      // Through the generic decision, so a high-risk request needs its passkey step-up here too;
      // the answer is the one read of the request after it.
      await recordDecision(services.ctx, {
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

  registerRequestLifeRoutes(app, services);
}
