import {
  type OtpRequestRecord,
  type PermissionRequestRecord,
  type RequestRecords,
  type RequestTable,
  type Tx,
  updateAgentRequestRecords,
} from '@agent-otp/db';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';
import { OTP_REQUESTS } from '../requests/otp-requests.js';
import { PERMISSION_REQUESTS } from '../requests/permission-requests.js';
import type { RequestKindConfig } from '../requests/request-kind.js';
import { queueWebhookEvent } from '../webhooks/queue-webhook-event.js';

type CancelOptions = { agentId: string; ownerId: string; actor: Actor; now: string; reason: string };

/** Closes every open request of one kind of the agent, in one statement, one audit row each. */
async function cancelOpenRequestsOf<T extends RequestTable>(
  ctx: CoreContext,
  tx: Tx,
  kind: RequestKindConfig<T>,
  options: CancelOptions,
): Promise<RequestRecords[T][]> {
  const rows = await updateAgentRequestRecords(tx, kind.table, {
    agentId: options.agentId,
    ownerId: options.ownerId,
    from: kind.open,
    changes: { ...kind.closeChanges, status: 'cancelled', closed_at: options.now },
  });
  for (const row of rows) {
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: `${kind.kind}.cancelled`,
      targetId: row.id,
      details: { reason: options.reason },
    });
    await queueWebhookEvent(tx, kind.kind, row, options.now);
  }
  return rows;
}

/**
 * Cancels every request of an agent that could still do something: OTP requests stop being
 * listed to capture sources and lose any ciphertext they held; permission requests stop
 * waiting and their tokens stop working. Runs inside the caller's transaction (revocation),
 * records one audit row per request, and returns the rows so the caller can publish their
 * events once the transaction has committed.
 *
 * @example
 * const closed = await cancelAgentRequests(ctx, tx, { agentId, ownerId, actor, now, reason: 'agent revoked' });
 */
export async function cancelAgentRequests(
  ctx: CoreContext,
  tx: Tx,
  options: CancelOptions,
): Promise<{ otp: OtpRequestRecord[]; permissions: PermissionRequestRecord[] }> {
  return {
    otp: await cancelOpenRequestsOf(ctx, tx, OTP_REQUESTS, options),
    permissions: await cancelOpenRequestsOf(ctx, tx, PERMISSION_REQUESTS, options),
  };
}
