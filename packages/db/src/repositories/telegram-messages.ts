import type { TelegramMessageRow } from '../schema.js';
import type { Tx } from '../transaction.js';

/**
 * Inserts the claim row for a request in a chat unless one exists (unique per request and
 * chat). Returns the new claim id, or undefined when the row was already there.
 *
 * @example
 * const claim = await insertTelegramMessageClaim(db, { id, requestId, ownerId, chatId, now });
 */
export async function insertTelegramMessageClaim(
  db: Tx,
  claim: { id: string; requestId: string; ownerId: string; chatId: number; now: string },
): Promise<string | undefined> {
  const row = await db
    .insertInto('telegram_messages')
    .values({
      id: claim.id,
      request_id: claim.requestId,
      owner_id: claim.ownerId,
      chat_id: claim.chatId,
      message_id: null,
      rendered_hash: null,
      has_buttons: 0,
      sent_at: claim.now,
      updated_at: claim.now,
    })
    .onConflict((oc) => oc.columns(['request_id', 'chat_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Completes a claim with the message Telegram accepted. */
export async function completeTelegramMessageClaim(
  db: Tx,
  sent: { claimId: string; messageId: number; renderedHash: string; hasButtons: boolean; now: string },
): Promise<void> {
  await db
    .updateTable('telegram_messages')
    .set({
      message_id: sent.messageId,
      rendered_hash: sent.renderedHash,
      has_buttons: sent.hasButtons ? 1 : 0,
      updated_at: sent.now,
    })
    .where('id', '=', sent.claimId)
    .execute();
}

/** Deletes one claim or message row. */
export async function deleteTelegramMessage(db: Tx, id: string): Promise<void> {
  await db.deleteFrom('telegram_messages').where('id', '=', id).execute();
}

/** Every delivered message about a request (claims still in flight left out), oldest first. */
export async function selectTelegramMessages(db: Tx, requestId: string): Promise<TelegramMessageRow[]> {
  return db
    .selectFrom('telegram_messages')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('message_id', 'is not', null)
    .orderBy('sent_at', 'asc')
    .execute();
}

/**
 * Moves a message's rendering from `fromHash` to `toHash` only if it still shows `fromHash`
 * (a compare-and-set). True when this caller moved it.
 */
export async function compareAndSetTelegramRendering(
  db: Tx,
  change: { id: string; fromHash: string | null; toHash: string; hasButtons: boolean; now: string },
): Promise<boolean> {
  let query = db
    .updateTable('telegram_messages')
    .set({ rendered_hash: change.toHash, has_buttons: change.hasButtons ? 1 : 0, updated_at: change.now })
    .where('id', '=', change.id);
  query =
    change.fromHash === null
      ? query.where('rendered_hash', 'is', null)
      : query.where('rendered_hash', '=', change.fromHash);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes claims started before `before` whose send never finished. */
export async function deleteUnfinishedTelegramClaims(db: Tx, before: string): Promise<void> {
  await db
    .deleteFrom('telegram_messages')
    .where('message_id', 'is', null)
    .where('sent_at', '<', before)
    .execute();
}

/** Requests with a delivered message that still shows buttons, by request id. */
export async function selectRequestsWithTelegramButtons(
  db: Tx,
  limit: number,
): Promise<Array<{ requestId: string; ownerId: string }>> {
  const rows = await db
    .selectFrom('telegram_messages')
    .select(['request_id', 'owner_id'])
    .where('has_buttons', '=', 1)
    .where('message_id', 'is not', null)
    .groupBy(['request_id', 'owner_id'])
    .orderBy('request_id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ requestId: r.request_id, ownerId: r.owner_id }));
}
