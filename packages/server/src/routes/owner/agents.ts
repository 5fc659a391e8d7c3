import { createAgent, listAgents, revokeAgent, rotateAgentKey } from '@agent-otp/core';
import { Agent, AgentId, AgentWithKey, CreateAgentBody } from '@agent-otp/shared';
import { createRoute, z } from '@hono/zod-openapi';
import type { ServerServices } from '../../env.js';
import { errorResponses, ownerSecurity, type Router } from '../../openapi-app.js';
import { requestOwnerActor } from './owner-actor.js';

const params = z.object({ id: AgentId });
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/agents',
    tags: ['Owner'],
    summary: 'The owner’s agents and their keys (prefixes only)',
    security: ownerSecurity,
    responses: {
      200: { description: 'Agents.', content: json(z.object({ agents: z.array(Agent) })) },
      ...errorResponses(),
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/agents',
    tags: ['Owner'],
    summary: 'Create an agent; its API key is in this response only',
    security: ownerSecurity,
    request: { body: { required: true, content: json(CreateAgentBody) } },
    responses: { 201: { description: 'Created.', content: json(AgentWithKey) }, ...errorResponses() },
  }),
  revoke: createRoute({
    method: 'post',
    path: '/api/v1/agents/{id}/revoke',
    tags: ['Owner'],
    summary: 'Revoke an agent and all its keys',
    security: ownerSecurity,
    request: { params },
    responses: { 200: { description: 'Revoked.', content: json(Agent) }, ...errorResponses(404, 409) },
  }),
  rotate: createRoute({
    method: 'post',
    path: '/api/v1/agents/{id}/rotate-key',
    tags: ['Owner'],
    summary: 'Issue a new key and revoke the old ones',
    security: ownerSecurity,
    request: { params },
    responses: {
      200: { description: 'The new key, shown once.', content: json(AgentWithKey) },
      ...errorResponses(404, 409),
    },
  }),
};

export function registerOwnerAgents(app: Router, services: ServerServices) {
  app.openapi(routes.list, async (c) =>
    c.json({ agents: await listAgents(services.ctx, c.get('owner').id) }, 200),
  );
  app.openapi(routes.create, async (c) => {
    const body = c.req.valid('json');
    return c.json(
      await createAgent(services.ctx, { ...body, ownerId: c.get('owner').id, actor: requestOwnerActor(c) }),
      201,
    );
  });
  app.openapi(routes.revoke, async (c) => {
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
  app.openapi(routes.rotate, async (c) => {
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
