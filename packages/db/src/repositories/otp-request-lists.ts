import type { CaptureSourceKind, OtpStatus } from '@agent-otp/shared';
import type { OtpRequestRow } from '../schema.js';
import type { Tx } from '../transaction.js';
import { type OtpRequestRecord, toRequestRecord } from './request-records.js';

/** An OTP request with the name of the agent that made it, for its owner's views. */
export type OtpRequestWithAgent = OtpRequestRecord & { agent_name: string };

function withAgent(tx: Tx, ownerId: string) {
  return tx
    .selectFrom('otp_requests')
    .innerJoin('agents', 'agents.id', 'otp_requests.agent_id')
    .selectAll('otp_requests')
    .select(['agents.name as agent_name'])
    .where('otp_requests.owner_id', '=', ownerId);
}

function toWithAgent(row: OtpRequestRow & { agent_name: string }): OtpRequestWithAgent {
  return { ...toRequestRecord('otp_requests', row), agent_name: row.agent_name };
}

export interface OwnerOtpRequestQuery {
  ownerId: string;
  status?: OtpStatus | undefined;
  /** Leaves out requests whose deadline is at or before this instant. */
  liveAt?: string | undefined;
  agentId?: string | undefined;
  /** Only requests created at or after this instant. */
  since?: string | undefined;
  limit: number;
  /** The last ID of the previous page. */
  cursor?: string | undefined;
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
): Promise<{ records: OtpRequestWithAgent[]; nextCursor: string | null }> {
  let select = withAgent(tx, query.ownerId)
    .orderBy('otp_requests.id', 'desc')
    .limit(query.limit + 1);
  if (query.status) select = select.where('otp_requests.status', '=', query.status);
  if (query.liveAt) select = select.where('otp_requests.expires_at', '>', query.liveAt);
  if (query.agentId) select = select.where('otp_requests.agent_id', '=', query.agentId);
  if (query.since) select = select.where('otp_requests.created_at', '>=', query.since);
  if (query.cursor) select = select.where('otp_requests.id', '<', query.cursor);
  const rows = await select.execute();
  const page = rows.slice(0, query.limit);
  return {
    records: page.map(toWithAgent),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * One OTP request of an owner with its agent's name, or undefined when it is not theirs.
 *
 * @example
 * const record = await findOwnerOtpRequestRecord(db, ownerId, id);
 */
export async function findOwnerOtpRequestRecord(
  tx: Tx,
  ownerId: string,
  id: string,
): Promise<OtpRequestWithAgent | undefined> {
  const row = await withAgent(tx, ownerId).where('otp_requests.id', '=', id).executeTakeFirst();
  return row && toWithAgent(row);
}

/**
 * An owner's OTP requests in one of `statuses` that accept `sourceKind`, hold no code yet
 * and are live at `now`, oldest first. Every filter runs in SQL, so requests a source cannot
 * serve never crowd out those it can: the `sources` column holds the JSON array written on
 * insert (`["sms","email"]`), whose members are quoted names, so a LIKE on the quoted kind
 * narrows the rows, and the parsed list decides.
 *
 * @example
 * const open = await listCapturableOtpRequestRecords(db, { ownerId, sourceKind: 'sms', statuses: OPEN_STATUSES, now });
 */
export async function listCapturableOtpRequestRecords(
  tx: Tx,
  options: { ownerId: string; sourceKind: CaptureSourceKind; statuses: readonly OtpStatus[]; now: string },
): Promise<OtpRequestRecord[]> {
  const rows = await tx
    .selectFrom('otp_requests')
    .selectAll()
    .where('owner_id', '=', options.ownerId)
    .where('status', 'in', options.statuses)
    .where('encrypted_payload', 'is', null)
    .where('expires_at', '>', options.now)
    .where('sources', 'like', `%${JSON.stringify(options.sourceKind)}%`)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows
    .map((row) => toRequestRecord('otp_requests', row))
    .filter((record) => record.sources.includes(options.sourceKind));
}
