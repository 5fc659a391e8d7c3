import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * Web Push subscriptions (issue 15): each browser an owner turned "Notify this device" on in,
 * with the keys its push messages are encrypted to (RFC 8291). One endpoint belongs to one
 * owner row: the same browser signed in as two owners holds one row per owner.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable('push_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('endpoint', 'text', (c) => c.notNull())
    // base64url: the browser's P-256 public key (65 bytes) and its 16-byte auth secret.
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addUniqueConstraint('push_subscriptions_owner_endpoint_key', ['owner_id', 'endpoint'])
    .execute();
}
