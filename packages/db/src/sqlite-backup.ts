import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
} from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { knownMigrationNames } from './migrate.js';

/** The SQLite database file inside DATA_DIR. */
export const SQLITE_DATABASE_FILE = 'agent-otp.sqlite';

/**
 * Why a backup or restore cannot go ahead: a file is missing, the destination exists, the
 * database is in use, or the file offered is not a database this release can restore.
 */
export type SqliteBackupRefusal = 'missing' | 'exists' | 'in-use' | 'unusable';

/** A backup or restore that cannot go ahead; the message says why and what to do. */
export class SqliteBackupError extends Error {
  constructor(
    message: string,
    readonly refusal: SqliteBackupRefusal,
  ) {
    super(message);
    this.name = 'SqliteBackupError';
  }
}

// Returned by the progress callback: copy every remaining page in one step, inside one read
// transaction, so the copy is one consistent snapshot. In smaller steps SQLite restarts the
// backup whenever the relay writes in between, and a busy relay could starve it forever.
const ALL_REMAINING_PAGES = 0x7fffffff;

function temporaryBeside(path: string): string {
  return `${path}.${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * Copies the live database at `source` to `destination` with SQLite's online backup API:
 * consistent while the relay keeps writing, created 0600. Refuses an existing destination
 * unless `force`; the copy is written beside it and moved into place, so a failure never
 * leaves half a backup under the requested name.
 *
 * @example
 * const { pages } = await backupSqliteDatabase('./data/agent-otp.sqlite', './agent-otp-2026-12-01.sqlite');
 */
export async function backupSqliteDatabase(
  source: string,
  destination: string,
  options: { force?: boolean } = {},
): Promise<{ pages: number }> {
  if (!existsSync(source)) throw new SqliteBackupError(`there is no database at ${source}`, 'missing');
  if (!options.force && existsSync(destination))
    throw new SqliteBackupError(
      `${destination} already exists: choose another path, or pass --force to replace it`,
      'exists',
    );
  const temporary = temporaryBeside(destination);
  // Created empty and private first: SQLite keeps the mode of a file it opens.
  closeSync(openSync(temporary, 'wx', 0o600));
  // Read-write, though it only reads: a read-only connection cannot remove the -wal and -shm
  // files it had to create when it is the last one to close.
  const database = new SQLite(source, { fileMustExist: true });
  try {
    database.pragma('busy_timeout = 5000');
    const progress = await database.backup(temporary, { progress: () => ALL_REMAINING_PAGES });
    singleFile(temporary);
    chmodSync(temporary, 0o600);
    if (options.force) renameSync(temporary, destination);
    // link() refuses an existing name, so a file created meanwhile is never replaced.
    else linkSync(temporary, destination);
    return { pages: progress.totalPages };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new SqliteBackupError(
        `${destination} already exists: choose another path, or pass --force to replace it`,
        'exists',
      );
    throw error;
  } finally {
    database.close();
    if (existsSync(temporary)) unlinkSync(temporary);
  }
}

/**
 * The copy inherits the relay's WAL mode; a rollback journal makes it one self-contained file
 * that can be moved, copied and opened read-only without `-wal` and `-shm` files appearing.
 */
function singleFile(path: string): void {
  const copy = new SQLite(path, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** What a backup file holds: the migrations it has run. */
export interface SqliteBackupInfo {
  migrations: string[];
}

/**
 * Checks that `path` is an intact Agent OTP SQLite database (it has the migrations table)
 * that this release can open (it has run no migration this release does not know).
 *
 * @example
 * const { migrations } = inspectSqliteBackup('./agent-otp-2026-12-01.sqlite');
 */
export function inspectSqliteBackup(path: string): SqliteBackupInfo {
  if (!existsSync(path)) throw new SqliteBackupError(`there is no file at ${path}`, 'missing');
  let database: SQLite.Database;
  try {
    database = new SQLite(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new SqliteBackupError(
      `${path} cannot be opened as SQLite: ${(error as Error).message}`,
      'unusable',
    );
  }
  try {
    let migrations: string[];
    try {
      const rows = database.prepare('select name from kysely_migration order by name').all() as {
        name: string;
      }[];
      migrations = rows.map((row) => row.name);
    } catch {
      throw new SqliteBackupError(
        `${path} is not an Agent OTP database (it has no migrations table)`,
        'unusable',
      );
    }
    if (migrations.length === 0)
      throw new SqliteBackupError(
        `${path} is not an Agent OTP database (it has run no migration)`,
        'unusable',
      );
    const known = new Set(knownMigrationNames());
    const newer = migrations.filter((name) => !known.has(name));
    if (newer.length > 0)
      throw new SqliteBackupError(
        `${path} comes from a newer release of Agent OTP (migrations ${newer.join(', ')} are unknown to this one): restore it with that release or a newer one`,
        'unusable',
      );
    const check = database.pragma('quick_check', { simple: true });
    if (check !== 'ok')
      throw new SqliteBackupError(
        `${path} is damaged: SQLite's quick_check says ${String(check)}`,
        'unusable',
      );
    return { migrations };
  } finally {
    database.close();
  }
}

/**
 * A relay (or any other process) with the database open holds a shared lock on it for as
 * long as it is open, since the database is in WAL mode; leaving WAL mode needs the only
 * connection, so trying it tells whether anyone else has the file open. The file is about
 * to be replaced, so the changed journal mode does not matter (the relay sets WAL on open).
 */
function assertNotInUse(databasePath: string): void {
  const database = new SQLite(databasePath, { fileMustExist: true, timeout: 0 });
  try {
    const mode = database.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') throw new Error(`journal mode stayed ${String(mode)}`);
  } catch {
    throw new SqliteBackupError(
      `${databasePath} is in use (the relay or another agent-otp command has it open): stop the relay, then restore`,
      'in-use',
    );
  } finally {
    database.close();
  }
}

function timestampForFileName(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

/**
 * Replaces the database at `databasePath` with the backup at `backupPath` after checking
 * the backup ({@link inspectSqliteBackup}) and that nothing has the database open. The
 * replaced file is kept as `<database>.before-restore-<time>`. Migrations the backup lacks
 * run when the relay next starts.
 *
 * @example
 * const { keptAs } = restoreSqliteDatabase('./agent-otp-2026-12-01.sqlite', './data/agent-otp.sqlite');
 */
export function restoreSqliteDatabase(
  backupPath: string,
  databasePath: string,
  now: Date = new Date(),
): SqliteBackupInfo & { keptAs: string | null } {
  const info = inspectSqliteBackup(backupPath);
  let keptAs: string | null = null;
  if (existsSync(databasePath)) {
    assertNotInUse(databasePath);
    keptAs = `${databasePath}.before-restore-${timestampForFileName(now)}`;
  }
  // Restoring onto a new machine: the data directory may not exist yet (0700, as the relay makes it).
  mkdirSync(dirname(databasePath), { recursive: true, mode: 0o700 });
  const temporary = temporaryBeside(databasePath);
  closeSync(openSync(temporary, 'wx', 0o600));
  try {
    copyDatabase(backupPath, temporary);
    chmodSync(temporary, 0o600);
    if (keptAs) renameSync(databasePath, keptAs);
    renameSync(temporary, databasePath);
  } finally {
    if (existsSync(temporary)) unlinkSync(temporary);
  }
  return { ...info, keptAs };
}

/**
 * SQLite writes the copy itself (VACUUM INTO, not a byte copy), so pages still in a `-wal`
 * file beside the backup come along, and the copy is compacted.
 */
function copyDatabase(backupPath: string, emptyTarget: string): void {
  const source = new SQLite(backupPath, { readonly: true, fileMustExist: true });
  try {
    source.prepare('vacuum into ?').run(emptyTarget);
  } finally {
    source.close();
  }
}
