import type { PermissionRequestRow, Tx } from '@agent-otp/db';
import { withTransaction } from '@agent-otp/db';
import { SYSTEM_ACTOR } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { permissionNotFound, publishPermissionEvent } from './permission-row.js';

/** Who may see a permission request: part of the WHERE clause, never checked afterwards. */
export type PermissionScopeFilter = { agentId: string } | { ownerId: string } | { any: true };

const EXPIRABLE = ['pending_approval', 'approved'] as const;

export function findPermission(tx: Tx, id: string, scope: PermissionScopeFilter) {
  let query = tx.selectFrom('permission_requests').selectAll().where('id', '=', id);
  if ('agentId' in scope) query = query.where('agent_id', '=', scope.agentId);
  if ('ownerId' in scope) query = query.where('owner_id', '=', scope.ownerId);
  return query.executeTakeFirst();
}

/** Expires one overdue request (pending or with an unspent token), auditing it. */
export async function expirePermission(
  ctx: CoreContext,
  row: PermissionRequestRow,
): Promise<PermissionRequestRow | undefined> {
  const now = nowIso(ctx);
  if (row.expires_at > now) return undefined;
  const expired = await withTransaction(ctx.database, async (tx) => {
    const updated = await tx
      .updateTable('permission_requests')
      .set({ status: 'expired', closed_at: now })
      .where('id', '=', row.id)
      .where('status', 'in', EXPIRABLE)
      .where('expires_at', '<=', now)
      .returningAll()
      .executeTakeFirst();
    if (!updated) return undefined;
    await recordAuditEvent(ctx, tx, {
      ownerId: updated.owner_id,
      actor: SYSTEM_ACTOR,
      action: 'permission.expired',
      targetId: updated.id,
      details: { previousStatus: row.status, usesLeft: row.status === 'approved' ? row.uses_remaining : 0 },
    });
    return updated;
  });
  if (expired) publishPermissionEvent(ctx, expired);
  return expired;
}

/**
 * Reads a permission request within a scope, applying expiry if it is due. Another
 * tenant's or agent's request is NOT_FOUND, indistinguishable from one that does not exist.
 *
 * @example
 * const row = await readPermission(ctx, id, { agentId: agent.agentId });
 */
export async function readPermission(
  ctx: CoreContext,
  id: string,
  scope: PermissionScopeFilter,
): Promise<PermissionRequestRow> {
  const row = await findPermission(ctx.database.db, id, scope);
  if (!row) throw permissionNotFound(id);
  if (!(EXPIRABLE as readonly string[]).includes(row.status) || row.expires_at > nowIso(ctx)) return row;
  const expired = await expirePermission(ctx, row);
  return expired ?? (await findPermission(ctx.database.db, id, scope)) ?? row;
}

/**
 * Expires every overdue permission request. Safe on every instance at once: each row moves
 * in one conditional update.
 *
 * @example
 * await expireOverduePermissions(ctx);
 */
export async function expireOverduePermissions(ctx: CoreContext, batchSize = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const overdue = await ctx.database.db
      .selectFrom('permission_requests')
      .selectAll()
      .where('status', 'in', EXPIRABLE)
      .where('expires_at', '<=', nowIso(ctx))
      .orderBy('expires_at', 'asc')
      .limit(batchSize)
      .execute();
    for (const row of overdue) if (await expirePermission(ctx, row)) total++;
    if (overdue.length < batchSize) return total;
  }
}
