import {
  findOwnerRequestRecord,
  listOwnerOtpRequestRecords,
  type OwnerOtpRequestQuery,
  type RequestWithAgent,
} from '@agent-otp/db';
import type { OwnerOtpRequest } from '@agent-otp/shared';
import { type CoreContext, nowIso } from '../context.js';
import { toApiOtpRequest } from './otp-row.js';

/** Which page of an owner's requests to list; the deadline filter is this module's decision. */
export type OwnerRequestQuery = Omit<OwnerOtpRequestQuery, 'liveAt'>;

/**
 * An owner's requests, newest first, with the agent each came from. Pending requests past
 * their deadline are left out of the `pending_approval` view even before the sweeper runs.
 *
 * @example
 * const { requests } = await listOwnerRequests(ctx, { ownerId, status: 'pending_approval', limit: 50 });
 */
export async function listOwnerRequests(
  ctx: CoreContext,
  query: OwnerRequestQuery,
): Promise<{ requests: OwnerOtpRequest[]; nextCursor: string | null }> {
  const { records, nextCursor } = await listOwnerOtpRequestRecords(ctx.database.db, {
    ...query,
    liveAt: query.status === 'pending_approval' ? nowIso(ctx) : undefined,
  });
  return { requests: records.map((record) => toOwnerRequest(ctx, record)), nextCursor };
}

function toOwnerRequest(ctx: CoreContext, record: RequestWithAgent<'otp_requests'>): OwnerOtpRequest {
  const { agent_name, ...request } = record;
  return { ...toApiOtpRequest(ctx, request), agent: { id: record.agent_id, name: agent_name } };
}

/**
 * One request of an owner, with its agent, or undefined when it is not theirs.
 *
 * @example
 * const request = await getOwnerRequest(ctx, ownerId, id);
 */
export async function getOwnerRequest(
  ctx: CoreContext,
  ownerId: string,
  id: string,
): Promise<OwnerOtpRequest | undefined> {
  const record = await findOwnerRequestRecord(ctx.database.db, 'otp_requests', ownerId, id);
  return record ? toOwnerRequest(ctx, record) : undefined;
}
