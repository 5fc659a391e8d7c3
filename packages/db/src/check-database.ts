import { sql } from 'kysely';
import { isDatabaseUnavailable } from './is-database-unavailable.js';
import type { DatabaseHandle } from './open-database.js';

/** What a health probe learns about the database. */
export type DatabaseHealth = { ok: true; dialect: DatabaseHandle['dialect'] } | { ok: false; reason: string };

/**
 * Asks the database one trivial question. An unreachable database is an answer
 * (`ok: false`), not an exception, so a health endpoint never turns an outage into a 500;
 * any other failure is reported the same way, since the probe's only question is
 * "can we serve".
 *
 * @example
 * const health = await checkDatabase(database);
 * if (!health.ok) return c.json({ status: 'database_unavailable' }, 503);
 */
export async function checkDatabase(database: DatabaseHandle): Promise<DatabaseHealth> {
  try {
    await sql`select 1`.execute(database.db);
    return { ok: true, dialect: database.dialect };
  } catch (error) {
    return { ok: false, reason: isDatabaseUnavailable(error) ? 'unreachable' : 'query failed' };
  }
}
