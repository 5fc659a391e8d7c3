import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * The Telegram approval bot: which Telegram users act for which owner (and in which chat
 * they are notified), one-time deep-link tokens (stored as hashes only), and every message
 * the bot sent about a request, so each can be edited when the request is decided, expires
 * or is cancelled.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  // Telegram ids exceed 2^31 (supergroup chat ids are around -10^12).
  const telegramId = 'bigint';

  await db.schema
    .createTable('telegram_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('telegram_user_id', telegramId, (c) => c.notNull())
    .addColumn('chat_id', telegramId, (c) => c.notNull())
    .addColumn('linked_at', time, (c) => c.notNull())
    .addUniqueConstraint('telegram_links_owner_user_unique', ['owner_id', 'telegram_user_id'])
    .execute();
  await db.schema
    .createIndex('telegram_links_user_idx')
    .on('telegram_links')
    .column('telegram_user_id')
    .execute();

  await db.schema
    .createTable('telegram_link_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('used_at', time)
    .execute();

  await db.schema
    .createTable('telegram_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('chat_id', telegramId, (c) => c.notNull())
    // NULL while the send is in flight: the row is the claim that stops a second instance
    // (or a reconcile pass) from announcing the same request twice in one chat.
    .addColumn('message_id', telegramId)
    // Digest of the text and buttons the message shows now; an edit happens only when it changes.
    .addColumn('rendered_hash', 'text')
    .addColumn('has_buttons', 'integer', (c) => c.notNull())
    .addColumn('sent_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('telegram_messages_request_chat_unique', ['request_id', 'chat_id'])
    .execute();
  await db.schema
    .createIndex('telegram_messages_buttons_idx')
    .on('telegram_messages')
    .columns(['has_buttons', 'sent_at'])
    .execute();
}
