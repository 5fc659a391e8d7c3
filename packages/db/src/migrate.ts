import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as initial from './migrations/0001-initial.js';
import * as permissions from './migrations/0002-permissions.js';
import * as telegram from './migrations/0003-telegram.js';
import * as dashboardAuth from './migrations/0004-dashboard-auth.js';
import * as emailConnector from './migrations/0005-email-connector.js';
import * as auditCheckpoints from './migrations/0006-audit-checkpoints.js';
import * as heldMessages from './migrations/0007-held-messages.js';
import * as webhooks from './migrations/0008-webhooks.js';
import * as smsProviders from './migrations/0009-sms-providers.js';
import * as denialReason from './migrations/0010-denial-reason.js';
import * as unclearMessages from './migrations/0011-unclear-messages.js';
import * as mailboxes from './migrations/0012-mailboxes.js';
import * as risk from './migrations/0013-risk.js';
import * as requestHistory from './migrations/0014-request-history.js';
import * as passkeys from './migrations/0015-passkeys.js';
import * as growthIndexes from './migrations/0016-growth-indexes.js';
import * as pushSubscriptions from './migrations/0017-push-subscriptions.js';
import * as auditTimeIndex from './migrations/0018-audit-time-index.js';
import * as activityIndex from './migrations/0019-activity-index.js';
import * as senderSuffix from './migrations/0020-sender-suffix.js';
import * as agentKeyHistoryIndex from './migrations/0021-agent-key-history-index.js';
import type { SqlDialect } from './types.js';

/** Every migration, in order. Names sort; never rename or edit a released one. */
const MIGRATIONS: Record<string, { up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> }> = {
  '0001-initial': initial,
  '0003-telegram': telegram,
  '0002-permissions': permissions,
  '0004-dashboard-auth': dashboardAuth,
  '0005-email-connector': emailConnector,
  '0006-audit-checkpoints': auditCheckpoints,
  '0007-held-messages': heldMessages,
  '0008-webhooks': webhooks,
  '0009-sms-providers': smsProviders,
  '0010-denial-reason': denialReason,
  '0011-unclear-messages': unclearMessages,
  '0012-mailboxes': mailboxes,
  '0013-risk': risk,
  '0014-request-history': requestHistory,
  '0015-passkeys': passkeys,
  '0016-growth-indexes': growthIndexes,
  '0017-push-subscriptions': pushSubscriptions,
  '0018-audit-time-index': auditTimeIndex,
  '0019-activity-index': activityIndex,
  '0020-sender-suffix': senderSuffix,
  '0021-agent-key-history-index': agentKeyHistoryIndex,
};

/**
 * The migrations this release knows, by name. A database that has run any other one was
 * migrated by a newer release (restore and start-up refuse it).
 *
 * @example
 * knownMigrationNames().includes('0001-initial') === true;
 */
export function knownMigrationNames(): string[] {
  return Object.keys(MIGRATIONS).sort();
}

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: SqlDialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const [name, migration] of Object.entries(MIGRATIONS)) {
      migrations[name] = { up: (db) => migration.up(db, this.dialect) };
    }
    return migrations;
  }
}

/**
 * Applies every pending migration (or, with `upTo`, those up to and including that one);
 * throws with the failing migration's name.
 *
 * @example
 * await migrateToLatest(handle.db, handle.dialect);
 */
export async function migrateToLatest<T>(
  db: Kysely<T>,
  dialect: SqlDialect,
  schema?: string,
  upTo?: string,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(dialect),
    // Kysely looks its bookkeeping tables up in `public` unless told; isolated schemas must say so.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt += 1) {
    const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
    if (!error) return;
    const failed = results?.find((r) => r.status === 'Error');
    // A burst of drops (a test run tearing down many schemas) can outlast a few quick
    // retries on a loaded machine: up to ~7 s in all before giving up.
    if (!failed && attempt < MAX_INTROSPECTION_ATTEMPTS && anotherSchemaVanished(error, schema)) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * attempt, 1000)));
      continue;
    }
    const reason = error instanceof Error ? error.message : String(error);
    const newer = /previously executed migration (\S+) is missing/.exec(reason)?.[1];
    // Kysely's word for it is "corrupted"; the usual cause is starting an older release.
    if (!failed && newer)
      throw new Error(
        `this database was migrated by a newer release of Agent OTP (it has run migration ${newer}, which this release does not know): run that release or a newer one, or restore a backup taken before the upgrade (docs/operations.md#downgrading)`,
      );
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
}

/**
 * Before it runs anything, Kysely's migrator introspects the tables of every schema, and its
 * query calls `pg_get_serial_sequence` by name: a schema, table or column that someone else
 * drops during that scan (several relays or test runs on one database) fails it with 3F000,
 * 42P01 or 42703 naming the vanished object. Nothing has been changed yet at that point
 * (no migration reported an error), so the run is simply repeated.
 */
const MAX_INTROSPECTION_ATTEMPTS = 12;

const VANISHED_DURING_INTROSPECTION = new Set(['3F000', '42P01', '42703']);

function anotherSchemaVanished(error: unknown, ownSchema: string | undefined): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !VANISHED_DURING_INTROSPECTION.has(code)) return false;
  if (code !== '3F000' || ownSchema === undefined) return true;
  return typeof message === 'string' && !message.includes(`"${ownSchema}"`);
}
