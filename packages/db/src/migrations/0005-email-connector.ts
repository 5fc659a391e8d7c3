import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * Where the mailbox connector built into `agent-otp serve` stopped reading each account
 * (IMAP UIDVALIDITY + last UID, or the Gmail history id), so a restart resumes by UID
 * instead of missing or re-reading mail. Accounts are keyed by a hash: no address is stored.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable('email_connector_state')
    .addColumn('account_key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text', (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
}
