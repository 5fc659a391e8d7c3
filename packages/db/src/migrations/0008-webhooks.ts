import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * Signed webhooks to agents (issue 11). A request may name an HTTPS `webhook_url`; each agent
 * has a signing secret, stored only sealed by the secret box (AES-256-GCM under a key derived
 * from the audit key), never in plaintext; every status change an agent acts on is queued in
 * `webhook_outbox` in the transaction that made it, and the delivery job drains the outbox
 * with a lease (`claimed_by`, `claimed_until`) so several instances deliver each attempt once.
 * An event's body never holds the code or its ciphertext.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';

  await db.schema.alterTable('otp_requests').addColumn('webhook_url', 'text').execute();
  await db.schema.alterTable('permission_requests').addColumn('webhook_url', 'text').execute();
  // NULL for agents created before webhooks existed: the owner rotates to get one.
  await db.schema.alterTable('agents').addColumn('webhook_secret_sealed', 'text').execute();

  await db.schema
    .createTable('webhook_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    // pending → delivered | failed; a lease marks the attempt in flight.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', time, (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', time)
    .addColumn('delivered_at', time)
    .addColumn('last_error', 'text')
    .addColumn('last_http_status', 'integer')
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_outbox_due_idx')
    .on('webhook_outbox')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_outbox_agent_idx')
    .on('webhook_outbox')
    .columns(['agent_id', 'created_at'])
    .execute();
}
