import {
  findOwnerRequestRecord,
  listOwnerOtpRequestRecords,
  listUnclearMessages,
  type OwnerOtpRequestQuery,
  type RequestWithAgent,
  type UnclearMessageRow,
} from '@agent-otp/db';
import type { OwnerOtpRequest, UnclearMessage } from '@agent-otp/shared';
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
  const unclear = await listUnclearMessages(
    ctx.database.db,
    query.ownerId,
    records.map((record) => record.id),
  );
  return {
    requests: records.map((record) => toOwnerRequest(ctx, record, unclear.get(record.id) ?? [])),
    nextCursor,
  };
}

function toOwnerRequest(
  ctx: CoreContext,
  record: RequestWithAgent<'otp_requests'>,
  unclear: readonly UnclearMessageRow[],
): OwnerOtpRequest {
  const { agent_name, ...request } = record;
  return {
    ...toApiOtpRequest(ctx, request),
    agent: { id: record.agent_id, name: agent_name },
    unclearMessages: unclear.map(toUnclearMessage),
    risk: record.risk,
  };
}

function toUnclearMessage(row: UnclearMessageRow): UnclearMessage {
  return {
    receivedAt: new Date(row.received_at).toISOString(),
    source: row.source_kind,
    from: row.sender,
    outcome: row.outcome,
    confidence: row.confidence_hundredths === null ? null : row.confidence_hundredths / 100,
  };
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
  if (!record) return undefined;
  const unclear = await listUnclearMessages(ctx.database.db, ownerId, [id]);
  return toOwnerRequest(ctx, record, unclear.get(id) ?? []);
}
