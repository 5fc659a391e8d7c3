import { z } from 'zod';
import { RequestKindSchema } from '../schemas/common.js';
import { WEBHOOK_EVENT_STATUSES } from './webhook-event-statuses.js';

export { WEBHOOK_EVENT_STATUSES } from './webhook-event-statuses.js';

const ALL_EVENT_STATUSES = [
  ...new Set([...WEBHOOK_EVENT_STATUSES.otp, ...WEBHOOK_EVENT_STATUSES.permission]),
] as [string, ...string[]];

/**
 * The body of one webhook delivery. Snake case because seed 004's handler reads
 * `request_id` and `status` from it. It never carries the code or its ciphertext: the agent
 * consumes the code with its private key, as it would after a long-poll.
 */
export const WebhookEvent = z
  .object({
    id: z
      .string()
      .min(1)
      .meta({ description: 'The event id, also sent as `x-otp-event-id`; retries reuse it.' }),
    type: z
      .string()
      .min(1)
      .meta({ description: '`<kind>.<status>`, e.g. `otp.otp_received`.', example: 'otp.otp_received' }),
    kind: RequestKindSchema,
    request_id: z.string().min(1),
    status: z.enum(ALL_EVENT_STATUSES).meta({ description: 'The request’s new status.' }),
    agent_id: z.string().min(1),
    created_at: z.string().meta({ description: 'When the status changed (ISO 8601).' }),
    denial_reason: z.string().optional().meta({
      description:
        'Only on a `denied` event whose owner gave a reason: their words (the agent API’s `denialReason`, snake case like the rest of this body).',
      example: 'Use the staging account, not production',
    }),
  })
  .meta({ id: 'WebhookEvent' });
export type WebhookEvent = z.infer<typeof WebhookEvent>;
