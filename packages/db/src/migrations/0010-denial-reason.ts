import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * Why the owner denied a request, in their own words, so the agent learns what to change
 * instead of only "denied" (issue 15). Optional: NULL on every other outcome and on denials
 * given without a reason (and on every row decided before this release). Plain text, the
 * same type on both dialects.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialect): Promise<void> {
  for (const table of ['otp_requests', 'permission_requests']) {
    await db.schema.alterTable(table).addColumn('denial_reason', 'text').execute();
  }
}
