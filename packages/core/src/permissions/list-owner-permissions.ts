import {
  findOwnerRequestRecord,
  listOwnerPermissionRequestRecords,
  listPendingPermissionRequestRecords,
  type OwnerPermissionRequestQuery,
  type RequestWithAgent,
} from '@agent-otp/db';
import type { OwnerPermissionRequest } from '@agent-otp/shared';
import { type CoreContext, nowIso } from '../context.js';
import { toApiPermission } from './permission-row.js';

function toOwnerPermission(
  ctx: CoreContext,
  record: RequestWithAgent<'permission_requests'>,
): OwnerPermissionRequest {
  const { agent_name, ...request } = record;
  return {
    ...toApiPermission(ctx, request),
    agent: { id: record.agent_id, name: agent_name },
    risk: record.risk,
  };
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
  const record = await findOwnerRequestRecord(ctx.database.db, 'permission_requests', ownerId, id);
  return record ? toOwnerPermission(ctx, record) : undefined;
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
  const records = await listPendingPermissionRequestRecords(ctx.database.db, {
    ownerId,
    now: nowIso(ctx),
    limit,
  });
  return records.map((record) => toOwnerPermission(ctx, record));
}

/**
 * One page of an owner's permission requests, newest first (every status unless one is
 * given), the permission counterpart of `listOwnerRequests` (same filters).
 *
 * @example
 * const { requests, nextCursor } = await listOwnerPermissions(ctx, { ownerId, limit: 20 });
 */
export async function listOwnerPermissions(
  ctx: CoreContext,
  query: Omit<OwnerPermissionRequestQuery, 'liveAt'>,
): Promise<{ requests: OwnerPermissionRequest[]; nextCursor: string | null }> {
  const { records, nextCursor } = await listOwnerPermissionRequestRecords(ctx.database.db, {
    ...query,
    // As for OTP requests: a request past its deadline is no longer waiting, whatever its row says.
    liveAt: query.status === 'pending_approval' ? nowIso(ctx) : undefined,
  });
  return { requests: records.map((record) => toOwnerPermission(ctx, record)), nextCursor };
}
