import { consumeOtp } from '@agent-otp/core';
import { ConsumeOtpResponse, OtpRequestId } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

export const consumeOtpRoute = declareRoute({
  method: 'post',
  path: '/api/v1/otp/{id}/consume',
  operationId: 'consumeOtp',
  tags: ['OTP'],
  summary: 'Take the encrypted code, once; the relay erases it in the same statement',
  description:
    'Returns the code as a compact JWE (`RSA-OAEP-256` + `A256GCM`) sealed to the request’s public key and erases it from the relay in the same statement: it can be taken once. Decrypt it with the agent’s private key and check the `requestId` inside.',
  errors: {
    NOT_FOUND: 'no OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    OTP_NOT_READY: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N has no code yet (it is approved)',
    OTP_ALREADY_CONSUMED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was already consumed',
    OTP_DENIED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was denied by its owner',
    OTP_CANCELLED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was cancelled',
    OTP_EXPIRED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N has expired',
  },
  credential: 'agent',
  request: { params: z.object({ id: OtpRequestId }) },
  responses: {
    200: {
      description: 'The ciphertext; decrypt it with the agent’s private key.',
      content: { 'application/json': { schema: ConsumeOtpResponse } },
    },
  },
});

export function registerConsumeOtp(app: Router, services: ServerServices) {
  openapiRoute(app, services, consumeOtpRoute, async (c) => {
    const { id } = c.req.valid('param');
    c.header('Cache-Control', 'no-store');
    return c.json(await consumeOtp(services.ctx, c.get('agent'), id), 200);
  });
}
