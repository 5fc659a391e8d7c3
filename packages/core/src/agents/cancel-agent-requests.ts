import type { OtpRequestRow, PermissionRequestRow, Tx } from '@agent-otp/db';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';

/** OTP statuses a revoked agent's request can be in and still matter: it may yet get a code. */
const LIVE_OTP_STATUSES = ['pending_approval', 'approved', 'otp_received'] as const;
/** Permission statuses still waiting for a decision or holding a usable token. */
const LIVE_PERMISSION_STATUSES = ['pending_approval', 'approved'] as const;

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
  options: { agentId: string; ownerId: string; actor: Actor; now: string; reason: string },
): Promise<{ otp: OtpRequestRow[]; permissions: PermissionRequestRow[] }> {
  const otp = await tx
    .updateTable('otp_requests')
    .set({ status: 'cancelled', encrypted_payload: null, closed_at: options.now })
    .where('agent_id', '=', options.agentId)
    .where('owner_id', '=', options.ownerId)
    .where('status', 'in', LIVE_OTP_STATUSES)
    .returningAll()
    .execute();
  const permissions = await tx
    .updateTable('permission_requests')
    .set({ status: 'cancelled', closed_at: options.now })
    .where('agent_id', '=', options.agentId)
    .where('owner_id', '=', options.ownerId)
    .where('status', 'in', LIVE_PERMISSION_STATUSES)
    .returningAll()
    .execute();
  const details = { reason: options.reason };
  for (const row of otp)
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'otp.cancelled',
      targetId: row.id,
      details,
    });
  for (const row of permissions)
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'permission.cancelled',
      targetId: row.id,
      details,
    });
  return { otp, permissions };
}
