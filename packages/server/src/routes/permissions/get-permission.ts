import { cancelPermissionRequest, getPermissionRequest } from '@agent-otp/core';
import { PermissionRequest, PermissionRequestId, WaitQuery } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { holdsConnection } from '../../middleware/hold-limits.js';
import type { Router } from '../../openapi-app.js';
import { abortOnDisconnect } from '../otp/abort-on-disconnect.js';

export const getPermissionRoute = declareRoute({
  method: 'get',
  path: '/api/v1/permissions/{id}',
  operationId: 'getPermissionRequest',
  tags: ['Permissions'],
  summary:
    'Read a permission request; with ?wait=N, long-poll for the decision. The first read after approval carries the token',
  description:
    'Returns the permission request and its status. The first response after approval carries the token (`token`), once; later ones do not. With `wait=N` (at most 60 seconds) the answer is held until the status changes.',
  errors: {
    NOT_FOUND: 'no permission request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    RATE_LIMITED:
      'too many open waits: at most 10 concurrent waits per credential (long-polls and event streams); retry after 1 s',
  },
  credential: 'agent',
  request: { params: z.object({ id: PermissionRequestId }), query: WaitQuery },
  responses: {
    200: {
      description: 'The request; `token` only in the one response that hands it out.',
      content: { 'application/json': { schema: PermissionRequest } },
    },
  },
});

export const cancelPermissionRoute = declareRoute({
  method: 'delete',
  path: '/api/v1/permissions/{id}',
  operationId: 'cancelPermissionRequest',
  tags: ['Permissions'],
  summary: 'Withdraw a request; an approved one loses its token',
  description:
    'Withdraws a permission request that is pending or approved; an approved one’s token stops working at once. Cancelling frees a place under the open-request limit.',
  errors: {
    NOT_FOUND: 'no permission request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    OTP_DENIED: 'permission request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N was denied',
    OTP_CANCELLED: 'permission request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N was cancelled',
    OTP_EXPIRED: 'permission request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N has expired',
  },
  credential: 'agent',
  request: { params: z.object({ id: PermissionRequestId }) },
  responses: {
    200: { description: 'Cancelled.', content: { 'application/json': { schema: PermissionRequest } } },
  },
});

export function registerGetPermission(app: Router, services: ServerServices) {
  openapiRoute(
    app,
    services,
    { ...getPermissionRoute, middleware: [holdsConnection(services, 'when-waiting')] },
    async (c) => {
      const { id } = c.req.valid('param');
      const { wait } = c.req.valid('query');
      const signal = abortOnDisconnect(c, services.shutdownSignal);
      const request = await getPermissionRequest(services.ctx, c.get('agent'), id, wait ?? 0, signal);
      c.header('Cache-Control', 'no-store');
      return c.json(request, 200);
    },
  );

  openapiRoute(app, services, cancelPermissionRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await cancelPermissionRequest(services.ctx, c.get('agent'), id), 200);
  });
}
