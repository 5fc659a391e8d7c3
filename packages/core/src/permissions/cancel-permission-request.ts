import { withTransaction } from '@agent-otp/db';
import type { PermissionRequest } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { readPermission } from './find-permission.js';
import { permissionConflict, publishPermissionEvent, toApiPermission } from './permission-row.js';

/**
 * The agent withdraws its request. Cancelling an approved request revokes its token and
 * every use left.
 *
 * @example
 * await cancelPermissionRequest(ctx, agent, 'prm_01J…');
 */
export async function cancelPermissionRequest(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  id: string,
): Promise<PermissionRequest> {
  const scope = { agentId: agent.agentId };
  await readPermission(ctx, id, scope);
  const now = nowIso(ctx);
  const cancelled = await withTransaction(ctx.database, async (tx) => {
    const updated = await tx
      .updateTable('permission_requests')
      .set({ status: 'cancelled', closed_at: now })
      .where('id', '=', id)
      .where('agent_id', '=', agent.agentId)
      .where('status', 'in', ['pending_approval', 'approved'])
      .returningAll()
      .executeTakeFirst();
    if (!updated) return undefined;
    await recordAuditEvent(ctx, tx, {
      ownerId: updated.owner_id,
      actor: { type: 'agent', id: agent.agentId, label: agent.agentName, channel: 'api' },
      action: 'permission.cancelled',
      targetId: id,
    });
    return updated;
  });
  if (!cancelled) throw permissionConflict(await readPermission(ctx, id, scope), 'cancel');
  publishPermissionEvent(ctx, cancelled);
  return toApiPermission(ctx, cancelled);
}
