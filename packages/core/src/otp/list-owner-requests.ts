import type { OtpRequestRow } from '@agent-otp/db';
import type { OtpStatus, OwnerOtpRequest } from '@agent-otp/shared';
import { type CoreContext, nowIso } from '../context.js';
import { toApiOtpRequest } from './otp-row.js';

export interface OwnerRequestQuery {
  ownerId: string;
  status?: OtpStatus | undefined;
  agentId?: string | undefined;
  /** Only requests created at or after this instant. */
  since?: string | undefined;
  limit: number;
  /** The last ID of the previous page. */
  cursor?: string | undefined;
}

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
  let select = ctx.database.db
    .selectFrom('otp_requests')
    .innerJoin('agents', 'agents.id', 'otp_requests.agent_id')
    .selectAll('otp_requests')
    .select(['agents.name as agent_name'])
    .where('otp_requests.owner_id', '=', query.ownerId)
    .orderBy('otp_requests.id', 'desc')
    .limit(query.limit + 1);
  if (query.status) select = select.where('otp_requests.status', '=', query.status);
  if (query.status === 'pending_approval') select = select.where('otp_requests.expires_at', '>', nowIso(ctx));
  if (query.agentId) select = select.where('otp_requests.agent_id', '=', query.agentId);
  if (query.since) select = select.where('otp_requests.created_at', '>=', query.since);
  if (query.cursor) select = select.where('otp_requests.id', '<', query.cursor);
  const rows = await select.execute();
  const page = rows.slice(0, query.limit);
  return {
    requests: page.map((row) => toOwnerRequest(ctx, row, row.agent_name)),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export function toOwnerRequest(ctx: CoreContext, row: OtpRequestRow, agentName: string): OwnerOtpRequest {
  return { ...toApiOtpRequest(ctx, row), agent: { id: row.agent_id, name: agentName } };
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
  const row = await ctx.database.db
    .selectFrom('otp_requests')
    .innerJoin('agents', 'agents.id', 'otp_requests.agent_id')
    .selectAll('otp_requests')
    .select(['agents.name as agent_name'])
    .where('otp_requests.owner_id', '=', ownerId)
    .where('otp_requests.id', '=', id)
    .executeTakeFirst();
  return row ? toOwnerRequest(ctx, row, row.agent_name) : undefined;
}
