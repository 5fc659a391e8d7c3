import { OTP_REQUESTS, readRequest, toApiOtpRequest, waitForOtpChange } from '@agent-otp/core';
import { OtpRequest, OtpRequestId, WaitQuery } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { createErrorHandler } from '../../middleware/errors.js';
import { holdsConnection } from '../../middleware/hold-limits.js';
import { answeredLater, answerLater } from '../../middleware/late-answer.js';
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
  const errorHandler = createErrorHandler(services.logger);
  openapiRoute(
    app,
    services,
    { ...getOtpRoute, middleware: [holdsConnection(services, 'when-waiting')] },
    async (c) => {
      const { id } = c.req.valid('param');
      const { wait } = c.req.valid('query');
      const scope = { agentId: c.get('agent').agentId };
      // A plain read (no `wait`) is one scoped read: no subscription, no disconnect signal.
      if (!wait)
        return c.json(
          toApiOtpRequest(services.ctx, await readRequest(services.ctx, OTP_REQUESTS, id, scope)),
          200,
        );
      let parked!: () => void;
      const waiting = new Promise<'parked'>((resolve) => {
        parked = () => resolve('parked');
      });
      const signal = abortOnDisconnect(c, services.shutdownSignal);
      const answer = waitForOtpChange(services.ctx, id, scope, wait, signal, () => parked());
      const first = await Promise.race([answer, waiting]);
      if (first !== 'parked') return c.json(toApiOtpRequest(services.ctx, first), 200);
      // Parked: let the middleware chain go and answer on the Node response when the wait ends,
      // so a waiting agent holds its socket, its wait and this closure, not a whole request.
      const late = answerLater(c, errorHandler);
      if (!late) return c.json(toApiOtpRequest(services.ctx, await answer), 200);
      answer.then(
        (row) => late.json(toApiOtpRequest(services.ctx, row), 200),
        (error: unknown) => late.fail(error),
      );
      // The typed 200 is the one late.json writes; this Response only tells the server it is handled.
      return answeredLater() as never;
    },
  );
}
