import {
  type DecisionSubject,
  getDecisionSubject,
  listHeldMessages,
  listPendingDecisions,
  ownerTopic,
} from '@agent-otp/core';
import { DecisionSubjectSchema } from '@agent-otp/shared';
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { ServerServices } from '../../env.js';
import { holdsConnection } from '../../middleware/hold-limits.js';
import { errorResponses, ownerSecurity, type Router } from '../../openapi-app.js';
import { abortOnDisconnect } from '../otp/abort-on-disconnect.js';

export const approvalEventsRoute = createRoute({
  method: 'get',
  path: '/api/v1/approvals/events',
  tags: ['Owner'],
  summary: 'Server-Sent Events: the owner’s approval queue, live',
  description: [
    'A `pending` event (`{"approvals": DecisionSubject[]}`, the whole queue) on connect and after every change,',
    'and a `request` event (one DecisionSubject) for each request that changed: created, decided through any',
    'channel (dashboard, Telegram, CLI), delivered, consumed, cancelled or expired. A `held` event',
    '(`{"heldMessages": HeldMessage[]}`) on connect and whenever the messages held for the owner to assign change.',
    'The dashboard uses it.',
  ].join(' '),
  security: ownerSecurity,
  responses: {
    200: { description: 'An event stream.', content: { 'text/event-stream': { schema: z.string() } } },
    ...errorResponses(),
  },
});

const KEEPALIVE_MS = 15_000;
/** Events that arrive together (a delivery and an approval) become one update. */
const COALESCE_MS = 25;

const wire = (subject: DecisionSubject) => DecisionSubjectSchema.parse(subject);

export function registerApprovalEvents(app: Router, services: ServerServices) {
  app.openapi({ ...approvalEventsRoute, middleware: [holdsConnection(services, 'always')] }, async (c) => {
    const ownerId = c.get('owner').id;
    const signal = abortOnDisconnect(c, services.shutdownSignal);
    return streamSSE(c, async (stream) => {
      const changed = new Set<string>();
      let wake: () => void = () => {};
      const unsubscribe = services.ctx.bus.subscribe(ownerTopic(ownerId), (event) => {
        // A resync (events may have been missed) changes no one request: the queue is re-read.
        if (event.type !== 'resync') changed.add(event.requestId);
        wake();
      });
      const keepalive = setInterval(() => void stream.write(': keepalive\n\n'), KEEPALIVE_MS);
      let expiryTimer: NodeJS.Timeout | undefined;
      try {
        let lastQueue = '';
        let lastHeld = '';
        // One listener for the stream's life; `wake` always points at the current wait.
        signal.addEventListener('abort', () => wake(), { once: true });
        while (!signal.aborted) {
          const next = new Promise<void>((resolve) => {
            wake = resolve;
          });
          const ids = [...changed];
          changed.clear();
          for (const id of ids) {
            const subject = await getDecisionSubject(services.ctx, ownerId, id);
            if (subject) await stream.writeSSE({ event: 'request', data: JSON.stringify(wire(subject)) });
          }
          const pending = await listPendingDecisions(services.ctx, ownerId);
          const queue = JSON.stringify({ approvals: pending.map(wire) });
          if (queue !== lastQueue) {
            await stream.writeSSE({ event: 'pending', data: queue });
            lastQueue = queue;
          }
          const held = await listHeldMessages(services.ctx, ownerId);
          const heldList = JSON.stringify({ heldMessages: held });
          if (heldList !== lastHeld) {
            await stream.writeSSE({ event: 'held', data: heldList });
            lastHeld = heldList;
          }
          // The sweeper announces expiries; this timer also drops an overdue item if it lags.
          const soonest = Math.min(...[...pending, ...held].map((p) => Date.parse(p.expiresAt)));
          clearTimeout(expiryTimer);
          if (Number.isFinite(soonest))
            expiryTimer = setTimeout(
              () => wake(),
              Math.max(0, soonest - services.ctx.clock.now().getTime() + 50),
            );
          if (changed.size === 0) await next;
          await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
        }
      } finally {
        clearTimeout(expiryTimer);
        clearInterval(keepalive);
        unsubscribe();
      }
    });
  });
}
