import type { Config } from './config-schema.js';
import { loadConfig } from './load-config.js';

/**
 * The one reader of `process.env` in the code base: the process's environment, with
 * `overrides` (command-line flags named after variables) winning, parsed by
 * {@link loadConfig}.
 *
 * @example
 * const config = loadEnvironmentConfig({ IMAP_HOST: flags.imapHost });
 */
export function loadEnvironmentConfig(overrides: Record<string, string | undefined> = {}): Config {
  const flags = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return loadConfig({ ...process.env, ...flags });
}
