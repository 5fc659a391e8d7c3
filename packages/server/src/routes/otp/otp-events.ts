import {
  type Change,
  OTP_REQUESTS,
  readRequest,
  requestTopic,
  toApiOtpRequest,
  watchChanges,
} from '@agent-otp/core';
import type { OtpRequestRecord } from '@agent-otp/db';
import { OtpRequestId, TERMINAL_STATUSES } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { holdsConnection } from '../../middleware/hold-limits.js';
import { answeredLater } from '../../middleware/late-answer.js';
import type { Router } from '../../openapi-app.js';
import { eventStreamOf, OtpStatusEvent } from '../event-streams.js';
import { type EventSink, nodeEventStream } from '../node-event-stream.js';
import { keepStreamAlive } from '../sse-keepalive.js';
import { abortOnDisconnect } from './abort-on-disconnect.js';

export const otpEventsRoute = declareRoute({
  method: 'get',
  path: '/api/v1/otp/{id}/events',
  operationId: 'streamOtpEvents',
  tags: ['OTP'],
  summary: 'Server-Sent Events: one `status` event now and one per change, until the request ends',
  description:
    'A Server-Sent Events stream for one request: a `status` event at once and one per change; the stream ends after a terminal status. A comment line (`: keepalive`) every 15 seconds keeps proxies from closing it. Counts as one wait against the credential’s limit.',
  errors: {
    NOT_FOUND: 'no OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    RATE_LIMITED:
      'too many open waits: at most 10 concurrent waits per credential (long-polls and event streams); retry after 1 s',
  },
  credential: 'agent',
  request: { params: z.object({ id: OtpRequestId }) },
  responses: {
    200: {
      description: 'An event stream; each `status` event carries the request as JSON.',
      content: eventStreamOf(OtpStatusEvent),
    },
  },
});

export function registerOtpEvents(app: Router, services: ServerServices) {
  openapiRoute(
    app,
    services,
    { ...otpEventsRoute, middleware: [holdsConnection(services, 'always')] },
    async (c) => {
      const { id } = c.req.valid('param');
      const scope = { agentId: c.get('agent').agentId };
      // Read before streaming so an unknown or foreign ID is a plain 404, not an empty stream.
      await readRequest(services.ctx, OTP_REQUESTS, id, scope);
      const signal = abortOnDisconnect(c, services.shutdownSignal);
      const feed = {
        topic: requestTopic(id),
        read: () => readRequest(services.ctx, OTP_REQUESTS, id, scope),
        // Streams of one agent on one request share a re-read after each change.
        shareKey: JSON.stringify(scope),
        // Expiry is applied on read: the re-read at the deadline reports it.
        deadline: (row: { expires_at: string }) => row.expires_at,
      };
      const follow = async (stream: EventSink) => {
        const stopKeepalive = keepStreamAlive(() => void stream.write(': keepalive\n\n'));
        let lastSent = '';
        /** Sends the change (unless it repeats the last event); true once the request has ended. */
        const send = async (change: Change<OtpRequestRecord>) => {
          const { row } = change;
          // The change stays in the loop's frame while the stream waits; the row it read does not.
          (change as { row: OtpRequestRecord | undefined }).row = undefined;
          const body = JSON.stringify(toApiOtpRequest(services.ctx, row));
          if (body !== lastSent) {
            await stream.writeSSE({ event: 'status', data: body, id: `${row.id}:${row.status}` });
            lastSent = body;
          }
          return TERMINAL_STATUSES.has(row.status);
        };
        try {
          for await (const change of watchChanges(services.ctx, feed, signal)) {
            if (signal.aborted || (await send(change))) break;
          }
        } finally {
          stopKeepalive();
        }
      };
      // Served by Node: written on the Node response, holding no stream objects or Context.
      const sink = nodeEventStream(c);
      if (!sink) return streamSSE(c, follow);
      const requestId = c.get('requestId');
      follow(sink)
        // As streamSSE does with a failure in its callback: logged (here through the relay's
        // logger, with the request ID, as the error handler logs), and the stream ended.
        .catch((error: unknown) =>
          services.logger.error(
            { requestId, err: { name: (error as Error)?.name, stack: (error as Error)?.stack } },
            'event stream failed',
          ),
        )
        .finally(() => sink.close());
      // The typed stream is the one the sink writes; this Response only says it is handled.
      return answeredLater() as never;
    },
  );
}
