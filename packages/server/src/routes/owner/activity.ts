import { getOwnerActivity } from '@agent-otp/core';
import { Activity, ActivityQuery } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

const activityRoute = declareRoute({
  method: 'get',
  path: '/api/v1/activity',
  operationId: 'getOwnerActivity',
  tags: ['Owner'],
  summary:
    'The owner’s requests per day and agent by outcome, decision and code times, expiry and denial rates',
  description:
    'The owner’s OTP and permission requests created in the last `days` UTC days (today included), counted per day, agent and kind by outcome (`approved` covers an approved request whatever followed short of ending otherwise: waiting for its code, code received or read, token live or used up). The summary gives the median and 90th percentile (nearest rank) of the time the owner took to decide (policy and test-key decisions left out) and of the time from approval to the code (OTP requests), and the share of ended requests that expired or were denied. `agentId` narrows everything to one agent.',
  errors: {
    VALIDATION_ERROR: 'query.days: Too big: expected number to be <=90',
  },
  credential: 'owner',
  request: { query: ActivityQuery },
  responses: {
    200: { description: 'The activity.', content: { 'application/json': { schema: Activity } } },
  },
});

export function registerOwnerActivity(app: Router, services: ServerServices) {
  openapiRoute(app, services, activityRoute, async (c) => {
    const { days, agentId } = c.req.valid('query');
    return c.json(await getOwnerActivity(services.ctx, { ownerId: c.get('owner').id, days, agentId }), 200);
  });
}
