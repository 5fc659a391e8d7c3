import { type Kysely, sql } from 'kysely';
import { knownMigrationNames } from './migrate.js';

/**
 * True when the database has run exactly the migrations this release knows, read with one
 * plain SELECT. Kysely's Migrator, even with nothing to do, takes its lock (a write
 * transaction on SQLite, which waits behind the relay's writes) and introspects every table;
 * a one-shot CLI command paid for that on every run (issue 17). Anything else (no migration
 * table yet, a migration missing, one from a newer release) answers false, and the caller
 * hands the database to the Migrator, which migrates it or explains the refusal as before.
 *
 * @example
 * if (!(await schemaIsCurrent(handle.db))) await migrateToLatest(handle.db, handle.dialect);
 */
export async function schemaIsCurrent<T>(db: Kysely<T>): Promise<boolean> {
  let executed: string[];
  try {
    // Unqualified: on PostgreSQL the connection's search_path names the schema the Migrator uses.
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    executed = rows.map((row) => row.name);
  } catch {
    // No migration table: a new database.
    return false;
  }
  const known = knownMigrationNames();
  const done = new Set(executed);
  return (
    executed.length === known.length && done.size === known.length && known.every((name) => done.has(name))
  );
}
