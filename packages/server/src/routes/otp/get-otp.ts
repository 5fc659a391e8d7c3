import { toApiOtpRequest, waitForOtpChange } from '@agent-otp/core';
import { OtpRequest, OtpRequestId, WaitQuery } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { holdsConnection } from '../../middleware/hold-limits.js';
import { errorResponses, type Router } from '../../openapi-app.js';
import { abortOnDisconnect } from './abort-on-disconnect.js';

export const getOtpRoute = declareRoute({
  method: 'get',
  path: '/api/v1/otp/{id}',
  operationId: 'getOtpRequest',
  tags: ['OTP'],
  summary: 'Read a request’s status; with ?wait=N, long-poll for a change',
  credential: 'agent',
  request: { params: z.object({ id: OtpRequestId }), query: WaitQuery },
  responses: {
    200: {
      description: 'The request (never its payload).',
      content: { 'application/json': { schema: OtpRequest } },
    },
    ...errorResponses(404),
  },
});

export function registerGetOtp(app: Router, services: ServerServices) {
  openapiRoute(
    app,
    services,
    { ...getOtpRoute, middleware: [holdsConnection(services, 'when-waiting')] },
    async (c) => {
      const { id } = c.req.valid('param');
      const { wait } = c.req.valid('query');
      const signal = abortOnDisconnect(c, services.shutdownSignal);
      const row = await waitForOtpChange(
        services.ctx,
        id,
        { agentId: c.get('agent').agentId },
        wait ?? 0,
        signal,
      );
      return c.json(toApiOtpRequest(services.ctx, row), 200);
    },
  );
}
