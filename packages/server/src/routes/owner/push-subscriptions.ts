import { newId } from '@agent-otp/core';
import { deleteOwnerPushSubscription, ownerHasPushSubscription, upsertPushSubscription } from '@agent-otp/db';
import {
  PushEndpointBody,
  PushSubscriptionBody,
  PushSubscriptionState,
  VapidPublicKey,
} from '@agent-otp/shared';
import type { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';
import { assertPushEndpointAllowed, pushEndpointPolicy } from '../../web-push/push-endpoint-policy.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const routes = {
  publicKey: declareRoute({
    method: 'get',
    path: '/api/v1/owner/push/vapid-public-key',
    operationId: 'getVapidPublicKey',
    tags: ['Owner'],
    summary: 'The relay’s VAPID public key, for subscribing a browser to Web Push',
    description:
      'The `applicationServerKey` a browser passes to `pushManager.subscribe`. The relay generates its VAPID key pair on first start (DATA_DIR/vapid.key) unless VAPID_PRIVATE_KEY or VAPID_PRIVATE_KEY_FILE names one.',
    credential: 'session',
    responses: { 200: { description: 'The public key.', content: json(VapidPublicKey) } },
  }),
  subscribe: declareRoute({
    method: 'post',
    path: '/api/v1/owner/push/subscriptions',
    operationId: 'subscribePush',
    tags: ['Owner'],
    summary: 'Notify this browser of new requests (Web Push)',
    description:
      'Stores the browser’s push subscription for the signed-in owner: each new request waiting for this owner’s decision sends it an encrypted push message with the agent, the kind and the risk (never a code). The endpoint must be a public https:// URL. Subscribing the same endpoint again replaces its keys.',
    errors: { VALIDATION_ERROR: 'the endpoint is not https, or is or resolves to an internal address' },
    credential: 'session',
    request: { body: { required: true, content: json(PushSubscriptionBody) } },
    responses: { 201: { description: 'Subscribed.', content: json(PushSubscriptionState) } },
  }),
  state: declareRoute({
    method: 'post',
    path: '/api/v1/owner/push/subscriptions/state',
    operationId: 'getPushSubscriptionState',
    tags: ['Owner'],
    summary: 'Whether this browser’s push endpoint notifies the signed-in owner',
    description:
      'Answers whether the signed-in owner has a subscription for this endpoint (a POST, so the endpoint, a capability URL, stays out of access logs).',
    credential: 'session',
    request: { body: { required: true, content: json(PushEndpointBody) } },
    responses: { 200: { description: 'The state.', content: json(PushSubscriptionState) } },
  }),
  unsubscribe: declareRoute({
    method: 'delete',
    path: '/api/v1/owner/push/subscriptions',
    operationId: 'unsubscribePush',
    tags: ['Owner'],
    summary: 'Stop notifying this browser',
    description:
      'Removes the signed-in owner’s subscription for this endpoint. Another owner’s subscription for the same endpoint is left alone. Answers 200 whether or not there was one.',
    credential: 'session',
    request: { body: { required: true, content: json(PushEndpointBody) } },
    responses: { 200: { description: 'Unsubscribed.', content: json(PushSubscriptionState) } },
  }),
};

/** `/api/v1/owner/push/…`: "Notify this device" in the dashboard's Settings. */
export function registerOwnerPushSubscriptions(app: Router, services: ServerServices) {
  const { webPush } = services;
  const policy = pushEndpointPolicy(webPush.allowPrivate);
  openapiRoute(app, services, routes.publicKey, async (c) => c.json({ publicKey: webPush.publicKey }, 200));
  openapiRoute(app, services, routes.subscribe, async (c) => {
    const { endpoint, keys } = c.req.valid('json');
    await assertPushEndpointAllowed(policy, endpoint);
    await upsertPushSubscription(services.ctx.database.db, {
      id: newId('psh'),
      owner_id: c.get('owner').id,
      endpoint,
      p256dh: keys.p256dh,
      auth: keys.auth,
      created_at: services.ctx.clock.now().toISOString(),
    });
    return c.json({ subscribed: true }, 201);
  });
  openapiRoute(app, services, routes.state, async (c) => {
    const { endpoint } = c.req.valid('json');
    return c.json(
      { subscribed: await ownerHasPushSubscription(services.ctx.database.db, c.get('owner').id, endpoint) },
      200,
    );
  });
  openapiRoute(app, services, routes.unsubscribe, async (c) => {
    const { endpoint } = c.req.valid('json');
    await deleteOwnerPushSubscription(services.ctx.database.db, c.get('owner').id, endpoint);
    return c.json({ subscribed: false }, 200);
  });
}
