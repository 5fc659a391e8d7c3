import type { UpdateObject } from 'kysely';
import { reusableQuery } from '../reusable-query.js';
import type { Database } from '../schema.js';
import type { Tx } from '../transaction.js';
import {
  type RequestJsonColumn,
  type RequestRecords,
  type RequestTable,
  type StoredRequestRows,
  toRequestRecord,
  toRequestRow,
} from './request-records.js';

// Both request tables share the lifecycle columns (`id`, `status`, `owner_id`, `agent_id`,
// `expires_at`, `closed_at`). Kysely cannot follow a generic table name, so each statement
// here is built against one table with the shared columns only, and its row typed back to
// the table's own.

/** Who may move or see a request: the scope is part of the WHERE clause, never checked afterwards. */
export type RequestScope = { agentId: string } | { ownerId: string } | { any: true };

/** What a transition sets; JSON columns are written on insert only. */
export type RequestChanges<T extends RequestTable> = Omit<UpdateObject<Database, T>, RequestJsonColumn<T>>;

/**
 * Columns a transition tests besides status, scope and deadline: a value means `=`, `null`
 * means IS NULL, `{ above: n }` means `> n`.
 */
export type RequestColumnTests = Partial<
  Record<
    'encrypted_payload' | 'token_handed_out' | 'token_hash' | 'uses_remaining',
    null | string | number | { above: number }
  >
>;

/** One conditional update of a request: which row, from which statuses, and what it becomes. */
export interface RequestUpdate<T extends RequestTable> {
  table: T;
  id: string;
  scope: RequestScope;
  from: readonly string[];
  changes: RequestChanges<T>;
  /**
   * The deadline test in the same WHERE clause: `live` (default) moves only a request whose
   * `expires_at` is still ahead, so a decision can never land on a request the sweeper is
   * about to expire; `overdue` is for the expiry itself; `any` for a change that must happen
   * whatever the deadline.
   */
  deadline?: 'live' | 'overdue' | 'any';
  where?: RequestColumnTests;
  /** The ISO time the deadline is compared with. */
  now: string;
}

/**
 * The one conditional update every request transition goes through (`… WHERE id = ? AND
 * status IN (…) AND scope AND deadline`). Returns the updated record, or undefined when
 * someone else got there first; the caller holds the transaction.
 *
 * @example
 * const record = await updateRequestRecord(tx, { table: 'otp_requests', id, scope, from: ['approved'], changes, now });
 */
export async function updateRequestRecord<T extends RequestTable>(
  tx: Tx,
  update: RequestUpdate<T>,
): Promise<RequestRecords[T] | undefined> {
  let query = tx
    .updateTable(update.table as 'otp_requests')
    .set(update.changes as UpdateObject<Database, 'otp_requests'>)
    .where('id', '=', update.id)
    .where('status', 'in', update.from as never[]);
  const deadline = update.deadline ?? 'live';
  if (deadline === 'live') query = query.where('expires_at', '>', update.now);
  if (deadline === 'overdue') query = query.where('expires_at', '<=', update.now);
  // Columns one table has and the other lacks: referenced by name, checked by the type above.
  const { ref } = tx.dynamic;
  for (const [column, test] of Object.entries(update.where ?? {})) {
    if (test === null) query = query.where(ref(column), 'is', null);
    else if (typeof test === 'object') query = query.where(ref(column), '>', test.above);
    else query = query.where(ref(column), '=', test);
  }
  query = whereInScope(query, update.scope);
  const row = await query.returningAll().executeTakeFirst();
  return row && toRequestRecord(update.table, row as StoredRequestRows[T]);
}

function whereInScope<Q extends { where(column: 'agent_id' | 'owner_id', op: '=', value: string): Q }>(
  query: Q,
  scope: RequestScope,
): Q {
  if ('agentId' in scope) return query.where('agent_id', '=', scope.agentId);
  if ('ownerId' in scope) return query.where('owner_id', '=', scope.ownerId);
  return query;
}

/**
 * Reads one request within a scope; other tenants' requests are simply not found.
 *
 * @example
 * const record = await findRequestRecord(tx, 'otp_requests', id, { ownerId });
 */
export async function findRequestRecord<T extends RequestTable>(
  tx: Tx,
  table: T,
  id: string,
  scope: RequestScope,
): Promise<RequestRecords[T] | undefined> {
  const byId = REQUEST_BY_ID[table];
  const [row] =
    'agentId' in scope
      ? await byId.agent(tx, id, scope.agentId)
      : 'ownerId' in scope
        ? await byId.owner(tx, id, scope.ownerId)
        : await byId.any(tx, id);
  return row && toRequestRecord(table, row as StoredRequestRows[T]);
}

// Every GET of a request, long-poll re-read and refused transition reads one by id: each
// table and scope kind's statement is built and compiled once (reusable-query.ts).
function requestByIdIn(table: RequestTable) {
  const byId = (db: Tx, id: string) =>
    db
      .selectFrom(table as 'otp_requests')
      .selectAll()
      .where('id', '=', id);
  return {
    agent: reusableQuery((db, id: string, agentId: string) => byId(db, id).where('agent_id', '=', agentId)),
    owner: reusableQuery((db, id: string, ownerId: string) => byId(db, id).where('owner_id', '=', ownerId)),
    any: reusableQuery((db, id: string) => byId(db, id)),
  };
}

const REQUEST_BY_ID = {
  otp_requests: requestByIdIn('otp_requests'),
  permission_requests: requestByIdIn('permission_requests'),
};

/**
 * Stores a new request, its JSON columns serialised; the caller holds the transaction.
 *
 * @example
 * await insertRequestRecord(tx, 'permission_requests', record);
 */
export async function insertRequestRecord<T extends RequestTable>(
  tx: Tx,
  table: T,
  record: RequestRecords[T],
): Promise<void> {
  await tx
    .insertInto(table as 'otp_requests')
    .values(toRequestRow(table, record) as StoredRequestRows['otp_requests'])
    .execute();
}

/**
 * Requests in one of `statuses` whose deadline has passed, soonest-overdue first, at most `limit`.
 *
 * @example
 * const overdue = await listOverdueRequestRecords(db, 'otp_requests', { statuses: ['pending_approval'], now, limit: 200 });
 */
export async function listOverdueRequestRecords<T extends RequestTable>(
  tx: Tx,
  table: T,
  options: { statuses: readonly string[]; now: string; limit: number },
): Promise<RequestRecords[T][]> {
  const rows = await tx
    .selectFrom(table as 'otp_requests')
    .selectAll()
    .where('status', 'in', options.statuses as never[])
    .where('expires_at', '<=', options.now)
    .orderBy('expires_at', 'asc')
    .limit(options.limit)
    .execute();
  return rows.map((row) => toRequestRecord(table, row as StoredRequestRows[T]));
}

/**
 * Moves every request of one agent in one of `from` statuses, in one statement, whatever
 * their deadlines (revoking an agent closes all it has open). Returns the updated records.
 *
 * @example
 * const closed = await updateAgentRequestRecords(tx, 'otp_requests', { agentId, ownerId, from, changes });
 */
export async function updateAgentRequestRecords<T extends RequestTable>(
  tx: Tx,
  table: T,
  options: { agentId: string; ownerId: string; from: readonly string[]; changes: RequestChanges<T> },
): Promise<RequestRecords[T][]> {
  const rows = await tx
    .updateTable(table as 'otp_requests')
    .set(options.changes as UpdateObject<Database, 'otp_requests'>)
    .where('agent_id', '=', options.agentId)
    .where('owner_id', '=', options.ownerId)
    .where('status', 'in', options.from as never[])
    .returningAll()
    .execute();
  return rows.map((row) => toRequestRecord(table, row as StoredRequestRows[T]));
}

/**
 * How many requests of one agent are in one of `statuses` and live at `now`, and the
 * soonest deadline among them (null when there are none).
 *
 * @example
 * const { count, firstExpiry } = await countLiveAgentRequests(tx, 'otp_requests', { agentId, statuses, now });
 */
export async function countLiveAgentRequests(
  tx: Tx,
  table: RequestTable,
  options: { agentId: string; statuses: readonly string[]; now: string },
): Promise<{ count: number; firstExpiry: string | null }> {
  const live = await tx
    .selectFrom(table as 'otp_requests')
    .select((eb) => [
      eb.fn.countAll<number | string | bigint>().as('count'),
      eb.fn.min('expires_at').as('first'),
    ])
    .where('agent_id', '=', options.agentId)
    .where('status', 'in', options.statuses as never[])
    .where('expires_at', '>', options.now)
    .executeTakeFirstOrThrow();
  // PostgreSQL counts in bigint, which pg hands over as a string.
  return { count: Number(live.count), firstExpiry: live.first === null ? null : String(live.first) };
}
