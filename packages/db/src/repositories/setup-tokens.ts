import type { SetupTokensTable } from '../schema.js';
import type { Tx } from '../transaction.js';

/** Drops setup tokens that expired by `now`. */
export async function deleteExpiredSetupTokens(db: Tx, now: string): Promise<void> {
  await db.deleteFrom('setup_tokens').where('expires_at', '<=', now).execute();
}

/** Stores a new setup token (its hash only). */
export async function insertSetupToken(db: Tx, token: SetupTokensTable): Promise<void> {
  await db.insertInto('setup_tokens').values(token).execute();
}

/** Whether a live, unused setup token has this hash. */
export async function isSetupTokenLive(db: Tx, tokenHash: string, now: string): Promise<boolean> {
  const row = await db
    .selectFrom('setup_tokens')
    .select('id')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

/** Spends a live, unused setup token in one conditional update; false when it was not (any more). */
export async function spendSetupToken(tx: Tx, tokenHash: string, now: string): Promise<boolean> {
  const spent = await tx
    .updateTable('setup_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  return spent !== undefined;
}
