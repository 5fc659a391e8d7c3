import { cancelOtpRequest } from '@agent-otp/core';
import { OtpRequest, OtpRequestId } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

export const cancelOtpRoute = declareRoute({
  method: 'delete',
  path: '/api/v1/otp/{id}',
  operationId: 'cancelOtpRequest',
  tags: ['OTP'],
  summary: 'Cancel an open request; any held code is erased',
  description:
    'Withdraws an open request (`pending_approval`, `approved` or `otp_received`); a code already held for it is erased. Cancelling frees a place under the open-request limit.',
  errors: {
    NOT_FOUND: 'no OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    OTP_ALREADY_CONSUMED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was already consumed',
    OTP_DENIED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was denied by its owner',
    OTP_CANCELLED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was cancelled',
    OTP_EXPIRED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N has expired',
  },
  credential: 'agent',
  request: { params: z.object({ id: OtpRequestId }) },
  responses: {
    200: { description: 'The cancelled request.', content: { 'application/json': { schema: OtpRequest } } },
  },
});

export function registerCancelOtp(app: Router, services: ServerServices) {
  openapiRoute(app, services, cancelOtpRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await cancelOtpRequest(services.ctx, c.get('agent'), id), 200);
  });
}
