import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * The activity charts (issue 15) read one owner's requests created in a date range and count
 * them by agent, status and day. No index starts with `(owner_id, created_at)` since 0016
 * replaced the by-agent one, so the range would walk the owner's whole history. This index
 * bounds the read to the range, and carrying `agent_id` and `status` lets the counts come from
 * the index alone (checked with EXPLAIN QUERY PLAN: a covering index range, no table rows).
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialect): Promise<void> {
  for (const table of ['otp_requests', 'permission_requests']) {
    await db.schema
      .createIndex(`${table}_owner_created_idx`)
      .on(table)
      .columns(['owner_id', 'created_at', 'agent_id', 'status'])
      .execute();
  }
}
