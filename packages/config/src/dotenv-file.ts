import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError } from './load-config.js';

/**
 * The variables of a `.env` file, parsed by Node's own parser (the `node --env-file`
 * syntax: `NAME=value`, `#` comments, quotes, `export ` prefixes), or `undefined` when there
 * is no such file. Any other read failure is a {@link ConfigError}, so a `.env` the process
 * cannot read never silently means "defaults".
 *
 * @example
 * const fromFile = readDotenvFile(join(process.cwd(), '.env')) ?? {};
 */
export function readDotenvFile(path: string): Record<string, string> | undefined {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new ConfigError(`invalid configuration:\n  .env: cannot read ${path} (${code ?? 'unreadable'})`);
  }
  const parsed = parseEnv(content);
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) if (value !== undefined) variables[name] = value;
  return variables;
}
