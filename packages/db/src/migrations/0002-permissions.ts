import type { Kysely } from 'kysely';
import type { SqlDialect } from '../types.js';

/**
 * One-time permissions and owner-managed policies.
 *
 * `permission_requests` never holds a readable token: the token is minted when it is handed
 * to its agent (at creation when a policy auto-approves, otherwise on the first read after
 * approval) and only its SHA-256 hash is kept. `uses_remaining` is spent by one conditional
 * UPDATE per use, so concurrent uses can never spend more than were granted.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';

  await db.schema
    .createTable('permission_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
    .addColumn('api_key_id', 'text', (c) => c.notNull().references('api_keys.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('requested_scope', 'text', (c) => c.notNull())
    .addColumn('granted_scope', 'text')
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('ttl_seconds', 'integer', (c) => c.notNull())
    .addColumn('policy_id', 'text')
    .addColumn('policy_name', 'text')
    .addColumn('decision', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decision_channel', 'text')
    .addColumn('decided_at', time)
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('token_handed_out', 'integer', (c) => c.notNull())
    .addColumn('uses_granted', 'integer', (c) => c.notNull())
    .addColumn('uses_remaining', 'integer', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('last_used_at', time)
    .addColumn('closed_at', time)
    .execute();
  await db.schema
    .createIndex('permission_requests_owner_status_idx')
    .on('permission_requests')
    .columns(['owner_id', 'status'])
    .execute();
  await db.schema
    .createIndex('permission_requests_status_expiry_idx')
    .on('permission_requests')
    .columns(['status', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('permission_requests_agent_idx')
    .on('permission_requests')
    .columns(['agent_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('agent_id', 'text', (c) => c.references('agents.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('applies_to', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('scope_template', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('policies_owner_idx').on('policies').columns(['owner_id', 'enabled']).execute();
}
