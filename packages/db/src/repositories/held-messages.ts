import type { HeldMessageRow, OtpRequestRow } from '../schema.js';
import type { Tx } from '../transaction.js';

/** The code sealed to one candidate request of a held message. */
export interface HeldPayload {
  requestId: string;
  encryptedPayload: string;
}

/** Stores a held message and its candidates' ciphertexts (inside the caller's transaction). */
export async function insertHeldMessage(
  tx: Tx,
  message: HeldMessageRow,
  payloads: readonly HeldPayload[],
): Promise<HeldMessageRow> {
  const inserted = await tx
    .insertInto('held_messages')
    .values(message)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('held_message_candidates')
    .values(
      payloads.map((p) => ({
        held_message_id: message.id,
        request_id: p.requestId,
        encrypted_payload: p.encryptedPayload,
      })),
    )
    .execute();
  return inserted;
}

/** Pending held messages of one source with this sender and receipt time (a re-delivered message). */
export function selectPendingHeldMessagesLike(
  db: Tx,
  like: { ownerId: string; sourceId: string; sender: string; receivedAt: string },
): Promise<Array<{ id: string; expires_at: string }>> {
  return db
    .selectFrom('held_messages')
    .select(['id', 'expires_at'])
    .where('owner_id', '=', like.ownerId)
    .where('source_id', '=', like.sourceId)
    .where('sender', '=', like.sender)
    .where('received_at', '=', like.receivedAt)
    .where('status', '=', 'pending')
    .execute();
}

/** The candidate request ids of a held message. */
export async function selectHeldCandidateIds(db: Tx, heldId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('held_message_candidates')
    .select('request_id')
    .where('held_message_id', '=', heldId)
    .execute();
  return rows.map((r) => r.request_id);
}

/** The ciphertext sealed to one candidate of a held message, if it is one. */
export async function findHeldCandidatePayload(
  db: Tx,
  heldId: string,
  requestId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('held_message_candidates')
    .select('encrypted_payload')
    .where('held_message_id', '=', heldId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  return row?.encrypted_payload;
}

/**
 * Moves a pending held message to a final status and deletes every candidate's ciphertext,
 * inside the caller's transaction. Undefined when it was no longer pending (another channel
 * or the sweeper closed it first).
 *
 * @example
 * const closed = await closeHeldMessage(tx, id, { status: 'expired', closedAt: now, closedBy: null });
 */
export async function closeHeldMessage(
  tx: Tx,
  id: string,
  set: {
    status: 'assigned' | 'discarded' | 'expired';
    closedAt: string;
    closedBy: string | null;
    requestId?: string;
  },
): Promise<HeldMessageRow | undefined> {
  const closed = await tx
    .updateTable('held_messages')
    .set({
      status: set.status,
      closed_at: set.closedAt,
      closed_by: set.closedBy,
      assigned_request_id: set.requestId ?? null,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (closed) await tx.deleteFrom('held_message_candidates').where('held_message_id', '=', id).execute();
  return closed;
}

/** A held message by id, only if `ownerId` owns it. */
export function findOwnedHeldMessage(
  db: Tx,
  ownerId: string,
  id: string,
): Promise<HeldMessageRow | undefined> {
  return db
    .selectFrom('held_messages')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
}

/** Ids of pending held messages whose deadline passed by `now`, earliest first. */
export async function selectOverdueHeldMessageIds(db: Tx, now: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('held_messages')
    .select('id')
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .orderBy('expires_at', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** An owner's pending, unexpired held messages, oldest first. */
export function selectOwnerPendingHeldMessages(
  db: Tx,
  ownerId: string,
  now: string,
  limit: number,
): Promise<HeldMessageRow[]> {
  return db
    .selectFrom('held_messages')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
}

/** A candidate of a held message: its request and the request's agent. */
export interface HeldCandidateRequest {
  held_message_id: string;
  request_id: string;
  reason: string;
  status: OtpRequestRow['status'];
  sender_pattern: string | null;
  expires_at: string;
  created_at: string;
  agent_id: string;
  agent_name: string;
}

/** The candidates of some of an owner's held messages, oldest request first. */
export function selectHeldCandidateRequests(
  db: Tx,
  ownerId: string,
  heldIds: readonly string[],
): Promise<HeldCandidateRequest[]> {
  return db
    .selectFrom('held_message_candidates as c')
    .innerJoin('otp_requests as r', 'r.id', 'c.request_id')
    .innerJoin('agents as a', 'a.id', 'r.agent_id')
    .select([
      'c.held_message_id',
      'r.id as request_id',
      'r.reason',
      'r.status',
      'r.sender_pattern',
      'r.expires_at',
      'r.created_at',
      'a.id as agent_id',
      'a.name as agent_name',
    ])
    .where('c.held_message_id', 'in', heldIds)
    .where('r.owner_id', '=', ownerId)
    .orderBy('r.created_at', 'asc')
    .execute();
}

/** The name of the agent behind one of an owner's OTP requests. */
export async function findOtpRequestAgentName(
  db: Tx,
  ownerId: string,
  requestId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('otp_requests as r')
    .innerJoin('agents as a', 'a.id', 'r.agent_id')
    .select('a.name')
    .where('r.id', '=', requestId)
    .where('r.owner_id', '=', ownerId)
    .executeTakeFirst();
  return row?.name;
}
