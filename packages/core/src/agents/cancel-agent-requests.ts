import type { Database, OtpRequestRow, PermissionRequestRow, Tx } from '@agent-otp/db';
import type { UpdateObject } from 'kysely';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';
import { OTP_REQUESTS } from '../requests/otp-requests.js';
import { PERMISSION_REQUESTS } from '../requests/permission-requests.js';
import type { RequestKindConfig, RequestRows, RequestTable } from '../requests/request-kind.js';

type CancelOptions = { agentId: string; ownerId: string; actor: Actor; now: string; reason: string };

/** Closes every open request of one kind of the agent, in one statement, one audit row each. */
async function cancelOpenRequestsOf<T extends RequestTable>(
  ctx: CoreContext,
  tx: Tx,
  kind: RequestKindConfig<T>,
  options: CancelOptions,
): Promise<RequestRows[T][]> {
  // Kysely cannot follow a generic table name: built against one table, shared columns only.
  const changes = { ...kind.closeChanges, status: 'cancelled', closed_at: options.now };
  const rows = (await tx
    .updateTable(kind.table as 'otp_requests')
    .set(changes as UpdateObject<Database, 'otp_requests'>)
    .where('agent_id', '=', options.agentId)
    .where('owner_id', '=', options.ownerId)
    .where('status', 'in', kind.open as never[])
    .returningAll()
    .execute()) as RequestRows[T][];
  for (const row of rows)
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: `${kind.kind}.cancelled`,
      targetId: row.id,
      details: { reason: options.reason },
    });
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
): Promise<{ otp: OtpRequestRow[]; permissions: PermissionRequestRow[] }> {
  return {
    otp: await cancelOpenRequestsOf(ctx, tx, OTP_REQUESTS, options),
    permissions: await cancelOpenRequestsOf(ctx, tx, PERMISSION_REQUESTS, options),
  };
}
