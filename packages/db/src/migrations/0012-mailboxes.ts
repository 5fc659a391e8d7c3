import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * Mailboxes connected by their owners (issue 16): each row is one IMAP or Gmail account whose
 * connector a relay instance runs as that mailbox's own capture source, so its codes reach only
 * its owner's requests. `settings` holds no secret; the password (or Gmail refresh token) is
 * `credential`, sealed with the credential key (never the database's to read). The health
 * columns are written by whichever instance runs the connector; the lease columns say which
 * one does (one instance per mailbox, taken over when a lease expires).
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';

  await db.schema
    .createTable('mailboxes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // imap | gmail
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    // NULL once the mailbox is removed: the sealed secret does not outlive it.
    .addColumn('credential', 'text')
    .addColumn('source_id', 'text', (c) => c.notNull().references('capture_sources.id'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('removed_at', time)
    // connecting | idle | reconnecting | failing | stopped
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('connecting'))
    .addColumn('state_since', time)
    .addColumn('last_error', 'text')
    .addColumn('last_message_at', time)
    .addColumn('reconnect_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('health_updated_at', time)
    .addColumn('lease_holder', 'text')
    .addColumn('lease_expires_at', time)
    .execute();
  await db.schema
    .createIndex('mailboxes_owner_idx')
    .on('mailboxes')
    .columns(['owner_id', 'created_at'])
    .execute();
}
