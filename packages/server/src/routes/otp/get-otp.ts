import { OTP_REQUESTS, readRequest, toApiOtpRequest, waitForOtpChange } from '@agent-otp/core';
import { OtpRequest, OtpRequestId, WaitQuery } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { holdsConnection } from '../../middleware/hold-limits.js';
import type { Router } from '../../openapi-app.js';
import { abortOnDisconnect } from './abort-on-disconnect.js';

export const getOtpRoute = declareRoute({
  method: 'get',
  path: '/api/v1/otp/{id}',
  operationId: 'getOtpRequest',
  tags: ['OTP'],
  summary: 'Read a request’s status; with ?wait=N, long-poll for a change',
  description:
    'Returns the request and its status (`pending_approval`, `approved`, `otp_received`, `consumed`, `denied`, `expired`, `cancelled`), never the code. With `wait=N` (at most 60 seconds) the answer is held until the status changes, and comes at once when the code is there or the request has ended.',
  errors: {
    NOT_FOUND: 'no OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    RATE_LIMITED:
      'too many open waits: at most 10 concurrent waits per credential (long-polls and event streams); retry after 1 s',
  },
  credential: 'agent',
  request: { params: z.object({ id: OtpRequestId }), query: WaitQuery },
  responses: {
    200: {
      description: 'The request (never its payload).',
      content: { 'application/json': { schema: OtpRequest } },
    },
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
      const scope = { agentId: c.get('agent').agentId };
      // A plain read (no `wait`) is one scoped read: no subscription, no disconnect signal.
      const row = wait
        ? await waitForOtpChange(services.ctx, id, scope, wait, abortOnDisconnect(c, services.shutdownSignal))
        : await readRequest(services.ctx, OTP_REQUESTS, id, scope);
      return c.json(toApiOtpRequest(services.ctx, row), 200);
    },
  );
}
