import { readOtpRequest, requestTopic, toApiOtpRequest } from '@agent-otp/core';
import { OtpRequestId, TERMINAL_STATUSES } from '@agent-otp/shared';
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { ServerServices } from '../../env.js';
import { holdsConnection } from '../../middleware/hold-limits.js';
import { agentSecurity, errorResponses, type Router } from '../../openapi-app.js';
import { abortOnDisconnect } from './abort-on-disconnect.js';

export const otpEventsRoute = createRoute({
  method: 'get',
  path: '/api/v1/otp/{id}/events',
  tags: ['OTP'],
  summary: 'Server-Sent Events: one `status` event now and one per change, until the request ends',
  security: agentSecurity,
  request: { params: z.object({ id: OtpRequestId }) },
  responses: {
    200: {
      description: 'An event stream; each `status` event carries the request as JSON.',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...errorResponses(404),
  },
});

const KEEPALIVE_MS = 15_000;

export function registerOtpEvents(app: Router, services: ServerServices) {
  app.openapi({ ...otpEventsRoute, middleware: [holdsConnection(services, 'always')] }, async (c) => {
    const { id } = c.req.valid('param');
    const scope = { agentId: c.get('agent').agentId };
    // Read before streaming so an unknown or foreign ID is a plain 404, not an empty stream.
    await readOtpRequest(services.ctx, id, scope);
    const signal = abortOnDisconnect(c, services.shutdownSignal);
    return streamSSE(c, async (stream) => {
      let pending = Promise.resolve();
      let changed: () => void = () => {};
      const unsubscribe = services.ctx.bus.subscribe(requestTopic(id), () => changed());
      const keepalive = setInterval(() => void stream.write(': keepalive\n\n'), KEEPALIVE_MS);
      try {
        let lastSent = '';
        while (!signal.aborted) {
          const next = new Promise<void>((resolve) => {
            changed = resolve;
            signal.addEventListener('abort', () => resolve(), { once: true });
          });
          const row = await readOtpRequest(services.ctx, id, scope);
          const body = JSON.stringify(toApiOtpRequest(services.ctx, row));
          if (body !== lastSent) {
            await stream.writeSSE({ event: 'status', data: body, id: `${row.id}:${row.status}` });
            lastSent = body;
          }
          if (TERMINAL_STATUSES.has(row.status)) break;
          const untilExpiry = Date.parse(row.expires_at) - services.ctx.clock.now().getTime();
          const expiry = setTimeout(() => changed(), Math.max(0, untilExpiry + 50));
          pending = next;
          await pending;
          clearTimeout(expiry);
        }
      } finally {
        clearInterval(keepalive);
        unsubscribe();
      }
    });
  });
}
