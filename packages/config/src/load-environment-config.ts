import { join } from 'node:path';
import type { Config } from './config-schema.js';
import { type ConfigEntry, describeConfig, type EnvironmentLayers } from './describe-config.js';
import { readDotenvFile } from './dotenv-file.js';

/**
 * The one reader of `process.env` in the code base: the process's environment over the
 * working directory's `.env` (real variables win), with `overrides` (command-line flags
 * named after variables) winning over both, parsed by loadConfig.
 *
 * @example
 * const config = loadEnvironmentConfig({ IMAP_HOST: flags.imapHost });
 */
export function loadEnvironmentConfig(overrides: Record<string, string | undefined> = {}): Config {
  return describeConfig(environmentLayers(overrides)).config;
}

/** The effective configuration, listed for `agent-otp config:check`. */
export interface EnvironmentConfigReport {
  config: Config;
  entries: ConfigEntry[];
  /** The `.env` that was read, or `null` when the working directory has none. */
  dotenvPath: string | null;
}

/**
 * {@link loadEnvironmentConfig}, also listing every variable with its masked value and its
 * source (flag, env, .env, file, default). Throws the same ConfigError on a bad value.
 */
export function describeEnvironmentConfig(
  overrides: Record<string, string | undefined> = {},
): EnvironmentConfigReport {
  const layers = environmentLayers(overrides);
  const { config, entries } = describeConfig(layers);
  return { config, entries, dotenvPath: layers.dotenvPath };
}

function environmentLayers(
  overrides: Record<string, string | undefined>,
): EnvironmentLayers & { dotenvPath: string | null } {
  const path = join(process.cwd(), '.env');
  const dotenv = readDotenvFile(path);
  return { flags: overrides, env: process.env, dotenv: dotenv ?? {}, dotenvPath: dotenv ? path : null };
}
