import type { TelegramLinkRow, TelegramLinkTokensTable } from '../schema.js';
import type { Tx } from '../transaction.js';

/** The link of one Telegram user to one owner, if there is one. */
export function findTelegramLink(
  db: Tx,
  ownerId: string,
  telegramUserId: number,
): Promise<TelegramLinkRow | undefined> {
  return db
    .selectFrom('telegram_links')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('telegram_user_id', '=', telegramUserId)
    .executeTakeFirst();
}

/** Stores a new link. */
export async function insertTelegramLink(tx: Tx, link: TelegramLinkRow): Promise<void> {
  await tx.insertInto('telegram_links').values(link).execute();
}

/** Moves a link's notification chat. */
export async function updateTelegramLinkChat(tx: Tx, id: string, chatId: number): Promise<void> {
  await tx.updateTable('telegram_links').set({ chat_id: chatId }).where('id', '=', id).execute();
}

/** An owner's links, oldest first. */
export function selectOwnerTelegramLinks(db: Tx, ownerId: string): Promise<TelegramLinkRow[]> {
  return db
    .selectFrom('telegram_links')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('linked_at', 'asc')
    .execute();
}

/** The owners (id and email) a Telegram user is linked to, oldest link first. */
export function selectOwnersOfTelegramUser(
  db: Tx,
  telegramUserId: number,
): Promise<Array<{ id: string; email: string }>> {
  return db
    .selectFrom('telegram_links')
    .innerJoin('users', 'users.id', 'telegram_links.owner_id')
    .select(['users.id', 'users.email'])
    .where('telegram_links.telegram_user_id', '=', telegramUserId)
    .orderBy('telegram_links.linked_at', 'asc')
    .execute();
}

/** Every owner with at least one linked Telegram user. */
export async function selectOwnersWithTelegramLinks(db: Tx): Promise<string[]> {
  const rows = await db.selectFrom('telegram_links').select('owner_id').distinct().execute();
  return rows.map((r) => r.owner_id);
}

/** Drops link tokens that expired by `now` or were spent. */
export async function deleteDeadTelegramLinkTokens(tx: Tx, now: string): Promise<void> {
  await tx
    .deleteFrom('telegram_link_tokens')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('used_at', 'is not', null)]))
    .execute();
}

/** Stores a new link token (its hash only). */
export async function insertTelegramLinkToken(tx: Tx, token: TelegramLinkTokensTable): Promise<void> {
  await tx.insertInto('telegram_link_tokens').values(token).execute();
}

/**
 * Spends a live, unused link token in one conditional update (two racing spends cannot
 * both win); the owner it links to, or undefined.
 */
export async function spendTelegramLinkToken(
  tx: Tx,
  tokenHash: string,
  now: string,
): Promise<string | undefined> {
  const spent = await tx
    .updateTable('telegram_link_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('owner_id')
    .executeTakeFirst();
  return spent?.owner_id;
}
