import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * Messages the relay would not route on its own: requests of two or more agents matched
 * equally well, so the owner assigns the message. Only what approvers already see is kept
 * in the clear (source kind, the parsed sender address, times); the code exists solely as
 * one JWE per candidate request, each sealed to that request's key, and every candidate's
 * ciphertext is deleted when the message is assigned, discarded or expires. No subject or
 * body is stored: a subject can carry the code.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';

  await db.schema
    .createTable('held_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('received_at', time, (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    // pending → assigned | discarded | expired; one conditional update decides each.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assigned_request_id', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', time)
    .execute();
  await db.schema
    .createIndex('held_messages_owner_status_idx')
    .on('held_messages')
    .columns(['owner_id', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('held_messages_status_expiry_idx')
    .on('held_messages')
    .columns(['status', 'expires_at'])
    .execute();

  await db.schema
    .createTable('held_message_candidates')
    .addColumn('held_message_id', 'text', (c) =>
      c.notNull().references('held_messages.id').onDelete('cascade'),
    )
    .addColumn('request_id', 'text', (c) => c.notNull().references('otp_requests.id').onDelete('cascade'))
    .addColumn('encrypted_payload', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('held_message_candidates_pk', ['held_message_id', 'request_id'])
    .execute();
}
