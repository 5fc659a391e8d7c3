import { cancelOtpRequest } from '@agent-otp/core';
import { OtpRequest, OtpRequestId } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { errorResponses, type Router } from '../../openapi-app.js';

export const cancelOtpRoute = declareRoute({
  method: 'delete',
  path: '/api/v1/otp/{id}',
  operationId: 'cancelOtpRequest',
  tags: ['OTP'],
  summary: 'Cancel an open request; any held code is erased',
  credential: 'agent',
  request: { params: z.object({ id: OtpRequestId }) },
  responses: {
    200: { description: 'The cancelled request.', content: { 'application/json': { schema: OtpRequest } } },
    ...errorResponses(404, 409, 410),
  },
});

export function registerCancelOtp(app: Router, services: ServerServices) {
  openapiRoute(app, services, cancelOtpRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await cancelOtpRequest(services.ctx, c.get('agent'), id), 200);
  });
}
