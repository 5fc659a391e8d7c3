import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * SMS sources reached by a provider's webhook (SMS Gateway for Android, Twilio, Telnyx, or a
 * generic forwarder), each verified by its own signature scheme, and the per-source figures
 * the owner watches. The secret a signature is checked with (the app's signing key, Twilio's
 * Auth Token) is the only secret the relay must read back: it is stored sealed in the secret
 * box (AES-256-GCM, bound to the source's row), never in plaintext. A Telnyx public key is
 * not secret and is stored as given.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  // One column per statement: SQLite's ALTER TABLE adds one column at a time.
  const table = () => db.schema.alterTable('capture_sources');
  await table().addColumn('provider', 'text').execute();
  await table().addColumn('sealed_signing_secret', 'text').execute();
  await table().addColumn('telnyx_public_key', 'text').execute();
  await table()
    .addColumn('messages_received', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await table().addColumn('last_message_at', time).execute();
  await table().addColumn('last_error', 'text').execute();
  await table().addColumn('last_error_at', time).execute();
}
