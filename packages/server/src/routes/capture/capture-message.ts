import { captureMessage, incomingMessage } from '@agent-otp/core';
import { CaptureMessageBody, CaptureMessageResponse } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

export const captureMessageRoute = declareRoute({
  method: 'post',
  path: '/api/v1/capture/messages',
  operationId: 'captureMessage',
  tags: ['Capture'],
  summary:
    'For simple forwarders: post one plaintext message; the relay matches, extracts and encrypts it in memory',
  description:
    'For sources that cannot encrypt: the relay matches the message to the most specific open request, extracts the code and encrypts it to that request’s key in memory; the message itself is not stored. A tie between agents holds the code for the owner to assign.',
  errors: {
    FORBIDDEN: 'a email source cannot capture sms messages',
    VALIDATION_ERROR: 'from is not a parseable sender address',
  },
  credential: 'source',
  // Plaintext forwarders may post a whole HTML email.
  maxBodyBytes: 2 * 1024 * 1024,
  request: { body: { required: true, content: { 'application/json': { schema: CaptureMessageBody } } } },
  responses: {
    200: {
      description: 'Whether the message served a request.',
      content: { 'application/json': { schema: CaptureMessageResponse } },
    },
  },
});

export function registerCaptureMessage(app: Router, services: ServerServices) {
  openapiRoute(app, services, captureMessageRoute, async (c) => {
    const source = c.get('source');
    const body = c.req.valid('json');
    const receivedAt = body.receivedAt ? new Date(body.receivedAt) : services.ctx.clock.now();
    const result = await captureMessage(
      services.ctx,
      source,
      incomingMessage(source.kind, body, receivedAt),
      {
        onSkip: (skip) =>
          services.logger.warn(skip, 'capture: a request could not take the code; trying the next'),
      },
    );
    return c.json(result, 200);
  });
}
