import type { OwnerPermissionRequest } from '@agent-otp/shared';
import { type CoreContext, nowIso } from '../context.js';
import { toApiPermission } from './permission-row.js';

function ownerQuery(ctx: CoreContext, ownerId: string) {
  return ctx.database.db
    .selectFrom('permission_requests')
    .innerJoin('agents', 'agents.id', 'permission_requests.agent_id')
    .selectAll('permission_requests')
    .select(['agents.name as agent_name'])
    .where('permission_requests.owner_id', '=', ownerId);
}

function toOwnerPermission(
  ctx: CoreContext,
  row: Parameters<typeof toApiPermission>[1] & { agent_name: string },
): OwnerPermissionRequest {
  const { agent_name, ...request } = row;
  return { ...toApiPermission(ctx, request), agent: { id: row.agent_id, name: agent_name } };
}

/**
 * One permission request of an owner, with its agent (never a token), or undefined.
 *
 * @example
 * const request = await getOwnerPermission(ctx, ownerId, 'prm_01J…');
 */
export async function getOwnerPermission(
  ctx: CoreContext,
  ownerId: string,
  id: string,
): Promise<OwnerPermissionRequest | undefined> {
  const row = await ownerQuery(ctx, ownerId).where('permission_requests.id', '=', id).executeTakeFirst();
  return row ? toOwnerPermission(ctx, row) : undefined;
}

/**
 * An owner's permission requests still waiting for a decision and not yet overdue, oldest first.
 *
 * @example
 * const pending = await listPendingPermissions(ctx, ownerId);
 */
export async function listPendingPermissions(
  ctx: CoreContext,
  ownerId: string,
  limit = 200,
): Promise<OwnerPermissionRequest[]> {
  const rows = await ownerQuery(ctx, ownerId)
    .where('permission_requests.status', '=', 'pending_approval')
    .where('permission_requests.expires_at', '>', nowIso(ctx))
    .orderBy('permission_requests.id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((row) => toOwnerPermission(ctx, row));
}
