import type { PermissionRequestRow } from '@agent-otp/db';
import { withTransaction } from '@agent-otp/db';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';
import { readPermission } from './find-permission.js';
import { grantedScope, permissionConflict, publishPermissionEvent } from './permission-row.js';

/**
 * Records the owner's decision on a pending permission request; the first decision wins
 * through any channel, and an overdue request cannot be approved. Approval starts the
 * token's lifetime: it expires `ttl` seconds after the decision, not after the request.
 *
 * @example
 * await decidePermissionRequest(ctx, { id, ownerId, outcome: 'approved', actor });
 */
export async function decidePermissionRequest(
  ctx: CoreContext,
  options: { id: string; ownerId: string; outcome: 'approved' | 'denied'; actor: Actor },
): Promise<PermissionRequestRow> {
  const scope = { ownerId: options.ownerId };
  const current = await readPermission(ctx, options.id, scope);
  if (current.status !== 'pending_approval') throw permissionConflict(current, 'decide on');
  const now = ctx.clock.now();
  const nowText = now.toISOString();
  const decided = await withTransaction(ctx.database, async (tx) => {
    const updated = await tx
      .updateTable('permission_requests')
      .set({
        status: options.outcome,
        decision: options.outcome,
        decided_by: options.actor.label,
        decision_channel: options.actor.channel,
        decided_at: nowText,
        ...(options.outcome === 'approved'
          ? { expires_at: new Date(now.getTime() + current.ttl_seconds * 1000).toISOString() }
          : { closed_at: nowText }),
      })
      .where('id', '=', options.id)
      .where('owner_id', '=', options.ownerId)
      .where('status', '=', 'pending_approval')
      .where('expires_at', '>', nowText)
      .returningAll()
      .executeTakeFirst();
    if (!updated) return undefined;
    await recordAuditEvent(ctx, tx, {
      ownerId: updated.owner_id,
      actor: options.actor,
      action: options.outcome === 'approved' ? 'permission.approved' : 'permission.denied',
      targetId: options.id,
      details:
        options.outcome === 'approved'
          ? { grantedScope: grantedScope(updated), uses: updated.uses_granted, expiresAt: updated.expires_at }
          : {},
    });
    return updated;
  });
  if (!decided) throw permissionConflict(await readPermission(ctx, options.id, scope), 'decide on');
  publishPermissionEvent(ctx, decided);
  return decided;
}
