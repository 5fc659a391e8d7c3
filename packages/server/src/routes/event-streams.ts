import { DecisionSubjectList, DecisionSubjectSchema, HeldMessageList, OtpRequest } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';

/**
 * One Server-Sent Event as the document describes it: the `event:` name, the `id:` when
 * the stream sends one, and `data:`, one line of JSON that parses to `data`'s schema.
 */
function serverSentEvent<T extends z.ZodType>(name: string, data: T, description: string) {
  return z
    .object({
      event: z.literal(name),
      id: z.string().optional(),
      data,
    })
    .openapi({ description: `${description} On the wire \`data:\` is this JSON on one line.` });
}

/** `GET /api/v1/otp/{id}/events`: a `status` event now and one per change. */
export const OtpStatusEvent = serverSentEvent(
  'status',
  OtpRequest,
  'The request as `GET /api/v1/otp/{id}` returns it; `id` is `<requestId>:<status>`.',
).openapi('OtpStatusEvent');

/** `GET /api/v1/approvals/events`: the queue, one changed request, or the held messages. */
export const ApprovalStreamEvent = z
  .union([
    serverSentEvent(
      'pending',
      DecisionSubjectList,
      'The whole approval queue, on connect and after every change.',
    ).openapi('ApprovalQueueEvent'),
    serverSentEvent(
      'request',
      DecisionSubjectSchema,
      'One request that changed: created, decided, delivered, consumed, cancelled or expired.',
    ).openapi('ApprovalRequestEvent'),
    serverSentEvent(
      'held',
      HeldMessageList,
      'The messages held for the owner to assign, on connect and whenever they change.',
    ).openapi('HeldMessagesEvent'),
  ])
  .openapi('ApprovalStreamEvent');

/**
 * The OpenAPI content of an event stream whose events `events` describes.
 *
 * @example
 * responses: { 200: { description: 'An event stream.', content: eventStreamOf(OtpStatusEvent) } }
 */
export function eventStreamOf<T extends z.ZodType>(events: T) {
  return { 'text/event-stream': { schema: events } };
}
