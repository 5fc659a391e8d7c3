import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';

/** A message the bot sent about a request, as recorded. */
export interface TelegramMessageRecord {
  id: string;
  requestId: string;
  ownerId: string;
  chatId: number;
  messageId: number;
  /** Digest of what the message shows now. */
  renderedHash: string | null;
  hasButtons: boolean;
}

/** A claim older than this whose send never finished (a crash mid-send) may be retried. */
const STALE_CLAIM_MS = 2 * 60 * 1000;

/**
 * Claims the right to announce a request in a chat. Only one caller ever gets the claim
 * (a unique row per request and chat), so several relay instances, or an event racing a
 * reconcile pass, never send the same request twice to one chat. Returns the claim id, or
 * undefined when someone already claimed it.
 *
 * @example
 * const claim = await claimTelegramMessage(ctx, { requestId, ownerId, chatId });
 * if (claim) await recordSentTelegramMessage(ctx, { claimId: claim, messageId, renderedHash, hasButtons: true });
 */
export async function claimTelegramMessage(
  ctx: CoreContext,
  options: { requestId: string; ownerId: string; chatId: number },
): Promise<string | undefined> {
  const now = nowIso(ctx);
  const row = await ctx.database.db
    .insertInto('telegram_messages')
    .values({
      id: newId('tgm'),
      request_id: options.requestId,
      owner_id: options.ownerId,
      chat_id: options.chatId,
      message_id: null,
      rendered_hash: null,
      has_buttons: 0,
      sent_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['request_id', 'chat_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Completes a claim once Telegram accepted the message. */
export async function recordSentTelegramMessage(
  ctx: CoreContext,
  options: { claimId: string; messageId: number; renderedHash: string; hasButtons: boolean },
): Promise<void> {
  await ctx.database.db
    .updateTable('telegram_messages')
    .set({
      message_id: options.messageId,
      rendered_hash: options.renderedHash,
      has_buttons: options.hasButtons ? 1 : 0,
      updated_at: nowIso(ctx),
    })
    .where('id', '=', options.claimId)
    .execute();
}

/** Gives a claim back after a send that may succeed later (rate limit, network), or drops a vanished message. */
export async function releaseTelegramMessage(ctx: CoreContext, id: string): Promise<void> {
  await ctx.database.db.deleteFrom('telegram_messages').where('id', '=', id).execute();
}

function toRecord(row: {
  id: string;
  request_id: string;
  owner_id: string;
  chat_id: number;
  message_id: number | null;
  rendered_hash: string | null;
  has_buttons: number;
}): TelegramMessageRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    ownerId: row.owner_id,
    chatId: row.chat_id,
    messageId: row.message_id ?? 0,
    renderedHash: row.rendered_hash,
    hasButtons: row.has_buttons === 1,
  };
}

/**
 * Every delivered message about a request, in every chat.
 *
 * @example
 * for (const m of await listTelegramMessages(ctx, requestId)) await edit(m.chatId, m.messageId);
 */
export async function listTelegramMessages(
  ctx: CoreContext,
  requestId: string,
): Promise<TelegramMessageRecord[]> {
  const rows = await ctx.database.db
    .selectFrom('telegram_messages')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('message_id', 'is not', null)
    .orderBy('sent_at', 'asc')
    .execute();
  return rows.map(toRecord);
}

/**
 * Moves a message's recorded rendering from `fromHash` to `toHash` if nobody else did:
 * whoever wins edits the message in Telegram, so concurrent instances never edit twice.
 */
export async function markTelegramMessageRendered(
  ctx: CoreContext,
  options: { id: string; fromHash: string | null; toHash: string; hasButtons: boolean },
): Promise<boolean> {
  let query = ctx.database.db
    .updateTable('telegram_messages')
    .set({ rendered_hash: options.toHash, has_buttons: options.hasButtons ? 1 : 0, updated_at: nowIso(ctx) })
    .where('id', '=', options.id);
  query =
    options.fromHash === null
      ? query.where('rendered_hash', 'is', null)
      : query.where('rendered_hash', '=', options.fromHash);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Requests with a message that still shows Approve/Deny buttons (oldest first), so a
 * reconcile pass can bring them up to date after missed events. Also frees claims whose
 * send never finished.
 *
 * @example
 * for (const { requestId, ownerId } of await listRequestsWithOpenTelegramMessages(ctx)) await sync(ownerId, requestId);
 */
export async function listRequestsWithOpenTelegramMessages(
  ctx: CoreContext,
  limit = 500,
): Promise<Array<{ requestId: string; ownerId: string }>> {
  const staleBefore = new Date(ctx.clock.now().getTime() - STALE_CLAIM_MS).toISOString();
  await ctx.database.db
    .deleteFrom('telegram_messages')
    .where('message_id', 'is', null)
    .where('sent_at', '<', staleBefore)
    .execute();
  const rows = await ctx.database.db
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
