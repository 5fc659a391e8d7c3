import {
  cancelOwnerOtpRequest,
  getOwnerPermission,
  getOwnerRequest,
  getRequestTimeline,
  revokeOwnerPermission,
} from '@agent-otp/core';
import {
  AppError,
  OtpRequestId,
  OwnerOtpRequest,
  OwnerPermissionRequest,
  PermissionRequestId,
  RequestTimeline,
} from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';
import { requestOwnerActor } from './owner-actor.js';

// What happened to a request after it was asked, and the owner's two ways to end it early
// (issue 15, "Reading"): the timeline, cancelling an OTP request, revoking a permission.

/** Either kind's ID: the prefix says which table to read. */
const AnyRequestId = z
  .string()
  .regex(/^(otp|prm)_[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an ID starting with otp_ or prm_')
  .meta({ example: 'prm_01JD2WB4N7Q2X9K5M3T8R6VC1H' });

const timelineRoute = declareRoute({
  method: 'get',
  path: '/api/v1/requests/{id}/timeline',
  operationId: 'getRequestTimeline',
  tags: ['Owner'],
  summary: 'What happened to one request, step by step',
  description:
    'One of the owner’s requests (OTP `otp_…` or permission `prm_…`) with its timeline, oldest first, built from the audit log: requested (key fingerprint, sender filter or scope), what the policies decided or that you were asked, who decided on which channel, which source delivered the code, when the agent read it or used the token (uses left), and how it ended (expired, cancelled, revoked). Never a code or a token. Another owner’s request is 404.',
  errors: {
    VALIDATION_ERROR: 'param.id: must be an ID starting with otp_ or prm_',
    NOT_FOUND: 'no request prm_01JD2WB4N7Q2X9K5M3T8R6VC1H',
  },
  credential: 'owner',
  request: { params: z.object({ id: AnyRequestId }) },
  responses: {
    200: {
      description: 'The request and its steps.',
      content: { 'application/json': { schema: RequestTimeline } },
    },
  },
});

const cancelRoute = declareRoute({
  method: 'post',
  path: '/api/v1/requests/{id}/cancel',
  operationId: 'cancelOwnerOtpRequest',
  tags: ['Owner'],
  summary: 'Cancel an open OTP request (erasing any code it holds)',
  description:
    'Ends one of the owner’s OTP requests that is still open (waiting for you, approved, or holding a code the agent has not read): the encrypted code is erased in the same update, the agent is told `cancelled` (status, long-poll, SSE, and the `otp.cancelled` webhook), and the audit log records `otp.cancelled` with you as the actor.',
  errors: {
    VALIDATION_ERROR: 'param.id: must be an ID starting with otp_',
    NOT_FOUND: 'no OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    OTP_ALREADY_CONSUMED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was already consumed',
    OTP_DENIED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was denied by its owner',
    OTP_CANCELLED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was cancelled',
    OTP_EXPIRED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N has expired',
  },
  credential: 'owner',
  request: { params: z.object({ id: OtpRequestId }) },
  responses: {
    200: {
      description: 'The cancelled request.',
      content: { 'application/json': { schema: OwnerOtpRequest } },
    },
  },
});

const revokeRoute = declareRoute({
  method: 'post',
  path: '/api/v1/requests/{id}/revoke',
  operationId: 'revokePermissionToken',
  tags: ['Owner'],
  summary: 'Revoke an approved permission’s token',
  description:
    'Ends one of the owner’s approved permission requests at once: no uses are left, and the agent’s next `POST /api/v1/permissions/{id}/use` (or verify) fails with `410 TOKEN_REVOKED`. A use already under way either lands before the revocation or fails; never both. The request’s status becomes `cancelled` (the `permission.cancelled` webhook), and the audit log records `permission.revoked` with you as the actor. A request still waiting for you is denied, not revoked.',
  errors: {
    VALIDATION_ERROR: 'param.id: must be an ID starting with prm_',
    NOT_FOUND: 'no permission request prm_01JD2WB4N7Q2X9K5M3T8R6VC1H',
    INVALID_TRANSITION:
      'cannot revoke the token of permission request prm_01JD2WB4N7Q2X9K5M3T8R6VC1H while it is pending_approval',
    TOKEN_USED: 'the token of prm_01JD2WB4N7Q2X9K5M3T8R6VC1H has no uses left',
    TOKEN_REVOKED: 'the token of prm_01JD2WB4N7Q2X9K5M3T8R6VC1H was revoked by its owner',
    OTP_DENIED: 'permission request prm_01JD2WB4N7Q2X9K5M3T8R6VC1H was denied',
    OTP_CANCELLED: 'permission request prm_01JD2WB4N7Q2X9K5M3T8R6VC1H was cancelled',
    OTP_EXPIRED: 'permission request prm_01JD2WB4N7Q2X9K5M3T8R6VC1H has expired',
  },
  credential: 'owner',
  request: { params: z.object({ id: PermissionRequestId }) },
  responses: {
    200: {
      description: 'The revoked request.',
      content: { 'application/json': { schema: OwnerPermissionRequest } },
    },
  },
});

export function registerRequestLifeRoutes(app: Router, services: ServerServices) {
  openapiRoute(app, services, timelineRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await getRequestTimeline(services.ctx, c.get('owner').id, id), 200);
  });

  openapiRoute(app, services, cancelRoute, async (c) => {
    const { id } = c.req.valid('param');
    const ownerId = c.get('owner').id;
    await cancelOwnerOtpRequest(services.ctx, { ownerId, id, actor: requestOwnerActor(c) });
    const request = await getOwnerRequest(services.ctx, ownerId, id);
    if (!request) throw new AppError('NOT_FOUND', `no OTP request ${id}`);
    return c.json(request, 200);
  });

  openapiRoute(app, services, revokeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const ownerId = c.get('owner').id;
    await revokeOwnerPermission(services.ctx, { ownerId, id, actor: requestOwnerActor(c) });
    const request = await getOwnerPermission(services.ctx, ownerId, id);
    if (!request) throw new AppError('NOT_FOUND', `no permission request ${id}`);
    return c.json(request, 200);
  });
}
