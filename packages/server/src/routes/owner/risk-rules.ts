import { listRiskRules, setRiskRuleLevel } from '@agent-otp/core';
import { RiskRule, RiskRuleIdParam, RiskRuleList, UpdateRiskRuleBody } from '@agent-otp/shared';
import { z } from 'zod';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';
import { requestOwnerActor } from './owner-actor.js';

const listRoute = declareRoute({
  method: 'get',
  path: '/api/v1/risk-rules',
  operationId: 'listRiskRules',
  tags: ['Policies'],
  summary: 'The built-in risk rules and the level each has for this owner',
  description:
    'Every built-in rule that rates a new request’s risk (destructive verbs, production resources, money, broad OTP requests, new keys): what it looks for, its default level, and this owner’s level for it (or `off`).',
  credential: 'owner',
  responses: {
    200: { description: 'The rules.', content: { 'application/json': { schema: RiskRuleList } } },
  },
});

const updateRoute = declareRoute({
  method: 'put',
  path: '/api/v1/risk-rules/{rule}',
  operationId: 'updateRiskRule',
  tags: ['Policies'],
  summary: 'Change the level of one built-in risk rule, or turn it off',
  description:
    'Sets the level (`low`, `elevated`, `high`) a built-in rule gives the requests it finds, or `off`, for this owner. Requests already created keep the risk they were given.',
  errors: {
    NOT_FOUND:
      'no risk rule wire-money: the rules are destructive-verb, production-resource, money, broad-otp, new-key',
    VALIDATION_ERROR: 'level: Invalid option: expected one of "low"|"elevated"|"high"|"off"',
  },
  credential: 'owner',
  request: {
    params: z.object({ rule: RiskRuleIdParam }),
    body: { required: true, content: { 'application/json': { schema: UpdateRiskRuleBody } } },
  },
  responses: {
    200: { description: 'The rule as it now stands.', content: { 'application/json': { schema: RiskRule } } },
  },
});

/** The owner's settings for the built-in risk rules (issue 15). */
export function registerOwnerRiskRules(app: Router, services: ServerServices) {
  openapiRoute(app, services, listRoute, async (c) =>
    c.json({ rules: await listRiskRules(services.ctx, c.get('owner').id) }, 200),
  );
  openapiRoute(app, services, updateRoute, async (c) => {
    const rule = await setRiskRuleLevel(services.ctx, {
      ownerId: c.get('owner').id,
      rule: c.req.valid('param').rule,
      level: c.req.valid('json').level,
      actor: requestOwnerActor(c),
    });
    return c.json(rule, 200);
  });
}
