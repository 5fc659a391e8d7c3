import type { ConfigEntry } from '@agent-otp/config';
import type { Command } from 'commander';

/** A table of the variables that have a value; unset ones only clutter it (--json lists them). */
function describeEntries(entries: ConfigEntry[], dotenvPath: string | null): string {
  const shown = entries.filter((entry) => entry.source !== 'unset');
  const nameWidth = Math.max(...shown.map((entry) => entry.name.length));
  const valueWidth = Math.min(48, Math.max(...shown.map((entry) => (entry.value ?? '').length)));
  const rows = shown.map((entry) => {
    const source = entry.detail ? `${entry.source} ${entry.detail}` : entry.source;
    return `  ${entry.name.padEnd(nameWidth)}  ${(entry.value ?? '').padEnd(valueWidth)}  ${source}`;
  });
  return [
    'Configuration is valid.',
    dotenvPath
      ? `Read ${dotenvPath} (real environment variables win over it).`
      : `No .env in ${process.cwd()}.`,
    '',
    ...rows,
    '',
    `${entries.length - shown.length} other variables are unset; --json lists every variable.`,
  ].join('\n');
}

/**
 * `config:check`: parses the configuration exactly as `serve` would (environment, `.env`,
 * `_FILE` secrets) without opening the database, and prints it with secrets masked. A bad
 * value fails with the same message `serve` would stop with.
 */
export function registerConfigCheckCommand(program: Command): void {
  program
    .command('config:check')
    .description(
      'print the effective configuration (secrets masked) and where each value came from; fail on a bad one',
    )
    .option('--json', 'print JSON: every variable with its value, whether it is secret, and its source')
    .action(async (options: { json?: boolean }) => {
      const { describeEnvironmentConfig } = await import('@agent-otp/config');
      const { output } = await import('../runtime.js');
      const { entries, dotenvPath } = describeEnvironmentConfig();
      output(options.json, { valid: true, dotenv: dotenvPath, variables: entries }, () =>
        describeEntries(entries, dotenvPath),
      );
    });
}
