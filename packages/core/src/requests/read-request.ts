import { findRequestRecord, type RequestRecords, type RequestScope, type RequestTable } from '@agent-otp/db';
import { type CoreContext, nowIso } from '../context.js';
import { expireRequest } from './expire-request.js';
import type { RequestKindConfig } from './request-kind.js';

/**
 * Reads a request of any kind within a scope, applying expiry if it is due (so nobody sees
 * a live request past its deadline, whether or not the sweeper ran). Someone else's request
 * is NOT_FOUND, indistinguishable from one that does not exist.
 *
 * @example
 * const row = await readRequest(ctx, PERMISSION_REQUESTS, id, { agentId: agent.agentId });
 */
export async function readRequest<T extends RequestTable>(
  ctx: CoreContext,
  kind: RequestKindConfig<T>,
  id: string,
  scope: RequestScope,
): Promise<RequestRecords[T]> {
  const row = await findRequestRecord(ctx.database.db, kind.table, id, scope);
  if (!row) throw kind.notFound(id);
  if (!kind.open.includes(row.status) || row.expires_at > nowIso(ctx)) return row;
  const expired = await expireRequest(ctx, kind, row);
  return expired ?? (await findRequestRecord(ctx.database.db, kind.table, id, scope)) ?? row;
}
