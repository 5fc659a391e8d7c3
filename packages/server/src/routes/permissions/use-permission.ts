import { usePermissionToken, verifyPermissionToken } from '@agent-otp/core';
import {
  PermissionRequestId,
  UseTokenBody,
  UseTokenResponse,
  VerifyTokenBody,
  VerifyTokenResponse,
} from '@agent-otp/shared';
import { createRoute, z } from '@hono/zod-openapi';
import type { ServerServices } from '../../env.js';
import { agentSecurity, errorResponses, type Router } from '../../openapi-app.js';

export const verifyTokenRoute = createRoute({
  method: 'post',
  path: '/api/v1/permissions/{id}/verify',
  tags: ['Permissions'],
  summary: 'Check a token without spending it: validity, uses left, scope and expiry',
  security: agentSecurity,
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

export const useTokenRoute = createRoute({
  method: 'post',
  path: '/api/v1/permissions/{id}/use',
  tags: ['Permissions'],
  summary: 'Spend one use of a token, atomically; actionDetails are checked against the scope and audited',
  security: agentSecurity,
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
  app.openapi(verifyTokenRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { token } = c.req.valid('json');
    return c.json(await verifyPermissionToken(services.ctx, c.get('agent'), id, token), 200);
  });

  app.openapi(useTokenRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { token, actionDetails } = c.req.valid('json');
    return c.json(await usePermissionToken(services.ctx, c.get('agent'), id, token, actionDetails), 200);
  });
}
