import { streamSSE } from 'hono/streaming';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { holdsConnection } from '../../middleware/hold-limits.js';
import type { Router } from '../../openapi-app.js';
import { ApprovalStreamEvent, eventStreamOf } from '../event-streams.js';
import { abortOnDisconnect } from '../otp/abort-on-disconnect.js';
import { keepStreamAlive } from '../sse-keepalive.js';
import { OwnerQueues } from './owner-queues.js';

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

/**
 * What one tab has yet to be sent: updates that arrive while it is still writing merge here
 * (latest queue and held list, each changed request once), so a slow tab costs one pending
 * update, not a backlog.
 */
interface Outbox {
  requests: Map<string, string>;
  pending?: string;
  held?: string;
}

export function registerApprovalEvents(app: Router, services: ServerServices) {
  const queues = new OwnerQueues(services.ctx, services.logger);
  openapiRoute(
    app,
    services,
    { ...approvalEventsRoute, middleware: [holdsConnection(services, 'always')] },
    async (c) => {
      const ownerId = c.get('owner').id;
      const signal = abortOnDisconnect(c, services.shutdownSignal);
      return streamSSE(c, async (stream) => {
        let outbox: Outbox = { requests: new Map() };
        let wake = () => {};
        let ended = signal.aborted;
        const end = () => {
          ended = true;
          wake();
        };
        signal.addEventListener('abort', end, { once: true });
        const stopFollowing = queues.follow(ownerId, {
          update: (update) => {
            for (const [id, data] of update.requests) outbox.requests.set(id, data);
            outbox.pending = update.pending;
            outbox.held = update.held;
            wake();
          },
          end,
        });
        const stopKeepalive = keepStreamAlive(() => void stream.write(': keepalive\n\n'));
        try {
          let lastQueue = '';
          let lastHeld = '';
          while (!ended) {
            const { requests, pending, held } = outbox;
            outbox = { requests: new Map() };
            for (const data of requests.values()) await stream.writeSSE({ event: 'request', data });
            if (pending !== undefined && pending !== lastQueue) {
              await stream.writeSSE({ event: 'pending', data: pending });
              lastQueue = pending;
            }
            if (held !== undefined && held !== lastHeld) {
              await stream.writeSSE({ event: 'held', data: held });
              lastHeld = held;
            }
            if (outbox.requests.size === 0 && outbox.pending === undefined && !ended)
              await new Promise<void>((resolve) => {
                wake = resolve;
              });
          }
        } finally {
          stopKeepalive();
          stopFollowing();
          signal.removeEventListener('abort', end);
        }
      });
    },
  );
}
