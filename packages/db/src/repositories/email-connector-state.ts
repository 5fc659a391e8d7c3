import type { Tx } from '../transaction.js';

/**
 * Where a mailbox connector stopped reading one account (IMAP's UIDVALIDITY + last UID, or
 * Gmail's last history id). Opaque here: the connector that wrote it reads it.
 */
export type StoredConnectorCursor = Record<string, string | number>;

function parseCursor(text: string): StoredConnectorCursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const fields = Object.values(parsed);
  return fields.every((value) => typeof value === 'string' || typeof value === 'number')
    ? (parsed as StoredConnectorCursor)
    : undefined;
}

/**
 * The stored cursor of one account key, parsed; a row that is not a JSON object of strings
 * and numbers is a clear error rather than a silent restart from scratch.
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
  const cursor = parseCursor(row.cursor);
  if (!cursor)
    throw new Error(`email_connector_state: the cursor of account ${accountKey.slice(0, 12)}… is corrupt`);
  return cursor;
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
