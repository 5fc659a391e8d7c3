import { listWebhookEvents, type WebhookOutboxRow } from '@agent-otp/db';
import type { WebhookDelivery } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';

/** How many events a listing shows when the caller does not say. */
export const DEFAULT_WEBHOOK_DELIVERY_LIMIT = 50;

function toWebhookDelivery(row: WebhookOutboxRow): WebhookDelivery {
  return {
    id: row.id,
    agentId: row.agent_id,
    requestId: row.request_id,
    type: row.event_type,
    status: row.status,
    url: row.url,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    deliveredAt: row.delivered_at,
    lastHttpStatus: row.last_http_status,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

/**
 * An owner's recent webhook deliveries and failures, newest first, optionally of one agent.
 * Another owner's agent simply has none here.
 *
 * @example
 * const deliveries = await listWebhookDeliveries(ctx, { ownerId, agentId: 'agt_…' });
 */
export async function listWebhookDeliveries(
  ctx: CoreContext,
  options: { ownerId: string; agentId?: string | undefined; limit?: number | undefined },
): Promise<WebhookDelivery[]> {
  const rows = await listWebhookEvents(ctx.database.db, {
    ownerId: options.ownerId,
    agentId: options.agentId,
    limit: options.limit ?? DEFAULT_WEBHOOK_DELIVERY_LIMIT,
  });
  return rows.map(toWebhookDelivery);
}
