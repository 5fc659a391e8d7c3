import { createPermissionRequest } from '@agent-otp/core';
import { CreatePermissionRequestBody, PermissionRequest } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { errorResponses, type Router } from '../../openapi-app.js';

export const requestPermissionRoute = declareRoute({
  method: 'post',
  path: '/api/v1/permissions/request',
  operationId: 'requestPermission',
  tags: ['Permissions'],
  summary: 'Ask for a one-time permission; the policy engine approves, denies or asks the owner',
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
    ...errorResponses(),
  },
});

export function registerRequestPermission(app: Router, services: ServerServices) {
  openapiRoute(app, services, requestPermissionRoute, async (c) => {
    const request = await createPermissionRequest(services.ctx, c.get('agent'), c.req.valid('json'));
    c.header('Cache-Control', 'no-store');
    return c.json(request, 201);
  });
}
