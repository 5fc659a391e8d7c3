import { Timestamp } from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import { AGENT_WEBHOOK_SECRET_EXAMPLE, WEBHOOK_DELIVERY_LIST_EXAMPLE } from './examples.js';

/** One webhook event as its owner sees it: where it went and how delivery went, never the body's secrets (it has none). */
export const WebhookDelivery = z
  .object({
    id: z.string().meta({ description: 'The event id (`x-otp-event-id`).' }),
    agentId: z.string(),
    requestId: z.string(),
    type: z.string().meta({ example: 'otp.otp_received' }),
    status: z.enum(['pending', 'delivered', 'failed']).meta({
      description:
        '`pending`: not yet acknowledged, retried with backoff; `delivered`: a 2xx answer; `failed`: retries ran out.',
    }),
    url: z.string(),
    attempts: z.number().int(),
    nextAttemptAt: Timestamp.nullable().meta({ description: 'When the next attempt is due (pending only).' }),
    deliveredAt: Timestamp.nullable(),
    lastHttpStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryList = z
  .object({ deliveries: z.array(WebhookDelivery) })
  .meta({ id: 'WebhookDeliveryList', example: WEBHOOK_DELIVERY_LIST_EXAMPLE });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

/** Query of the owner's delivery list. */
export const WebhookDeliveryQuery = z.strictObject({
  agentId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'Only this agent’s events.', example: 'agt_01JD2V7K9M4P2Q8X5R3T6W1YZB' }),
  limit: z.coerce.number().int().min(1).max(200).optional().meta({ description: 'Default 50.', example: 50 }),
});

/** A new webhook signing secret, shown once. */
export const AgentWebhookSecret = z
  .object({
    agentId: z.string(),
    webhookSecret: z.string().meta({
      description: 'The agent’s webhook signing secret (`whsec_…`). Shown once; store it now.',
    }),
  })
  .meta({ id: 'AgentWebhookSecret', example: AGENT_WEBHOOK_SECRET_EXAMPLE });
export type AgentWebhookSecret = z.infer<typeof AgentWebhookSecret>;
