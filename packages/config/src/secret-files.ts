import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Variables whose values are secrets: `config:check` masks them, and each one except
 * AUDIT_KEY, CREDENTIAL_KEY and VAPID_PRIVATE_KEY can be read from a file named by `<NAME>_FILE` (Docker and
 * systemd secrets). Those three keep their own `_FILE` variables, which the server reads itself
 * (docs/audit.md, docs/operations.md).
 */
export const SECRET_VARIABLES = [
  'DATABASE_URL',
  'AUDIT_KEY',
  'CREDENTIAL_KEY',
  'IMAP_PASSWORD',
  'IMAP_ACCESS_TOKEN',
  'AGENT_OTP_SOURCE_TOKEN',
  'GMAIL_CLIENT_SECRET',
  'GMAIL_REFRESH_TOKEN',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'METRICS_TOKEN',
  'SMTP_URL',
  'VAPID_PRIVATE_KEY',
] as const;

/** The secrets that have a generic `<NAME>_FILE` variant. */
export const FILE_SECRET_VARIABLES = SECRET_VARIABLES.filter(
  (name) => name !== 'AUDIT_KEY' && name !== 'CREDENTIAL_KEY' && name !== 'VAPID_PRIVATE_KEY',
);

/** The `_FILE` variable names, e.g. TELEGRAM_BOT_TOKEN_FILE. */
export const SECRET_FILE_VARIABLES = FILE_SECRET_VARIABLES.map((name) => `${name}_FILE`);

/** An environment with every `<NAME>_FILE` replaced by `<NAME>`, and which names came from a file. */
export interface ResolvedSecretFiles {
  env: Record<string, string>;
  /** Secret name → the path its value was read from. */
  fromFile: Map<string, string>;
  /** `<NAME_FILE>: problem` lines, empty when every file was read. */
  problems: string[];
}

/**
 * Reads the file each `<NAME>_FILE` names into `<NAME>`. The content loses one trailing
 * newline (what `echo secret > file` and most secret stores add) and nothing else, so a
 * secret that really ends in spaces survives. Setting both forms is a problem, as is a
 * missing, unreadable or empty file; problems are collected, never thrown, so the caller
 * can report them beside the schema's own.
 *
 * @example
 * const { env, problems } = resolveSecretFiles({ TELEGRAM_BOT_TOKEN_FILE: '/run/secrets/bot' });
 */
export function resolveSecretFiles(input: Record<string, string>): ResolvedSecretFiles {
  const env = { ...input };
  const fromFile = new Map<string, string>();
  const problems: string[] = [];
  for (const name of FILE_SECRET_VARIABLES) {
    const fileVariable = `${name}_FILE`;
    const path = env[fileVariable];
    if (path === undefined) continue;
    delete env[fileVariable];
    if (env[name] !== undefined) {
      problems.push(`${fileVariable}: set ${name} or ${fileVariable}, not both`);
      continue;
    }
    const absolute = resolve(path);
    let content: string;
    try {
      content = readFileSync(absolute, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${fileVariable}: cannot read ${absolute} (${code})`);
      continue;
    }
    const value = content.replace(/\r?\n$/, '');
    if (value === '') {
      problems.push(`${fileVariable}: ${absolute} is empty`);
      continue;
    }
    env[name] = value;
    fromFile.set(name, absolute);
  }
  return { env, fromFile, problems };
}
