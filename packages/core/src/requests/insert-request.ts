import { insertRequestRecord, type RequestRecords, type RequestTable, withTransaction } from '@agent-otp/db';
import { assertOpenRequestCapacity } from '../agents/assert-open-request-capacity.js';
import { lockLiveAgent } from '../agents/lock-live-agent.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';
import type { RequestEvent } from '../events/event-bus.js';
import { queueWebhookEvent } from '../webhooks/queue-webhook-event.js';
import { announceWithin, publishCommittedChange } from './announce-change.js';
import type { RequestKindConfig } from './request-kind.js';
import type { TransitionAudit } from './transition.js';

/**
 * Stores a new request of any kind with its audit records (`requested`, then whatever a
 * policy or a test key decided at once) in one transaction: the agent is locked and its
 * open-request cap checked first, so concurrent creates cannot overshoot it. Waiters hear
 * `created` after the commit.
 *
 * @example
 * await insertRequest(ctx, OTP_REQUESTS, row, [{ actor: agentActor(agent), action: 'requested', details }]);
 */
export async function insertRequest<T extends RequestTable>(
  ctx: CoreContext,
  kind: RequestKindConfig<T>,
  row: RequestRecords[T],
  audit: readonly TransitionAudit[],
): Promise<void> {
  const event = await withTransaction(ctx.database, async (tx) => {
    await lockLiveAgent(ctx, tx, row.agent_id);
    await assertOpenRequestCapacity(ctx, tx, { kind: kind.kind, agentId: row.agent_id });
    await insertRequestRecord(tx, kind.table, row);
    for (const record of audit)
      await recordAuditEvent(ctx, tx, {
        ownerId: row.owner_id,
        actor: record.actor,
        action: `${kind.kind}.${record.action}`,
        targetId: row.id,
        ...(record.details === undefined ? {} : { details: record.details }),
      });
    // Created already decided (a test key, a policy): the agent hears of it like any change.
    const webhookQueued = await queueWebhookEvent(tx, kind.kind, row, row.created_at);
    const created: RequestEvent = { ...kind.event(row, 'created'), webhookQueued };
    await announceWithin(ctx, tx, created);
    return created;
  });
  publishCommittedChange(ctx, event);
}
