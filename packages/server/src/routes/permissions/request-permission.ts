import { createPermissionRequest } from '@agent-otp/core';
import { CreatePermissionRequestBody, PermissionRequest } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

export const requestPermissionRoute = declareRoute({
  method: 'post',
  path: '/api/v1/permissions/request',
  operationId: 'requestPermission',
  tags: ['Permissions'],
  summary: 'Ask for a one-time permission; the policy engine approves, denies or asks the owner',
  description:
    'Asks for a one-time permission to do one action (`action`, a `scope` bounding it, a human `reason`). The owner’s policies may approve or deny it at once; otherwise the owner is asked. Poll `GET /api/v1/permissions/{id}?wait=N` for the token.',
  errors: {
    VALIDATION_ERROR: 'body.action: Too small: expected string to have >=1 characters',
    RATE_LIMITED:
      'this agent already has 100 open permission requests (the limit, OPEN_REQUESTS_PER_AGENT); consume, cancel or wait for one to close, retry after 240 s',
  },
  credential: 'agent',
  request: {
    body: { required: true, content: { 'application/json': { schema: CreatePermissionRequestBody } } },
  },
  responses: {
    201: {
      description:
        'Created. Auto-approved requests carry the `token` here (its only appearance); others wait for the owner.',
      content: { 'application/json': { schema: PermissionRequest } },
    },
  },
});

export function registerRequestPermission(app: Router, services: ServerServices) {
  openapiRoute(app, services, requestPermissionRoute, async (c) => {
    const request = await createPermissionRequest(services.ctx, c.get('agent'), c.req.valid('json'));
    c.header('Cache-Control', 'no-store');
    return c.json(request, 201);
  });
}
