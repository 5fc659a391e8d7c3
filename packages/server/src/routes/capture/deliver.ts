import { deliverOtpPayload } from '@agent-otp/core';
import { DeliverBody, DeliverResponse, OtpRequestId } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

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
  errors: {
    NOT_FOUND: 'no OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    FORBIDDEN: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N does not accept codes from sms sources',
    CONFLICT: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N already holds a code',
    OTP_CANCELLED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was cancelled',
    OTP_EXPIRED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N has expired',
  },
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
  },
});

export function registerDeliver(app: Router, services: ServerServices) {
  openapiRoute(app, services, deliverRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { encryptedPayload } = c.req.valid('json');
    return c.json(await deliverOtpPayload(services.ctx, c.get('source'), id, encryptedPayload), 200);
  });
}
