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
import type { Router } from '../../openapi-app.js';

export const verifyTokenRoute = declareRoute({
  method: 'post',
  path: '/api/v1/permissions/{id}/verify',
  operationId: 'verifyPermissionToken',
  tags: ['Permissions'],
  summary: 'Check a token without spending it: validity, uses left, scope and expiry',
  description:
    'Checks a permission token without spending a use: whether it is valid for this request, how many uses are left, its scope and expiry. A wrong token is a `valid: false` answer, not an error.',
  errors: {
    NOT_FOUND: 'no permission request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
  },
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
  },
});

export const useTokenRoute = declareRoute({
  method: 'post',
  path: '/api/v1/permissions/{id}/use',
  operationId: 'usePermissionToken',
  tags: ['Permissions'],
  summary: 'Spend one use of a token, atomically; actionDetails are checked against the scope and audited',
  description:
    'Spends one use of the token atomically. `actionDetails` describe what the agent is about to do; they are checked against the granted scope (`max_…`, `…_pattern`, `allowed_…`) and written to the audit chain. A use outside the scope is refused and audited.',
  errors: {
    NOT_FOUND: 'no permission request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    TOKEN_INVALID: 'that is not the token of prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    SCOPE_VIOLATION: 'outside the granted scope: actionDetails.amount 250 is more than max_amount 100',
    TOKEN_USED: 'the token of prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N has no uses left',
    OTP_DENIED: 'permission request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N was denied',
    OTP_CANCELLED: 'permission request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N was cancelled',
    OTP_EXPIRED: 'permission request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N has expired',
  },
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
