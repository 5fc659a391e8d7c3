import { waitForOpenRequests } from '@agent-otp/core';
import { CaptureRequestList, WaitQuery } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { holdsConnection } from '../../middleware/hold-limits.js';
import type { Router } from '../../openapi-app.js';
import { abortOnDisconnect } from '../otp/abort-on-disconnect.js';

export const listCaptureRequestsRoute = declareRoute({
  method: 'get',
  path: '/api/v1/capture/requests',
  operationId: 'listCaptureRequests',
  tags: ['Capture'],
  summary: 'Open requests this source may serve (filters and public keys); ?wait=N long-polls',
  description:
    'Open requests of the source’s owner that this source may serve: not yet holding a code, accepting its kind, oldest first, each with its public key, key fingerprint and filters. With `wait=N` (at most 60 seconds) the answer is held until a new one appears.',
  errors: {
    VALIDATION_ERROR: 'query.wait: wait must be at most 60 seconds',
    RATE_LIMITED:
      'too many open waits: at most 10 concurrent waits per credential (long-polls and event streams); retry after 1 s',
  },
  credential: 'source',
  request: { query: WaitQuery },
  responses: {
    200: { description: 'Oldest first.', content: { 'application/json': { schema: CaptureRequestList } } },
  },
});

export function registerListCaptureRequests(app: Router, services: ServerServices) {
  openapiRoute(
    app,
    services,
    { ...listCaptureRequestsRoute, middleware: [holdsConnection(services, 'when-waiting')] },
    async (c) => {
      const { wait } = c.req.valid('query');
      const signal = abortOnDisconnect(c, services.shutdownSignal);
      const requests = await waitForOpenRequests(services.ctx, c.get('source'), wait ?? 0, signal);
      return c.json({ requests, serverTime: services.ctx.clock.now().toISOString() }, 200);
    },
  );
}
