import type { OtpStatus, PermissionStatus, RiskLevel } from '@agent-otp/shared';
import { reusableQuery } from '../reusable-query.js';
import type { Tx } from '../transaction.js';
import {
  type RequestRecords,
  type RequestTable,
  type StoredRequestRows,
  toRequestRecord,
} from './request-records.js';

/** A request with the name of the agent that made it, for its owner's views. */
export type RequestWithAgent<T extends RequestTable> = RequestRecords[T] & { agent_name: string };

/** An owner's requests of one table joined to their agents (`r` the request, `a` the agent). */
function withAgent(tx: Tx, table: RequestTable, ownerId: string) {
  // Kysely cannot follow a generic table name: built against one table, shared columns only.
  return tx
    .selectFrom(`${table} as r` as 'otp_requests as r')
    .innerJoin('agents as a', 'a.id', 'r.agent_id')
    .selectAll('r')
    .select('a.name as agent_name')
    .where('r.owner_id', '=', ownerId);
}

function toWithAgent<T extends RequestTable>(
  table: T,
  row: StoredRequestRows['otp_requests'] & { agent_name: string },
): RequestWithAgent<T> {
  return { ...toRequestRecord(table, row as unknown as StoredRequestRows[T]), agent_name: row.agent_name };
}

/**
 * One request of an owner with its agent's name, or undefined when it is not theirs.
 *
 * @example
 * const record = await findOwnerRequestRecord(db, 'permission_requests', ownerId, 'prm_01J…');
 */
export async function findOwnerRequestRecord<T extends RequestTable>(
  tx: Tx,
  table: T,
  ownerId: string,
  id: string,
): Promise<RequestWithAgent<T> | undefined> {
  const [row] = await OWNER_REQUEST_BY_ID[table](tx, ownerId, id);
  return row && toWithAgent(table, row);
}

// Every owner decision answers with the request it decided (issue 18): built and compiled once per table.
const ownerRequestByIdIn = (table: RequestTable) =>
  reusableQuery((db, ownerId: string, id: string) => withAgent(db, table, ownerId).where('r.id', '=', id));
const OWNER_REQUEST_BY_ID = {
  otp_requests: ownerRequestByIdIn('otp_requests'),
  permission_requests: ownerRequestByIdIn('permission_requests'),
};

export interface OwnerOtpRequestQuery {
  ownerId: string;
  status?: OtpStatus | undefined;
  /** Leaves out requests whose deadline is at or before this instant. */
  liveAt?: string | undefined;
  agentId?: string | undefined;
  /** Only requests created at or after this instant. */
  since?: string | undefined;
  /** Only requests created before this instant. */
  until?: string | undefined;
  /** Only requests assessed at this level (rows from before risk was assessed have none). */
  risk?: RiskLevel | undefined;
  limit: number;
  /** The last ID of the previous page. */
  cursor?: string | undefined;
}

/** The filters of an owner's permission request list: those of the OTP list, with its statuses. */
export interface OwnerPermissionRequestQuery extends Omit<OwnerOtpRequestQuery, 'status'> {
  status?: PermissionStatus | undefined;
}

/** One page of either table, newest first; both tables share the columns it filters on. */
async function listOwnerRequestRecords<T extends RequestTable>(
  tx: Tx,
  table: T,
  query: Omit<OwnerOtpRequestQuery, 'status'> & { status?: string | undefined },
): Promise<{ records: RequestWithAgent<T>[]; nextCursor: string | null }> {
  let select = withAgent(tx, table, query.ownerId)
    .orderBy('r.id', 'desc')
    .limit(query.limit + 1);
  if (query.status) select = select.where('r.status', '=', query.status as OtpStatus);
  if (query.liveAt) select = select.where('r.expires_at', '>', query.liveAt);
  if (query.agentId) select = select.where('r.agent_id', '=', query.agentId);
  if (query.since) select = select.where('r.created_at', '>=', query.since);
  if (query.until) select = select.where('r.created_at', '<', query.until);
  // The column holds JSON.stringify({ level, reasons }): the level is always the first key, and
  // a reason's own `level` never follows `{`, so the prefix tells the request's level alone.
  if (query.risk) select = select.where('r.risk', 'like', `{"level":"${query.risk}",%`);
  if (query.cursor) select = select.where('r.id', '<', query.cursor);
  const rows = await select.execute();
  const page = rows.slice(0, query.limit);
  return {
    records: page.map((row) => toWithAgent(table, row)),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * One page of an owner's OTP requests, newest first, with the cursor of the next page.
 *
 * @example
 * const { records, nextCursor } = await listOwnerOtpRequestRecords(db, { ownerId, limit: 50 });
 */
export async function listOwnerOtpRequestRecords(
  tx: Tx,
  query: OwnerOtpRequestQuery,
): Promise<{ records: RequestWithAgent<'otp_requests'>[]; nextCursor: string | null }> {
  return listOwnerRequestRecords(tx, 'otp_requests', query);
}

/**
 * One page of an owner's permission requests, newest first, with the cursor of the next page.
 *
 * @example
 * const { records } = await listOwnerPermissionRequestRecords(db, { ownerId, status: 'denied', limit: 20 });
 */
export async function listOwnerPermissionRequestRecords(
  tx: Tx,
  query: OwnerPermissionRequestQuery,
): Promise<{ records: RequestWithAgent<'permission_requests'>[]; nextCursor: string | null }> {
  return listOwnerRequestRecords(tx, 'permission_requests', query);
}

/**
 * An owner's permission requests waiting for a decision and live at `now`, oldest first.
 *
 * @example
 * const pending = await listPendingPermissionRequestRecords(db, { ownerId, now, limit: 200 });
 */
export async function listPendingPermissionRequestRecords(
  tx: Tx,
  options: { ownerId: string; now: string; limit: number },
): Promise<RequestWithAgent<'permission_requests'>[]> {
  const rows = await withAgent(tx, 'permission_requests', options.ownerId)
    .where('r.status', '=', 'pending_approval')
    .where('r.expires_at', '>', options.now)
    .orderBy('r.id', 'asc')
    .limit(options.limit)
    .execute();
  return rows.map((row) => toWithAgent('permission_requests', row));
}
