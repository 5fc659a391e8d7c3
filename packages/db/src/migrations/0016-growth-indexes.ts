import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * Indexes that keep every list page and every create as cheap at 100,000 requests as on a
 * fresh database (issue 18). Each list pages newest first by ID under its filters, so each
 * filter gets an index that ends in the order the page is read in; checked with EXPLAIN
 * QUERY PLAN (no temporary B-tree sorting the owner's whole history):
 * - `(owner_id, status, id)`: a status view (the approval queue, "denied") walks only that
 *   status, in page order. It replaces `(owner_id, status)`, which it contains.
 * - `(agent_id, status, expires_at)`: the open-request cap counts one agent's live requests
 *   on every create; `(agent_id, created_at)` made that count read the agent's whole history.
 * - `(agent_id, id)`: the history filtered to one agent, in page order.
 * - webhook deliveries, newest first per owner (one agent's are filtered from those):
 *   `(owner_id, created_at, id)`.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialect): Promise<void> {
  for (const table of ['otp_requests', 'permission_requests']) {
    await db.schema.dropIndex(`${table}_owner_status_idx`).execute();
    await db.schema
      .createIndex(`${table}_owner_status_id_idx`)
      .on(table)
      .columns(['owner_id', 'status', 'id'])
      .execute();
    await db.schema.dropIndex(`${table}_agent_idx`).execute();
    await db.schema
      .createIndex(`${table}_agent_status_expiry_idx`)
      .on(table)
      .columns(['agent_id', 'status', 'expires_at'])
      .execute();
    await db.schema.createIndex(`${table}_agent_id_idx`).on(table).columns(['agent_id', 'id']).execute();
  }
  await db.schema
    .createIndex('webhook_outbox_owner_created_idx')
    .on('webhook_outbox')
    .columns(['owner_id', 'created_at', 'id'])
    .execute();
}
