import type { Tx } from '../transaction.js';
import { type ColumnSchema, parseJsonColumn } from './json-column.js';

/**
 * Where a mailbox connector stopped reading one account (IMAP's UIDVALIDITY + last UID, or
 * Gmail's last history id). Opaque here: the connector that wrote it reads it.
 */
export type StoredConnectorCursor = Record<string, string | number>;

/** A cursor is a flat JSON object of strings and numbers; anything else is a corrupt row. */
const cursorSchema: ColumnSchema<StoredConnectorCursor> = {
  safeParse(value) {
    const flat =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.values(value).every((field) => typeof field === 'string' || typeof field === 'number');
    return flat
      ? { success: true, data: value as StoredConnectorCursor }
      : { success: false, error: { message: 'not an object of strings and numbers' } };
  },
};

/**
 * The stored cursor of one account key, parsed; a row that is not a JSON object of strings
 * and numbers is a CorruptRowError rather than a silent restart from scratch.
 *
 * @example
 * const cursor = await selectConnectorCursor(db, accountKey);
 */
export async function selectConnectorCursor(
  db: Tx,
  accountKey: string,
): Promise<StoredConnectorCursor | undefined> {
  const row = await db
    .selectFrom('email_connector_state')
    .select('cursor')
    .where('account_key', '=', accountKey)
    .executeTakeFirst();
  if (!row) return undefined;
  // The account key is a hash; a prefix names the row without spelling out the key.
  const where = { table: 'email_connector_state', id: `${accountKey.slice(0, 12)}…`, column: 'cursor' };
  return parseJsonColumn(cursorSchema, where, row.cursor);
}

/** Saves (upserts) the cursor of one account key. */
export async function upsertConnectorCursor(
  db: Tx,
  state: { accountKey: string; kind: 'imap' | 'gmail'; cursor: StoredConnectorCursor; now: string },
): Promise<void> {
  const values = { cursor: JSON.stringify(state.cursor), kind: state.kind, updated_at: state.now };
  await db
    .insertInto('email_connector_state')
    .values({ account_key: state.accountKey, ...values })
    .onConflict((oc) => oc.column('account_key').doUpdateSet(values))
    .execute();
}
