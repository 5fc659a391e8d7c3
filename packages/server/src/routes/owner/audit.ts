import { listAuditEvents, verifyAudit } from '@agent-otp/core';
import { AuditEventList, AuditEventsQuery, AuditVerification } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';
import { registerOwnerAuditExport } from './audit-export.js';

const listRoute = declareRoute({
  method: 'get',
  path: '/api/v1/audit',
  operationId: 'listAuditEvents',
  tags: ['Owner'],
  summary: 'The owner’s audit events, newest first, filtered by text, action, agent and dates',
  description:
    'The owner’s audit events, newest first, one page at a time (`cursor`: the `nextCursor` of the previous page). The filters (`q` in action, target and details; `action` or its family; `agentId`; `since`/`until`) look through at most 10,000 events per page, so a filter that matches nothing costs the same on any history: `searched` names the events a page looked through, and `nextCursor` continues further back, even after a page with no matches. Dates first narrow the events to those of the range (an index look-up), then the window applies within it.',
  errors: {
    VALIDATION_ERROR: 'query.limit: Too big: expected number to be <=200',
  },
  credential: 'owner',
  request: {
    query: AuditEventsQuery,
  },
  responses: {
    200: { description: 'One page.', content: { 'application/json': { schema: AuditEventList } } },
  },
});

const verifyRoute = declareRoute({
  method: 'post',
  path: '/api/v1/audit/verify',
  operationId: 'verifyAuditChain',
  tags: ['Owner'],
  summary: 'Check the owner’s audit hash chain and name the first broken row',
  description:
    'Recomputes the owner’s keyed hash chain (HMAC-SHA256 under the relay’s audit key) and its signed checkpoint, and names the first row that does not match: an edited, deleted or re-ordered row shows up here.',
  credential: 'owner',
  responses: {
    200: { description: 'The verdict.', content: { 'application/json': { schema: AuditVerification } } },
  },
});

export function registerOwnerAudit(app: Router, services: ServerServices) {
  openapiRoute(app, services, listRoute, async (c) => {
    const { limit, cursor, q, action, agentId, since, until } = c.req.valid('query');
    return c.json(
      await listAuditEvents(services.ctx, {
        ownerId: c.get('owner').id,
        limit,
        cursor,
        search: q,
        action,
        agentId,
        since,
        until,
      }),
      200,
    );
  });
  registerOwnerAuditExport(app, services);
  openapiRoute(app, services, verifyRoute, async (c) =>
    c.json(await verifyAudit(services.ctx, c.get('owner').id), 200),
  );
}
