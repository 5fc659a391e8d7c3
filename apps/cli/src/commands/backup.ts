import { join, resolve } from 'node:path';
import type { Config } from '@agent-otp/config';
import type { SqliteBackupRefusal } from '@agent-otp/db';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

const OPERATIONS_GUIDE = 'docs/operations.md';

/** PostgreSQL has its own tools, which also handle roles, large databases and point-in-time recovery. */
function refuseOnPostgres(config: Config, what: 'backup' | 'restore'): void {
  if (!config.databaseUrl) return;
  const tool = what === 'backup' ? 'pg_dump --format=custom' : 'pg_restore --clean --if-exists';
  throw new CliError(
    `DATABASE_URL is set: this relay keeps its data in PostgreSQL, which agent-otp does not ${what} itself; use ${tool} (see ${OPERATIONS_GUIDE}#${what}), and keep the audit key with it`,
  );
}

async function databasePath(config: Config): Promise<string> {
  const { SQLITE_DATABASE_FILE } = await import('@agent-otp/db');
  return join(config.dataDir, SQLITE_DATABASE_FILE);
}

/** The CLI error code (and so the exit status, docs/cli.md) of each refusal. */
const EXIT_CODE_BY_REFUSAL: Record<SqliteBackupRefusal, string> = {
  missing: 'NOT_FOUND',
  exists: 'CONFLICT',
  'in-use': 'CONFLICT',
  unusable: 'CLI_ERROR',
};

/** Shows a refused backup or restore as one line; anything else is a real failure. */
async function explainRefusal<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const { SqliteBackupError } = await import('@agent-otp/db');
    if (error instanceof SqliteBackupError)
      throw new CliError(error.message, EXIT_CODE_BY_REFUSAL[error.refusal]);
    throw error;
  }
}

/** `backup PATH` and `restore PATH`: the SQLite database, copied while the relay serves and put back while it is stopped. */
export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'copy the SQLite database to PATH while the relay keeps serving (0600; PostgreSQL: use pg_dump)',
    )
    .argument('<path>', 'the backup file to create')
    .option('--force', 'replace PATH if it exists')
    .option('--json', 'print JSON')
    .action(async (path: string, options: { force?: boolean; json?: boolean }) => {
      const { backupSqliteDatabase } = await import('@agent-otp/db');
      const { cliConfig, output } = await import('../runtime.js');
      const config = cliConfig();
      refuseOnPostgres(config, 'backup');
      const source = await databasePath(config);
      const destination = resolve(path);
      const { pages } = await explainRefusal(() =>
        backupSqliteDatabase(source, destination, { force: options.force }),
      );
      output(
        options.json,
        { backup: destination, database: source, pages },
        () =>
          `Backed up ${source} to ${destination} (${pages} pages).\nKeep the audit key (${join(config.dataDir, 'audit.key')}, or your AUDIT_KEY / AUDIT_KEY_FILE) with it: the database alone cannot be verified or decrypted.`,
      );
    });

  program
    .command('restore')
    .description(
      'replace the SQLite database with the backup at PATH (stop the relay first; the replaced file is kept)',
    )
    .argument('<path>', 'a file made by `agent-otp backup`')
    .option('--json', 'print JSON')
    .action(async (path: string, options: { json?: boolean }) => {
      const { restoreSqliteDatabase } = await import('@agent-otp/db');
      const { cliConfig, output } = await import('../runtime.js');
      const config = cliConfig();
      refuseOnPostgres(config, 'restore');
      const target = await databasePath(config);
      const backup = resolve(path);
      const result = await explainRefusal(() => restoreSqliteDatabase(backup, target));
      output(
        options.json,
        { restored: backup, database: target, keptAs: result.keptAs, migrations: result.migrations },
        () =>
          [
            `Restored ${backup} to ${target}.`,
            result.keptAs ? `The replaced database is kept as ${result.keptAs}.` : null,
            'Start the relay: it applies any newer migrations. Then run `agent-otp audit:verify`.',
          ]
            .filter(Boolean)
            .join('\n'),
      );
    });
}
