import { createHash } from 'node:crypto';
import { type CoreContext, nowIso } from '../context.js';

/**
 * Where a mailbox connector stopped reading, so a restart resumes instead of re-reading the
 * mailbox: IMAP's UIDVALIDITY + last UID, or Gmail's last history id. Opaque to core.
 */
export type ConnectorCursor = Record<string, string | number>;

/** Accounts are stored under a hash so the table holds no mail address. */
function accountKey(account: string): string {
  return createHash('sha256').update(account).digest('hex');
}

/**
 * The saved cursor of one mailbox account, if any.
 *
 * @example
 * const cursor = await readConnectorCursor(ctx, 'imap:owner@mail.example:993/INBOX');
 */
export async function readConnectorCursor(
  ctx: CoreContext,
  account: string,
): Promise<ConnectorCursor | undefined> {
  const row = await ctx.database.db
    .selectFrom('email_connector_state')
    .select('cursor')
    .where('account_key', '=', accountKey(account))
    .executeTakeFirst();
  if (!row) return undefined;
  const parsed: unknown = JSON.parse(row.cursor);
  return typeof parsed === 'object' && parsed !== null ? (parsed as ConnectorCursor) : undefined;
}

/**
 * Saves (upserts) the cursor of one mailbox account.
 *
 * @example
 * await saveConnectorCursor(ctx, 'imap:owner@mail.example:993/INBOX', 'imap', { uidValidity: 7, lastUid: 42 });
 */
export async function saveConnectorCursor(
  ctx: CoreContext,
  account: string,
  kind: 'imap' | 'gmail',
  cursor: ConnectorCursor,
): Promise<void> {
  const values = { cursor: JSON.stringify(cursor), kind, updated_at: nowIso(ctx) };
  await ctx.database.db
    .insertInto('email_connector_state')
    .values({ account_key: accountKey(account), ...values })
    .onConflict((oc) => oc.column('account_key').doUpdateSet(values))
    .execute();
}
