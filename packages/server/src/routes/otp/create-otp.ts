import { createOtpRequest } from '@agent-otp/core';
import { CreateOtpRequestBody, OtpRequest } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { errorResponses, type Router } from '../../openapi-app.js';

export const createOtpRoute = declareRoute({
  method: 'post',
  path: '/api/v1/otp',
  operationId: 'createOtpRequest',
  tags: ['OTP'],
  summary: 'Request one verification code',
  credential: 'agent',
  request: { body: { required: true, content: { 'application/json': { schema: CreateOtpRequestBody } } } },
  responses: {
    201: {
      description: 'Created; waits for the owner unless the key is a test key.',
      content: { 'application/json': { schema: OtpRequest } },
    },
    ...errorResponses(),
  },
});

export function registerCreateOtp(app: Router, services: ServerServices) {
  openapiRoute(app, services, createOtpRoute, async (c) => {
    const request = await createOtpRequest(services.ctx, c.get('agent'), c.req.valid('json'));
    return c.json(request, 201);
  });
}
