import {
  type ChangeFeed,
  type DecisionSubject,
  getDecisionSubject,
  listHeldMessages,
  listPendingDecisions,
  ownerTopic,
  watchChanges,
} from '@agent-otp/core';
import { DecisionSubjectSchema, type HeldMessage } from '@agent-otp/shared';
import { streamSSE } from 'hono/streaming';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { holdsConnection } from '../../middleware/hold-limits.js';
import type { Router } from '../../openapi-app.js';
import { ApprovalStreamEvent, eventStreamOf } from '../event-streams.js';
import { abortOnDisconnect } from '../otp/abort-on-disconnect.js';

export const approvalEventsRoute = declareRoute({
  method: 'get',
  path: '/api/v1/approvals/events',
  operationId: 'streamApprovalEvents',
  tags: ['Owner'],
  summary: 'Server-Sent Events: the owner’s approval queue, live',
  description: [
    'A `pending` event (`{"approvals": DecisionSubject[]}`, the whole queue) on connect and after every change,',
    'and a `request` event (one DecisionSubject) for each request that changed: created, decided through any',
    'channel (dashboard, Telegram, CLI), delivered, consumed, cancelled or expired. A `held` event',
    '(`{"heldMessages": HeldMessage[]}`) on connect and whenever the messages held for the owner to assign change.',
    'The dashboard uses it.',
  ].join(' '),
  errors: {
    RATE_LIMITED:
      'too many open waits: at most 10 concurrent waits per credential (long-polls and event streams); retry after 1 s',
  },
  credential: 'owner',
  responses: {
    200: { description: 'An event stream.', content: eventStreamOf(ApprovalStreamEvent) },
  },
});

const KEEPALIVE_MS = 15_000;
/** Events that arrive together (a delivery and an approval) become one update. */
const COALESCE_MS = 25;

const wire = (subject: DecisionSubject) => DecisionSubjectSchema.parse(subject);

/** One read of what the owner's dashboard shows: the requests that changed, the queue, the held messages. */
interface OwnerQueue {
  subjects: DecisionSubject[];
  pending: DecisionSubject[];
  held: HeldMessage[];
}

export function registerApprovalEvents(app: Router, services: ServerServices) {
  openapiRoute(
    app,
    services,
    { ...approvalEventsRoute, middleware: [holdsConnection(services, 'always')] },
    async (c) => {
      const ownerId = c.get('owner').id;
      const signal = abortOnDisconnect(c, services.shutdownSignal);
      return streamSSE(c, async (stream) => {
        const changed = new Set<string>();
        const feed: ChangeFeed<OwnerQueue> = {
          topic: ownerTopic(ownerId),
          // Every event names a request to send again; a resync changes no one request and
          // re-reads the queue only.
          wakesOn: (event) => {
            changed.add(event.requestId);
            return true;
          },
          read: async () => {
            const ids = [...changed];
            changed.clear();
            const subjects: DecisionSubject[] = [];
            for (const id of ids) {
              const subject = await getDecisionSubject(services.ctx, ownerId, id);
              if (subject) subjects.push(subject);
            }
            const pending = await listPendingDecisions(services.ctx, ownerId);
            return { subjects, pending, held: await listHeldMessages(services.ctx, ownerId) };
          },
          // The sweeper announces expiries; this deadline also drops an overdue item if it lags.
          deadline: ({ pending, held }) => {
            const soonest = Math.min(...[...pending, ...held].map((p) => Date.parse(p.expiresAt)));
            return Number.isFinite(soonest) ? new Date(soonest).toISOString() : undefined;
          },
          settleMs: COALESCE_MS,
        };
        const keepalive = setInterval(() => void stream.write(': keepalive\n\n'), KEEPALIVE_MS);
        try {
          let lastQueue = '';
          let lastHeld = '';
          for await (const { row } of watchChanges(services.ctx, feed, signal)) {
            if (signal.aborted) break;
            for (const subject of row.subjects)
              await stream.writeSSE({ event: 'request', data: JSON.stringify(wire(subject)) });
            const queue = JSON.stringify({ approvals: row.pending.map(wire) });
            if (queue !== lastQueue) {
              await stream.writeSSE({ event: 'pending', data: queue });
              lastQueue = queue;
            }
            const heldList = JSON.stringify({ heldMessages: row.held });
            if (heldList !== lastHeld) {
              await stream.writeSSE({ event: 'held', data: heldList });
              lastHeld = heldList;
            }
          }
        } finally {
          clearInterval(keepalive);
        }
      });
    },
  );
}
