import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * The owner's history (issue 15) pages each request table newest first by ID within one
 * owner (`owner_id = ? AND id < cursor ORDER BY id DESC LIMIT n`). With `(owner_id, id)`
 * that is a walk down one index that stops after a page; without it, every page read and
 * sorted all of the owner's requests.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialect): Promise<void> {
  for (const table of ['otp_requests', 'permission_requests'])
    await db.schema.createIndex(`${table}_owner_id_idx`).on(table).columns(['owner_id', 'id']).execute();
}
