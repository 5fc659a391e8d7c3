import { holdMessage } from '@agent-otp/core';
import { HoldMessageBody, HoldMessageResponse } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

export const holdMessageRoute = declareRoute({
  method: 'post',
  path: '/api/v1/capture/held',
  operationId: 'holdMessage',
  tags: ['Capture'],
  summary:
    'Hand over a message that requests of several agents matched equally well, for the owner to assign',
  description: [
    'For capture sources that encrypt on their own side. Send one ciphertext per tied request, each sealed to',
    'that request’s key; the relay checks every request is open, of the same owner, accepts this source’s kind,',
    'matches the sender in the same specificity tier, and that each JWE header names its request’s key.',
    'No subject or body is sent or stored.',
  ].join(' '),
  errors: {
    NOT_FOUND: 'no OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    FORBIDDEN: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N does not accept codes from sms sources',
    CONFLICT: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N already holds a code',
    OTP_EXPIRED: 'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N has expired',
    VALIDATION_ERROR: 'the candidate requests do not match this sender equally well',
  },
  credential: 'source',
  request: { body: { required: true, content: { 'application/json': { schema: HoldMessageBody } } } },
  responses: {
    200: {
      description: 'Held; the owner is notified on every channel.',
      content: { 'application/json': { schema: HoldMessageResponse } },
    },
  },
});

export function registerHoldMessage(app: Router, services: ServerServices) {
  openapiRoute(app, services, holdMessageRoute, async (c) => {
    const body = c.req.valid('json');
    const held = await holdMessage(services.ctx, c.get('source'), {
      from: body.from,
      receivedAt: new Date(body.receivedAt),
      payloads: body.payloads,
    });
    return c.json(held, 200);
  });
}
