export { canonicalJson } from './canonical-json.js';
export { checkDatabase, type DatabaseHealth } from './check-database.js';
export { isDatabaseUnavailable } from './is-database-unavailable.js';
export { knownMigrationNames, migrateToLatest } from './migrate.js';
export {
  connectionName,
  type DatabaseHandle,
  DEFAULT_CONNECT_TIMEOUT_MS,
  type OpenDatabaseOptions,
  openDatabase,
} from './open-database.js';
export * from './repositories/agent-key-history.js';
export * from './repositories/agent-webhook-secrets.js';
export * from './repositories/agents.js';
export * from './repositories/audit.js';
export * from './repositories/audit-checkpoints.js';
export * from './repositories/audit-crypto.js';
export * from './repositories/audit-list.js';
export * from './repositories/audit-verify.js';
export * from './repositories/capturable-otp-requests.js';
export * from './repositories/capture-sources.js';
export * from './repositories/email-connector-state.js';
export * from './repositories/held-messages.js';
export * from './repositories/json-column.js';
export * from './repositories/login-attempts.js';
export * from './repositories/mailboxes.js';
export * from './repositories/operational-stats.js';
export * from './repositories/owner-request-lists.js';
export * from './repositories/passkeys.js';
export * from './repositories/policies.js';
export * from './repositories/push-subscriptions.js';
export * from './repositories/request-activity.js';
export * from './repositories/request-records.js';
export * from './repositories/requests.js';
export * from './repositories/risk-rule-settings.js';
export * from './repositories/sender-suffix.js';
export * from './repositories/sessions.js';
export * from './repositories/setup-tokens.js';
export * from './repositories/telegram-links.js';
export * from './repositories/telegram-messages.js';
export * from './repositories/unclear-messages.js';
export * from './repositories/users.js';
export * from './repositories/webhook-outbox.js';
export * from './schema.js';
export { createSecretBox, type SecretBox, SecretBoxError } from './secret-box.js';
export {
  backupSqliteDatabase,
  inspectSqliteBackup,
  restoreSqliteDatabase,
  SQLITE_DATABASE_FILE,
  SqliteBackupError,
  type SqliteBackupInfo,
  type SqliteBackupRefusal,
} from './sqlite-backup.js';
export { type Tx, withTransaction } from './transaction.js';
export type { SqlDialect } from './types.js';
