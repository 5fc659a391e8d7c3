import { insertWebhookEvent, type Tx } from '@agent-otp/db';
import type { WebhookEvent } from '@agent-otp/shared';
import { type RequestKind, WEBHOOK_EVENT_STATUSES } from '@agent-otp/shared/stored-values';
import { newId } from '../ids.js';

/** The columns of a request of any kind that a webhook event is made of. */
export interface WebhookSubject {
  id: string;
  owner_id: string;
  agent_id: string;
  status: string;
  webhook_url: string | null;
  /** The owner's reason for a denial, when they gave one; both request tables hold it. */
  denial_reason: string | null;
}

/**
 * Queues the webhook event for a request's new status, in the transaction that changed it,
 * when the request named a webhook URL and the status is one its agent acts on
 * (WEBHOOK_EVENT_STATUSES). The outbox row commits with the change or not at all, so no
 * event is lost to a crash between the two. The body holds the status, never the code.
 * Returns whether it queued one (the change's bus event says so: delivery is woken only then).
 *
 * @example
 * await queueWebhookEvent(tx, 'otp', updatedRow, now);
 */
export async function queueWebhookEvent(
  tx: Tx,
  kind: RequestKind,
  request: WebhookSubject,
  now: string,
): Promise<boolean> {
  if (request.webhook_url === null) return false;
  if (!(WEBHOOK_EVENT_STATUSES[kind] as readonly string[]).includes(request.status)) return false;
  const id = newId('evt');
  const event: WebhookEvent = {
    id,
    type: `${kind}.${request.status}`,
    kind,
    request_id: request.id,
    status: request.status as WebhookEvent['status'],
    agent_id: request.agent_id,
    created_at: now,
    ...(request.status === 'denied' && request.denial_reason !== null
      ? { denial_reason: request.denial_reason }
      : {}),
  };
  await insertWebhookEvent(tx, {
    id,
    owner_id: request.owner_id,
    agent_id: request.agent_id,
    request_id: request.id,
    kind,
    event_type: event.type,
    status: 'pending',
    url: request.webhook_url,
    body: JSON.stringify(event),
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
  });
  return true;
}
