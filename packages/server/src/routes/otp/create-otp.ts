import { createOtpRequest } from '@agent-otp/core';
import { CreateOtpRequestBody, OtpRequest } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

export const createOtpRoute = declareRoute({
  method: 'post',
  path: '/api/v1/otp',
  operationId: 'createOtpRequest',
  tags: ['OTP'],
  summary: 'Request one verification code',
  description:
    'Creates a request for one verification code. The owner is asked on every channel (dashboard, Telegram, CLI) unless a policy decides; a test key (`ak_test_…`) approves its own request and receives a random six-digit code. `publicKey` is the RSA key the code will be encrypted to; keep its private half. Poll `GET /api/v1/otp/{id}?wait=N` or stream `/events` for the outcome.',
  errors: {
    VALIDATION_ERROR: 'body.ttl: ttl must be at least 30 seconds',
    INVALID_PUBLIC_KEY: 'publicKey: RSA key must be at least 2048 bits',
    RATE_LIMITED:
      'this agent already has 100 open OTP requests (the limit, OPEN_REQUESTS_PER_AGENT); consume, cancel or wait for one to close, retry after 240 s',
  },
  credential: 'agent',
  request: { body: { required: true, content: { 'application/json': { schema: CreateOtpRequestBody } } } },
  responses: {
    201: {
      description: 'Created; waits for the owner unless the key is a test key.',
      content: { 'application/json': { schema: OtpRequest } },
    },
  },
});

export function registerCreateOtp(app: Router, services: ServerServices) {
  openapiRoute(app, services, createOtpRoute, async (c) => {
    const request = await createOtpRequest(services.ctx, c.get('agent'), c.req.valid('json'));
    return c.json(request, 201);
  });
}
