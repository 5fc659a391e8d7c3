import { deliverOtpPayload } from '@agent-otp/core';
import { DeliverBody, DeliverResponse, OtpRequestId } from '@agent-otp/shared';
import { createRoute, z } from '@hono/zod-openapi';
import type { ServerServices } from '../../env.js';
import { errorResponses, type Router, sourceSecurity } from '../../openapi-app.js';

export const deliverRoute = createRoute({
  method: 'post',
  path: '/api/v1/capture/requests/{id}/deliver',
  tags: ['Capture'],
  summary: 'Deliver a code encrypted on the capture side (ciphertext only)',
  security: sourceSecurity,
  request: {
    params: z.object({ id: OtpRequestId }),
    body: { required: true, content: { 'application/json': { schema: DeliverBody } } },
  },
  responses: {
    200: {
      description: 'Stored; held until approval if the request is still pending.',
      content: { 'application/json': { schema: DeliverResponse } },
    },
    ...errorResponses(403, 404, 409, 410),
  },
});

export function registerDeliver(app: Router, services: ServerServices) {
  app.openapi(deliverRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { encryptedPayload } = c.req.valid('json');
    return c.json(await deliverOtpPayload(services.ctx, c.get('source'), id, encryptedPayload), 200);
  });
}
