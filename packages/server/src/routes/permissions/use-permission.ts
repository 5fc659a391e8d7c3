import { usePermissionToken, verifyPermissionToken } from '@agent-otp/core';
import {
  PermissionRequestId,
  UseTokenBody,
  UseTokenResponse,
  VerifyTokenBody,
  VerifyTokenResponse,
} from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { errorResponses, type Router } from '../../openapi-app.js';

export const verifyTokenRoute = declareRoute({
  method: 'post',
  path: '/api/v1/permissions/{id}/verify',
  operationId: 'verifyPermissionToken',
  tags: ['Permissions'],
  summary: 'Check a token without spending it: validity, uses left, scope and expiry',
  credential: 'agent',
  request: {
    params: z.object({ id: PermissionRequestId }),
    body: { required: true, content: { 'application/json': { schema: VerifyTokenBody } } },
  },
  responses: {
    200: {
      description: 'Whether the token is valid (an invalid token is an answer, not an error).',
      content: { 'application/json': { schema: VerifyTokenResponse } },
    },
    ...errorResponses(404),
  },
});

export const useTokenRoute = declareRoute({
  method: 'post',
  path: '/api/v1/permissions/{id}/use',
  operationId: 'usePermissionToken',
  tags: ['Permissions'],
  summary: 'Spend one use of a token, atomically; actionDetails are checked against the scope and audited',
  credential: 'agent',
  request: {
    params: z.object({ id: PermissionRequestId }),
    body: { required: true, content: { 'application/json': { schema: UseTokenBody } } },
  },
  responses: {
    200: {
      description: 'The use was recorded.',
      content: { 'application/json': { schema: UseTokenResponse } },
    },
    ...errorResponses(403, 404, 409, 410),
  },
});

export function registerUsePermission(app: Router, services: ServerServices) {
  openapiRoute(app, services, verifyTokenRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { token } = c.req.valid('json');
    return c.json(await verifyPermissionToken(services.ctx, c.get('agent'), id, token), 200);
  });

  openapiRoute(app, services, useTokenRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { token, actionDetails } = c.req.valid('json');
    return c.json(await usePermissionToken(services.ctx, c.get('agent'), id, token, actionDetails), 200);
  });
}
