import { consumeOtp } from '@agent-otp/core';
import { ConsumeOtpResponse, OtpRequestId } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { errorResponses, type Router } from '../../openapi-app.js';

export const consumeOtpRoute = declareRoute({
  method: 'post',
  path: '/api/v1/otp/{id}/consume',
  operationId: 'consumeOtp',
  tags: ['OTP'],
  summary: 'Take the encrypted code, once; the relay erases it in the same statement',
  credential: 'agent',
  request: { params: z.object({ id: OtpRequestId }) },
  responses: {
    200: {
      description: 'The ciphertext; decrypt it with the agent’s private key.',
      content: { 'application/json': { schema: ConsumeOtpResponse } },
    },
    ...errorResponses(404, 409, 410),
  },
});

export function registerConsumeOtp(app: Router, services: ServerServices) {
  openapiRoute(app, services, consumeOtpRoute, async (c) => {
    const { id } = c.req.valid('param');
    c.header('Cache-Control', 'no-store');
    return c.json(await consumeOtp(services.ctx, c.get('agent'), id), 200);
  });
}
