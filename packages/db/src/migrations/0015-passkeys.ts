import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * Passkeys (issue 15): an owner's WebAuthn credentials, the single-use challenges the relay
 * hands out for registering one, signing in with one and stepping up to approve a high-risk
 * request, and the user agent of each browser session so the Account page can tell them apart.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';

  await db.schema
    .createTable('passkeys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // base64url, as the browser reports it; unique across owners, so it names one owner.
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('sign_count', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('backed_up', 'integer', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('last_used_at', time)
    .execute();
  await db.schema.createIndex('passkeys_owner_idx').on('passkeys').column('owner_id').execute();

  await db.schema
    .createTable('passkey_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('challenge_hash', 'text', (c) => c.notNull().unique())
    .addColumn('purpose', 'text', (c) => c.notNull())
    // NULL for a sign-in, whose owner is known only from the passkey that answers.
    .addColumn('owner_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    // The hash of what the challenge is bound to: the browser session, or the sign-in cookie.
    .addColumn('binding_hash', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('passkey_challenges_expires_idx')
    .on('passkey_challenges')
    .column('expires_at')
    .execute();

  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
}
