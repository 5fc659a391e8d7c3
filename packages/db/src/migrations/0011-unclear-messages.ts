import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * Messages that matched an open request but held no code clear enough to deliver (issue 14):
 * the request stays open, and its owner sees that a message from this sender arrived. Only
 * what approvers already see is kept (source kind, the parsed sender, times) plus the
 * extractor's verdict; never the subject, the body or any candidate code. A few rows per
 * request at most (the core caps them), deleted with the request.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';

  await db.schema
    .createTable('unclear_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('otp_requests.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('received_at', time, (c) => c.notNull())
    // no_code | unclear_code
    .addColumn('outcome', 'text', (c) => c.notNull())
    // Hundredths (0..100), exact on both dialects; NULL when there was no candidate at all.
    .addColumn('confidence_hundredths', 'integer')
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('unclear_messages_request_idx')
    .on('unclear_messages')
    .columns(['request_id', 'received_at'])
    .execute();
}
