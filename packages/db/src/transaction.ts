import { type Kysely, sql, type Transaction } from 'kysely';
import type { DatabaseHandle } from './open-database.js';
import type { Database } from './schema.js';

/** A query builder bound to one open transaction. */
export type Tx = Kysely<Database> | Transaction<Database>;

/**
 * Runs `fn` in one transaction. On SQLite the transaction starts `IMMEDIATE`, so two
 * processes sharing the file (CLI and server) never deadlock upgrading a read lock.
 *
 * @example
 * await withTransaction(handle, async (tx) => { … });
 */
export async function withTransaction<T>(handle: DatabaseHandle, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (handle.dialect === 'postgres') return handle.db.transaction().execute(fn);
  return handle.db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const result = await fn(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  });
}
