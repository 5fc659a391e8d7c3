import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * The approval card compares a request's key with the key of the agent's previous request
 * (repositories/agent-key-history.ts): newest first by `(created_at, id)` before the request.
 * Since 0016 dropped `(agent_id, created_at)`, that look-up read the agent's requests through
 * `(agent_id, id)` and sorted them all by creation time (a temporary B-tree over the agent's
 * whole history, 277 µs per look-up and growing). This index is in the look-up's order, so
 * it reads one entry back from the request's own (checked with EXPLAIN QUERY PLAN).
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialect): Promise<void> {
  await db.schema
    .createIndex('otp_requests_agent_created_id_idx')
    .on('otp_requests')
    .columns(['agent_id', 'created_at', 'id'])
    .execute();
}
