import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pg from 'pg';
import { migrateToLatest } from './migrate.js';
import { preparePrivateSqliteFiles } from './private-files.js';
import type { Database } from './schema.js';
import { schemaIsCurrent } from './schema-current.js';
import { SQLITE_DATABASE_FILE } from './sqlite-backup.js';
import { cacheStatements } from './sqlite-statement-cache.js';
import type { SqlDialect } from './types.js';

/** An open database: the query builder, which dialect it speaks, and how to close it. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: SqlDialect;
  /** For PostgreSQL: the connection string (LISTEN/NOTIFY opens its own client). */
  postgres?: { connectionString: string; schema?: string };
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL when set; SQLite in `dataDir` otherwise. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** SQLite file name inside `dataDir`, or `:memory:`. */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests isolate themselves in one); created if missing. */
  postgresSchema?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  poolSize?: number;
  /** Told once when opening had to fix something an operator should know (file modes). */
  onNotice?: (message: string) => void;
  /**
   * PostgreSQL: how long to wait for a new connection before the query fails (default
   * 5000 ms), so requests fail fast with a retryable error while the database is down.
   */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL: told about a pooled connection that broke (restart, network, or
   * `pg_terminate_backend`). The pool drops it and opens a new one on demand; a query that
   * was running on it fails on its own. Unheard, such an error would end the process.
   */
  onConnectionError?: (error: Error) => void;
}

/** Default wait for a new PostgreSQL connection. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;

/** Hands `timestamptz` back as ISO strings and `bigint` counts as numbers, like SQLite does. */
const pgTypesOf = (types: typeof pg.types): pg.CustomTypesConfig =>
  ({
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === TIMESTAMPTZ_OID) {
        const parseDate = types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (value: string) => Date;
        return (value: string) => parseDate(value).toISOString();
      }
      if (oid === INT8_OID) return (value: string) => Number(value);
      return types.getTypeParser(oid, format ?? 'text');
    },
  }) as pg.CustomTypesConfig;

/**
 * Opens (and by default migrates) the database: SQLite with WAL in `dataDir`, or PostgreSQL
 * when `databaseUrl` is set.
 *
 * @example
 * const handle = await openDatabase({ dataDir: './data' });
 * await handle.close();
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.databaseUrl ? await openPostgres(options) : openSqlite(options);
  if (options.migrate !== false) {
    try {
      // The common case (every start, every CLI command) is a database already current.
      if (!(await schemaIsCurrent(handle.db)))
        await migrateToLatest(handle.db, handle.dialect, handle.postgres?.schema);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  return handle;
}

function openSqlite(options: OpenDatabaseOptions): DatabaseHandle {
  const file = options.sqliteFile ?? SQLITE_DATABASE_FILE;
  let path = file;
  if (file !== ':memory:') {
    path = join(options.dataDir, file);
    const tightened = preparePrivateSqliteFiles(options.dataDir, path);
    if (tightened.length > 0)
      options.onNotice?.(`made the data files private to this user (0700/0600): ${tightened.join(', ')}`);
  }
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Erased ciphertext is overwritten on disk, not just unlinked from the b-tree.
  sqlite.pragma('secure_delete = ON');
  // The CLI and the server share the file; wait for each other's short write locks.
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cacheStatements(sqlite) }),
  });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * The `application_name` of the relay's connections of one kind, e.g. `agent-otp listen t_1a2b`.
 *
 * @example
 * new pg.Client({ connectionString, fallback_application_name: connectionName('listen', schema) });
 */
export function connectionName(kind: 'pool' | 'listen', schema?: string): string {
  return `agent-otp ${kind}${schema ? ` ${schema}` : ''}`;
}

async function openPostgres(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const connectionString = options.databaseUrl!;
  const schema = options.postgresSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(schema)}`);
  const settings = [`-c TimeZone=UTC`];
  if (schema) settings.push(`-c search_path=${schema}`);
  // Loaded only for PostgreSQL: a SQLite install (and every CLI command on it) never needs the driver.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    types: pgTypesOf(pg.types),
    options: settings.join(' '),
    // Operators (and tests) can tell the relay's connections apart in pg_stat_activity;
    // an application_name in DATABASE_URL or PGAPPNAME still wins.
    fallback_application_name: connectionName('pool', schema),
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  const onConnectionError = options.onConnectionError ?? (() => {});
  // An idle connection that breaks is reported here; unheard, Node would treat it as fatal.
  pool.on('error', (error) => onConnectionError(error));
  // A connection checked out (between the statements of a transaction) has no pool listener,
  // and pg may emit more than one error as it dies. Its queries fail by themselves.
  pool.on('connect', (client) => client.on('error', () => {}));
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    postgres: schema ? { connectionString, schema } : { connectionString },
    close: () => db.destroy(),
  };
}
