import { listWebhookDeliveries, rotateAgentWebhookSecret } from '@agent-otp/core';
import { AgentId, AgentWebhookSecret, WebhookDeliveryList, WebhookDeliveryQuery } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';
import { requestOwnerActor } from './owner-actor.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const routes = {
  deliveries: declareRoute({
    method: 'get',
    path: '/api/v1/webhooks/deliveries',
    operationId: 'listWebhookDeliveries',
    tags: ['Owner'],
    summary: 'Recent webhook deliveries and failures of the owner’s agents, newest first',
    description:
      'Recent webhook deliveries to the owner’s agents (status changes sent to `webhookUrl`), newest first, with failures and their reasons.',
    errors: {
      VALIDATION_ERROR: 'query.limit: Too big: expected number to be <=200',
      NOT_FOUND: 'no agent agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    },
    credential: 'owner',
    request: { query: WebhookDeliveryQuery },
    responses: {
      200: { description: 'Deliveries.', content: json(WebhookDeliveryList) },
    },
  }),
  rotateSecret: declareRoute({
    method: 'post',
    path: '/api/v1/agents/{id}/rotate-webhook-secret',
    operationId: 'rotateAgentWebhookSecret',
    tags: ['Owner'],
    summary: 'Replace the agent’s webhook signing secret; the new one is in this response only',
    description:
      'Replaces the secret the relay signs the agent’s webhook deliveries with; the new secret is in this response only and the old one stops being used at once.',
    errors: {
      NOT_FOUND: 'no agent agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
      CONFLICT: 'agent agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N is revoked; create a new agent',
    },
    credential: 'owner',
    request: { params: z.object({ id: AgentId }) },
    responses: {
      200: { description: 'The new secret, shown once.', content: json(AgentWebhookSecret) },
    },
  }),
};

export function registerOwnerWebhooks(app: Router, services: ServerServices) {
  openapiRoute(app, services, routes.deliveries, async (c) => {
    const { agentId, limit } = c.req.valid('query');
    const deliveries = await listWebhookDeliveries(services.ctx, {
      ownerId: c.get('owner').id,
      agentId,
      limit,
    });
    return c.json({ deliveries }, 200);
  });
  openapiRoute(app, services, routes.rotateSecret, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(
      await rotateAgentWebhookSecret(services.ctx, {
        ownerId: c.get('owner').id,
        agentId: id,
        actor: requestOwnerActor(c),
      }),
      200,
    );
  });
}
