import {
  createCaptureSource,
  getCaptureSource,
  listCaptureSources,
  revokeCaptureSource,
  rotateCaptureSource,
} from '@agent-otp/core';
import {
  CaptureSource,
  CreateSourceBody,
  OwnerCaptureSourceList,
  SourceId,
  SourceWithToken,
} from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';
import { ownerActor } from './owner-actor.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const routes = {
  list: declareRoute({
    method: 'get',
    path: '/api/v1/sources',
    operationId: 'listCaptureSources',
    tags: ['Owner'],
    summary: 'The owner’s capture sources and when each was last seen',
    description:
      'The owner’s capture sources (mail watchers, SMS apps and forwarders), with when each was last seen and how many messages it sent.',
    credential: 'owner',
    responses: {
      200: { description: 'Sources.', content: json(OwnerCaptureSourceList) },
    },
  }),
  create: declareRoute({
    method: 'post',
    path: '/api/v1/sources',
    operationId: 'createCaptureSource',
    tags: ['Owner'],
    summary: 'Create a capture source; its token is in this response only',
    description:
      'Creates a capture source. Its token (`cs_…`), and for SMS providers its signing key or the provider secret it checks, are in this response only; the response also gives the webhook URL and the fields the phone app or provider needs.',
    errors: {
      VALIDATION_ERROR: 'twilioAuthToken is required for provider twilio',
    },
    credential: 'owner',
    request: { body: { required: true, content: json(CreateSourceBody) } },
    responses: { 201: { description: 'Created.', content: json(SourceWithToken) } },
  }),
  get: declareRoute({
    method: 'get',
    path: '/api/v1/sources/{id}',
    operationId: 'getCaptureSource',
    tags: ['Owner'],
    summary: 'One capture source: last seen, messages received, last error',
    description:
      'One capture source: its kind, provider, last seen time, messages received and the last error it reported.',
    errors: {
      NOT_FOUND: 'no capture source src_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    },
    credential: 'owner',
    request: { params: z.object({ id: SourceId }) },
    responses: {
      200: { description: 'The source.', content: json(CaptureSource) },
    },
  }),
  rotate: declareRoute({
    method: 'post',
    path: '/api/v1/sources/{id}/rotate',
    operationId: 'rotateCaptureSource',
    tags: ['Owner'],
    summary: 'Issue a new token (and signing key, where the relay issued one); shown in this response only',
    description:
      'Issues a new token (and a new signing key where the relay issued one), shown in this response only; the old ones stop working at once. Update the phone app or watcher with the new values.',
    errors: {
      NOT_FOUND: 'no capture source src_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
      CONFLICT: 'capture source src_01JD2W9X3YH4Q7M5RZ8T6KCB2N is revoked',
    },
    credential: 'owner',
    request: { params: z.object({ id: SourceId }) },
    responses: {
      200: {
        description: 'Rotated; the old token and key stop working now.',
        content: json(SourceWithToken),
      },
    },
  }),
  revoke: declareRoute({
    method: 'post',
    path: '/api/v1/sources/{id}/revoke',
    operationId: 'revokeCaptureSource',
    tags: ['Owner'],
    summary: 'Revoke a capture source’s token',
    description:
      'Revokes the source’s token at once; the source can no longer list requests or deliver codes.',
    errors: {
      NOT_FOUND: 'no capture source src_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
      CONFLICT: 'capture source src_01JD2W9X3YH4Q7M5RZ8T6KCB2N is already revoked',
    },
    credential: 'owner',
    request: { params: z.object({ id: SourceId }) },
    responses: {
      200: { description: 'Revoked.', content: json(CaptureSource) },
    },
  }),
};

export function registerOwnerSources(app: Router, services: ServerServices) {
  openapiRoute(app, services, routes.list, async (c) =>
    c.json({ sources: await listCaptureSources(services.ctx, c.get('owner').id) }, 200),
  );
  openapiRoute(app, services, routes.create, async (c) => {
    const owner = c.get('owner');
    const body = c.req.valid('json');
    const created = await createCaptureSource(services.ctx, {
      ...body,
      ownerId: owner.id,
      actor: ownerActor(owner, c.get('ownerChannel')),
    });
    return c.json(created, 201);
  });
  openapiRoute(app, services, routes.get, async (c) =>
    c.json(await getCaptureSource(services.ctx, c.get('owner').id, c.req.valid('param').id), 200),
  );
  openapiRoute(app, services, routes.rotate, async (c) => {
    const owner = c.get('owner');
    const rotated = await rotateCaptureSource(services.ctx, {
      ownerId: owner.id,
      sourceId: c.req.valid('param').id,
      actor: ownerActor(owner, c.get('ownerChannel')),
    });
    return c.json(rotated, 200);
  });
  openapiRoute(app, services, routes.revoke, async (c) => {
    const owner = c.get('owner');
    const { id } = c.req.valid('param');
    const revoked = await revokeCaptureSource(services.ctx, {
      ownerId: owner.id,
      sourceId: id,
      actor: ownerActor(owner, c.get('ownerChannel')),
    });
    return c.json(revoked, 200);
  });
}
