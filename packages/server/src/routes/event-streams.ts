import {
  DECISION_SUBJECT_EXAMPLE,
  DecisionSubjectList,
  DecisionSubjectSchema,
  HELD_MESSAGE_LIST_EXAMPLE,
  HeldMessageList,
  OTP_REQUEST_EXAMPLE,
  OtpRequest,
} from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';

/**
 * One Server-Sent Event as the document describes it: the `event:` name, the `id:` when
 * the stream sends one, and `data:`, one line of JSON that parses to `data`'s schema.
 */
function serverSentEvent<T extends z.ZodType>(
  name: string,
  data: T,
  description: string,
  // Checked against the schema by Redocly (openapi-lint.test.ts), not by the compiler: examples are plain JSON.
  example: { id?: string; data: unknown },
) {
  return z
    .object({
      event: z.literal(name),
      id: z.string().optional(),
      data,
    })
    .openapi({
      description: `${description} On the wire \`data:\` is this JSON on one line.`,
      example: { event: name, ...example },
    });
}

/** `GET /api/v1/otp/{id}/events`: a `status` event now and one per change. */
export const OtpStatusEvent = serverSentEvent(
  'status',
  OtpRequest,
  'The request as `GET /api/v1/otp/{id}` returns it; `id` is `<requestId>:<status>`.',
  { id: `${OTP_REQUEST_EXAMPLE.id}:${OTP_REQUEST_EXAMPLE.status}`, data: OTP_REQUEST_EXAMPLE },
).openapi('OtpStatusEvent');

/** `GET /api/v1/approvals/events`: the queue, one changed request, or the held messages. */
export const ApprovalStreamEvent = z
  .discriminatedUnion('event', [
    serverSentEvent(
      'pending',
      DecisionSubjectList,
      'The whole approval queue, on connect and after every change.',
      { data: { approvals: [DECISION_SUBJECT_EXAMPLE] } },
    ).openapi('ApprovalQueueEvent'),
    serverSentEvent(
      'request',
      DecisionSubjectSchema,
      'One request that changed: created, decided, delivered, consumed, cancelled or expired.',
      { data: DECISION_SUBJECT_EXAMPLE },
    ).openapi('ApprovalRequestEvent'),
    serverSentEvent(
      'held',
      HeldMessageList,
      'The messages held for the owner to assign, on connect and whenever they change.',
      { data: HELD_MESSAGE_LIST_EXAMPLE },
    ).openapi('HeldMessagesEvent'),
  ])
  .openapi('ApprovalStreamEvent', {
    description:
      'One event of the owner’s approval stream, told apart by its `event:` line (`pending`, `request` or `held`); its `data:` line is the JSON shown for that event. Lines starting with `:` are keep-alive comments.',
    example: { event: 'request', data: DECISION_SUBJECT_EXAMPLE },
  });

/**
 * The OpenAPI content of an event stream whose events `events` describes.
 *
 * @example
 * responses: { 200: { description: 'An event stream.', content: eventStreamOf(OtpStatusEvent) } }
 */
export function eventStreamOf<T extends z.ZodType>(events: T) {
  return { 'text/event-stream': { schema: events } };
}
