export { canonicalJson } from './canonical-json.js';
export { migrateToLatest } from './migrate.js';
export { type DatabaseHandle, type OpenDatabaseOptions, openDatabase } from './open-database.js';
export * from './repositories/audit.js';
export * from './schema.js';
export { type Tx, withTransaction } from './transaction.js';
export type { SqlDialect } from './types.js';
