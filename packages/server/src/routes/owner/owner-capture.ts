import { captureMessage, incomingMessage } from '@agent-otp/core';
import { CaptureMessageResponse, OwnerCaptureBody } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

const route = declareRoute({
  method: 'post',
  path: '/api/v1/owner/capture',
  operationId: 'captureMessageAsOwner',
  tags: ['Owner'],
  summary:
    'Feed one message through the capture path as the owner (the CLI’s `capture`, for demos and tests)',
  description:
    'Runs one message through the same matching, extraction and encryption as a capture source’s `POST /api/v1/capture/messages`, with the owner as the source: the CLI’s `capture` command uses it for demos and tests.',
  errors: {
    VALIDATION_ERROR: 'from is not a parseable sender address',
  },
  credential: 'owner',
  request: { body: { required: true, content: { 'application/json': { schema: OwnerCaptureBody } } } },
  responses: {
    200: {
      description: 'Whether the message served a request.',
      content: { 'application/json': { schema: CaptureMessageResponse } },
    },
  },
});

export function registerOwnerCapture(app: Router, services: ServerServices) {
  openapiRoute(app, services, route, async (c) => {
    const owner = c.get('owner');
    const body = c.req.valid('json');
    const source = {
      sourceId: `owner:${owner.id}`,
      ownerId: owner.id,
      kind: body.source,
      name: `${owner.email} (manual capture)`,
    };
    const message = incomingMessage(body.source, body, services.ctx.clock.now());
    const result = await captureMessage(services.ctx, source, message, {
      onSkip: (skip) =>
        services.logger.warn(skip, 'capture: a request could not take the code; trying the next'),
    });
    return c.json(result, 200);
  });
}
