import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * Risk at a glance (issue 15):
 * - `risk` on both request tables: the assessment made when the request was created, as JSON
 *   (`{level, reasons}`), never rewritten, so what the owner saw is what the record keeps even
 *   after the rules change. NULL on rows created before this release.
 * - `risk` on policies: the level a policy gives the requests it matches (low, elevated,
 *   high), NULL when it says nothing.
 * - `risk_rule_settings`: one row per owner and built-in rule they changed (a level or `off`);
 *   a rule without a row keeps its default.
 * - an index to tell quickly whether an agent used a public key before (the `new-key` rule).
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  for (const table of ['otp_requests', 'permission_requests', 'policies']) {
    await db.schema.alterTable(table).addColumn('risk', 'text').execute();
  }
  await db.schema
    .createTable('risk_rule_settings')
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('rule', 'text', (c) => c.notNull())
    // low | elevated | high | off
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_rule_settings_pk', ['owner_id', 'rule'])
    .execute();
  await db.schema
    .createIndex('otp_requests_agent_key_idx')
    .on('otp_requests')
    .columns(['agent_id', 'key_fingerprint'])
    .execute();
}
