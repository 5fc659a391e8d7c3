import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * Signed checkpoints for the keyed audit chain (issue 9 item 13).
 *
 * `audit_checkpoints` holds, per chain, the latest length and head hash signed with the
 * audit key (which the database never holds), so deleting the last rows of a chain is
 * detected. `legacy_length` is how many rows were written before the chain was keyed:
 * those are verified with the old unkeyed scheme, the rest with HMAC.
 *
 * `audit_manifest` is one row listing every chain, signed, so deleting a whole chain and
 * its checkpoint is detected too. This migration inserts it unsealed: the first process
 * that opens the database with a key seals it, adopting the chains already written.
 * Because every database past this migration has the row from birth, a missing row
 * always means it was deleted.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('chain', 'text', (c) => c.primaryKey())
    .addColumn('legacy_length', 'integer', (c) => c.notNull())
    .addColumn('length', 'integer', (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('audit_manifest')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('key_id', 'text')
    .addColumn('chains', 'text')
    .addColumn('updated_at', time)
    .addColumn('signature', 'text')
    .execute();
  await sql`insert into audit_manifest (id) values (1)`.execute(db);
}
