import { createAgent, listAgents, revokeAgent, rotateAgentKey } from '@agent-otp/core';
import { Agent, AgentId, AgentList, AgentWithKey, CreateAgentBody } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';
import { requestOwnerActor } from './owner-actor.js';

const params = z.object({ id: AgentId });
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const routes = {
  list: declareRoute({
    method: 'get',
    path: '/api/v1/agents',
    operationId: 'listAgents',
    tags: ['Owner'],
    summary: 'The owner’s agents and their keys (prefixes only)',
    description:
      'The owner’s agents with their key prefixes (never the keys), status and when each was last used.',
    credential: 'owner',
    responses: {
      200: { description: 'Agents.', content: json(AgentList) },
    },
  }),
  create: declareRoute({
    method: 'post',
    path: '/api/v1/agents',
    operationId: 'createAgent',
    tags: ['Owner'],
    summary: 'Create an agent; its API key is in this response only',
    description:
      'Creates an agent. Its API key (`ak_live_…`, or `ak_test_…` with `test: true`) and its webhook signing secret are in this response only; the relay stores hashes.',
    errors: {
      VALIDATION_ERROR: 'body.name: Too small: expected string to have >=1 characters',
    },
    credential: 'owner',
    request: { body: { required: true, content: json(CreateAgentBody) } },
    responses: { 201: { description: 'Created.', content: json(AgentWithKey) } },
  }),
  revoke: declareRoute({
    method: 'post',
    path: '/api/v1/agents/{id}/revoke',
    operationId: 'revokeAgent',
    tags: ['Owner'],
    summary: 'Revoke an agent and all its keys',
    description:
      'Revokes the agent and all its keys; its open requests are cancelled and any codes held for them erased.',
    errors: {
      NOT_FOUND: 'no agent agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
      CONFLICT: 'agent agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N is already revoked',
    },
    credential: 'owner',
    request: { params },
    responses: { 200: { description: 'Revoked.', content: json(Agent) } },
  }),
  rotate: declareRoute({
    method: 'post',
    path: '/api/v1/agents/{id}/rotate-key',
    operationId: 'rotateAgentKey',
    tags: ['Owner'],
    summary: 'Issue a new key and revoke the old ones',
    description:
      'Issues a new API key, shown in this response only, and revokes the agent’s previous keys at once.',
    errors: {
      NOT_FOUND: 'no agent agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
      CONFLICT: 'agent agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N is revoked; create a new agent',
    },
    credential: 'owner',
    request: { params },
    responses: {
      200: { description: 'The new key, shown once.', content: json(AgentWithKey) },
    },
  }),
};

export function registerOwnerAgents(app: Router, services: ServerServices) {
  openapiRoute(app, services, routes.list, async (c) =>
    c.json({ agents: await listAgents(services.ctx, c.get('owner').id) }, 200),
  );
  openapiRoute(app, services, routes.create, async (c) => {
    const body = c.req.valid('json');
    return c.json(
      await createAgent(services.ctx, { ...body, ownerId: c.get('owner').id, actor: requestOwnerActor(c) }),
      201,
    );
  });
  openapiRoute(app, services, routes.revoke, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(
      await revokeAgent(services.ctx, {
        ownerId: c.get('owner').id,
        agentId: id,
        actor: requestOwnerActor(c),
      }),
      200,
    );
  });
  openapiRoute(app, services, routes.rotate, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(
      await rotateAgentKey(services.ctx, {
        ownerId: c.get('owner').id,
        agentId: id,
        actor: requestOwnerActor(c),
      }),
      200,
    );
  });
}
