import { deliverOtpPayload } from '@agent-otp/core';
import { DeliverBody, DeliverResponse, OtpRequestId } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { errorResponses, type Router } from '../../openapi-app.js';

export const deliverRoute = declareRoute({
  method: 'post',
  path: '/api/v1/capture/requests/{id}/deliver',
  operationId: 'deliverOtpPayload',
  tags: ['Capture'],
  summary: 'Deliver a code encrypted on the capture side (ciphertext only)',
  description:
    'The JWE protected header must carry `kid` (the request key fingerprint) and `requestId` (this request); ' +
    'anything else is 400 and leaves the request open. Works while the request is pending or approved. ' +
    'Re-posting the same ciphertext answers the same 200; another payload for a request that holds one is 409 CONFLICT. ' +
    '404/403/400 and 409/410 mean this request no longer wants this code (try the next one); 429/5xx mean try again.',
  credential: 'source',
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
  openapiRoute(app, services, deliverRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { encryptedPayload } = c.req.valid('json');
    return c.json(await deliverOtpPayload(services.ctx, c.get('source'), id, encryptedPayload), 200);
  });
}
