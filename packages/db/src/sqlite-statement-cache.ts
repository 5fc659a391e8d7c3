import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How many distinct SQL texts keep their prepared statement (the relay runs a few hundred). */
export const DEFAULT_STATEMENT_CACHE_SIZE = 500;

/**
 * The database Kysely's SQLite dialect is given: `prepare` hands back the statement already
 * prepared for the same SQL text instead of compiling it again (Kysely prepares every query
 * anew, and on the request path compiling cost about as much as running). The
 * least recently used statement is dropped past `capacity`; better-sqlite3 finalizes it
 * when it is collected. A statement still iterating (a streamed select) is never handed
 * out twice: the caller gets a fresh one. Reuse is safe with transactions: better-sqlite3
 * resets a statement when `run`/`all` return, so a cached statement holds no lock or read
 * snapshot between uses, and SQLite re-prepares it by itself after a schema change
 * (a migration).
 *
 * @example
 * new SqliteDialect({ database: cacheStatements(new SQLite(path)) });
 */
export function cacheStatements(
  database: SQLite.Database,
  capacity = DEFAULT_STATEMENT_CACHE_SIZE,
): SqliteDatabase & { readonly cachedStatements: number } {
  // A Map iterates in insertion order: re-inserting on every hit keeps the oldest first.
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached && !cached.busy) {
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      if (cached) return statement;
      statements.set(sql, statement);
      if (statements.size > capacity) statements.delete(statements.keys().next().value as string);
      return statement;
    },
    close() {
      statements.clear();
      database.close();
    },
    get cachedStatements() {
      return statements.size;
    },
  };
}
