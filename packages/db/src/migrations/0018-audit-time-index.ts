import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * The audit page's date filter (issue 15) turns `since`/`until` into a range of sequence
 * numbers before it reads any row: "the last event before `until`" and "the first event at
 * or after `since`" are each one step down `(chain, created_at, seq)`. Without it, either
 * question read the owner's whole chain (a million rows on a long-lived relay); with it, a
 * date-filtered page costs the same as an unfiltered one.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialect): Promise<void> {
  await db.schema
    .createIndex('audit_events_chain_created_idx')
    .on('audit_events')
    .columns(['chain', 'created_at', 'seq'])
    .execute();
}
