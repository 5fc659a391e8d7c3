import type { Tx } from '@agent-otp/db';
import type { RequestKindConfig, RequestRows, RequestScope, RequestTable } from './request-kind.js';

/**
 * Reads one request of a kind within a scope; other tenants' requests are simply not found.
 *
 * @example
 * const row = await findScopedRequest(tx, OTP_REQUESTS, id, { ownerId });
 */
export async function findScopedRequest<T extends RequestTable>(
  tx: Tx,
  kind: RequestKindConfig<T>,
  id: string,
  scope: RequestScope,
): Promise<RequestRows[T] | undefined> {
  // Both tables share these columns; Kysely cannot follow a generic table name, so the
  // query is built against one of them and its row typed back to the kind's.
  let query = tx
    .selectFrom(kind.table as 'otp_requests')
    .selectAll()
    .where('id', '=', id);
  if ('agentId' in scope) query = query.where('agent_id', '=', scope.agentId);
  if ('ownerId' in scope) query = query.where('owner_id', '=', scope.ownerId);
  return (await query.executeTakeFirst()) as RequestRows[T] | undefined;
}
