import { reusableQuery } from '../reusable-query.js';
import type { UnclearMessageRow } from '../schema.js';
import type { Tx } from '../transaction.js';
import type { SqlDialect } from '../types.js';

/**
 * Locks an OTP request's row for the rest of the transaction on PostgreSQL (SQLite
 * transactions are exclusive already), so two unclear messages for one request cannot both
 * pass the per-request cap. Undefined when there is no such request.
 */
export function lockOtpRequestForUnclearNote(
  tx: Tx,
  dialect: SqlDialect,
  requestId: string,
): Promise<{ id: string } | undefined> {
  let query = tx.selectFrom('otp_requests').select('id').where('id', '=', requestId);
  if (dialect === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

/** How many unclear messages a request already has, and whether this one (sender, time) is among them. */
export async function countUnclearMessages(
  tx: Tx,
  like: { requestId: string; sender: string; receivedAt: string },
): Promise<{ count: number; repeated: boolean }> {
  const rows = await tx
    .selectFrom('unclear_messages')
    .select(['sender', 'received_at'])
    .where('request_id', '=', like.requestId)
    .execute();
  const at = Date.parse(like.receivedAt);
  return {
    count: rows.length,
    // PostgreSQL hands timestamps back in its own ISO form: compare instants, not text.
    repeated: rows.some((row) => row.sender === like.sender && Date.parse(row.received_at) === at),
  };
}

/** Stores one unclear message (inside the caller's transaction). */
export async function insertUnclearMessage(tx: Tx, row: UnclearMessageRow): Promise<void> {
  await tx.insertInto('unclear_messages').values(row).execute();
}

function unclearMessagesOf(tx: Tx, ownerId: string, requestIds: string[]) {
  return tx
    .selectFrom('unclear_messages')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('request_id', 'in', requestIds)
    .orderBy('request_id')
    .orderBy('received_at')
    .orderBy('id');
}

const unclearMessagesOfOne = reusableQuery((db, ownerId: string, requestId: string) =>
  unclearMessagesOf(db, ownerId, [requestId]),
);

/**
 * The unclear messages of some requests of one owner, oldest first per request; the owner
 * filter keeps one owner's notes out of another's views whatever ids are asked for.
 *
 * @example
 * const byRequest = await listUnclearMessages(db, ownerId, ['otp_01J…']);
 */
export async function listUnclearMessages(
  tx: Tx,
  ownerId: string,
  requestIds: readonly string[],
): Promise<Map<string, UnclearMessageRow[]>> {
  const byRequest = new Map<string, UnclearMessageRow[]>();
  if (requestIds.length === 0) return byRequest;
  // One request's view (every owner decision answers with one) runs a statement compiled once (issue 18).
  const rows =
    requestIds.length === 1
      ? await unclearMessagesOfOne(tx, ownerId, requestIds[0] as string)
      : await unclearMessagesOf(tx, ownerId, [...requestIds]).execute();
  for (const row of rows) {
    const list = byRequest.get(row.request_id) ?? [];
    list.push(row);
    byRequest.set(row.request_id, list);
  }
  return byRequest;
}
