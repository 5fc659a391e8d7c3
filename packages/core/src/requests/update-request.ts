import type { Database, Tx } from '@agent-otp/db';
import type { UpdateObject } from 'kysely';
import type { RequestKindConfig, RequestRows, RequestScope, RequestTable } from './request-kind.js';

/** One conditional update of a request: which row, from which statuses, and what it becomes. */
export interface RequestUpdate<T extends RequestTable> {
  kind: RequestKindConfig<T>;
  id: string;
  scope: RequestScope;
  from: readonly string[];
  changes: UpdateObject<Database, T>;
  /**
   * The deadline test in the same WHERE clause: `live` (default) moves only a request whose
   * `expires_at` is still ahead, so a decision can never land on a request the sweeper is
   * about to expire; `overdue` is for the expiry itself; `any` for a change that must happen
   * whatever the deadline.
   */
  deadline?: 'live' | 'overdue' | 'any';
  /** Columns that must hold these values too (`null` means IS NULL). */
  where?: Partial<Record<'encrypted_payload' | 'token_handed_out', null | number>>;
  /** The ISO time the deadline is compared with. */
  now: string;
}

/**
 * The one conditional update every transition goes through (`… WHERE id = ? AND status IN
 * (…) AND scope AND deadline`). Returns the updated row, or undefined when someone else got
 * there first; the caller holds the transaction.
 *
 * @example
 * const row = await updateRequest(tx, { kind: OTP_REQUESTS, id, scope, from: ['approved'], changes, now });
 */
export async function updateRequest<T extends RequestTable>(
  tx: Tx,
  update: RequestUpdate<T>,
): Promise<RequestRows[T] | undefined> {
  // Kysely cannot follow a generic table name: the statement is built against one table
  // with the shared columns only, and the row typed back to the kind's.
  let query = tx
    .updateTable(update.kind.table as 'otp_requests')
    .set(update.changes as UpdateObject<Database, 'otp_requests'>)
    .where('id', '=', update.id)
    .where('status', 'in', update.from as never[]);
  const deadline = update.deadline ?? 'live';
  if (deadline === 'live') query = query.where('expires_at', '>', update.now);
  if (deadline === 'overdue') query = query.where('expires_at', '<=', update.now);
  // Columns one kind has and the other lacks: referenced by name, checked by the type above.
  const { ref } = tx.dynamic;
  for (const [column, value] of Object.entries(update.where ?? {}))
    query = value === null ? query.where(ref(column), 'is', null) : query.where(ref(column), '=', value);
  if ('agentId' in update.scope) query = query.where('agent_id', '=', update.scope.agentId);
  if ('ownerId' in update.scope) query = query.where('owner_id', '=', update.scope.ownerId);
  return (await query.returningAll().executeTakeFirst()) as RequestRows[T] | undefined;
}
