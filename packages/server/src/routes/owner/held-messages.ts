import { assignHeldMessage, discardHeldMessage, listHeldMessages } from '@agent-otp/core';
import {
  AssignHeldMessageBody,
  AssignHeldMessageResponse,
  DiscardHeldMessageResponse,
  HeldMessageId,
  HeldMessageList,
} from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';
import { requestOwnerActor } from './owner-actor.js';

const listRoute = declareRoute({
  method: 'get',
  path: '/api/v1/held-messages',
  operationId: 'listHeldMessages',
  tags: ['Owner'],
  summary: 'Messages held for the owner because requests of several agents matched them equally well',
  description:
    'Messages a capture source could not give to one request because requests of several agents matched them equally well. Each lists its candidate requests; the owner assigns it to one or discards it before it expires.',
  credential: 'owner',
  responses: {
    200: {
      description: 'Waiting messages, oldest first.',
      content: { 'application/json': { schema: HeldMessageList } },
    },
  },
});

const assignRoute = declareRoute({
  method: 'post',
  path: '/api/v1/held-messages/{id}/assign',
  operationId: 'assignHeldMessage',
  tags: ['Owner'],
  summary:
    'Give a held message to one of its candidate requests; the other candidates’ ciphertexts are erased',
  description:
    'Gives a held message to one of its candidate requests: that request receives the code (held until approval if it is still pending) and every other candidate’s ciphertext is erased.',
  errors: {
    NOT_FOUND:
      'OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N is not a candidate of held message hld_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    CONFLICT: 'held message hld_01JD2W9X3YH4Q7M5RZ8T6KCB2N was already assigned',
    OTP_EXPIRED: 'held message hld_01JD2W9X3YH4Q7M5RZ8T6KCB2N has expired',
  },
  credential: 'owner',
  request: {
    params: z.object({ id: HeldMessageId }),
    body: { required: true, content: { 'application/json': { schema: AssignHeldMessageBody } } },
  },
  responses: {
    200: {
      description: 'Delivered to the request (held until approval if it is still pending).',
      content: { 'application/json': { schema: AssignHeldMessageResponse } },
    },
  },
});

const discardRoute = declareRoute({
  method: 'post',
  path: '/api/v1/held-messages/{id}/discard',
  operationId: 'discardHeldMessage',
  tags: ['Owner'],
  summary: 'Throw a held message away; every candidate’s ciphertext is erased',
  description:
    'Throws a held message away: every candidate’s ciphertext is erased and no request receives it.',
  errors: {
    NOT_FOUND: 'no held message hld_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    CONFLICT: 'held message hld_01JD2W9X3YH4Q7M5RZ8T6KCB2N was already discarded',
    OTP_EXPIRED: 'held message hld_01JD2W9X3YH4Q7M5RZ8T6KCB2N has expired',
  },
  credential: 'owner',
  request: { params: z.object({ id: HeldMessageId }) },
  responses: {
    200: {
      description: 'Discarded.',
      content: { 'application/json': { schema: DiscardHeldMessageResponse } },
    },
  },
});

export function registerOwnerHeldMessages(app: Router, services: ServerServices) {
  openapiRoute(app, services, listRoute, async (c) =>
    c.json({ heldMessages: await listHeldMessages(services.ctx, c.get('owner').id) }, 200),
  );

  openapiRoute(app, services, assignRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { requestId } = c.req.valid('json');
    const result = await assignHeldMessage(services.ctx, {
      ownerId: c.get('owner').id,
      id,
      requestId,
      actor: requestOwnerActor(c),
    });
    return c.json(result, 200);
  });

  openapiRoute(app, services, discardRoute, async (c) => {
    const { id } = c.req.valid('param');
    const result = await discardHeldMessage(services.ctx, {
      ownerId: c.get('owner').id,
      id,
      actor: requestOwnerActor(c),
    });
    return c.json(result, 200);
  });
}
