import { recordUnclearMessage } from '@agent-otp/core';
import { OtpRequestId, UnclearMessageReport, UnclearMessageReportResponse } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

export const reportUnclearRoute = declareRoute({
  method: 'post',
  path: '/api/v1/capture/requests/{id}/unclear',
  operationId: 'reportUnclearMessage',
  tags: ['Capture'],
  summary: 'Tell the owner a matched message held no clear code (sender and time only)',
  description:
    'For sources that extract on their own side: a message from a sender this request matches arrived, ' +
    'but no code in it reached the extraction threshold. The request stays open; its owner sees the note ' +
    '(sender, time, outcome, confidence) on the request and in the audit log. Never send text, subject or a code. ' +
    'At most a few notes are kept per request; a repeat (same sender and time) answers `recorded: false`.',
  errors: {
    NOT_FOUND: 'no OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    FORBIDDEN: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N does not accept sms messages',
    VALIDATION_ERROR: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N does not match this sender',
    OTP_ALREADY_CONSUMED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was already consumed',
    OTP_CANCELLED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was cancelled',
    OTP_EXPIRED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N has expired',
  },
  credential: 'source',
  request: {
    params: z.object({ id: OtpRequestId }),
    body: { required: true, content: { 'application/json': { schema: UnclearMessageReport } } },
  },
  responses: {
    200: {
      description: 'Noted, or already noted / at the cap.',
      content: { 'application/json': { schema: UnclearMessageReportResponse } },
    },
  },
});

export function registerReportUnclear(app: Router, services: ServerServices) {
  openapiRoute(app, services, reportUnclearRoute, async (c) => {
    const { id } = c.req.valid('param');
    const report = c.req.valid('json');
    const recorded = await recordUnclearMessage(services.ctx, c.get('source'), id, {
      ...report,
      receivedAt: new Date(report.receivedAt),
    });
    return c.json(recorded, 200);
  });
}
