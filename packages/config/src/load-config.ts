import english from 'zod/v4/locales/en.js';
import { type Config, ConfigSchema } from './config-schema.js';
import { withPortFromUrl } from './port-from-url.js';
import { resolveSecretFiles } from './secret-files.js';

// zod/mini sets no message locale, so without one a bad PORT reads "Invalid input". The
// English messages are given to this parse alone rather than set globally with z.config():
// `serve` also loads classic zod, whose copy of zod's core shares that global setting.
const englishMessages = english().localeError;

/** A configuration problem, naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses an environment into a {@link Config}, or throws a {@link ConfigError} that names
 * every bad variable. `<NAME>_FILE` variables are read into `<NAME>` first, and an unset PORT
 * takes AGENT_OTP_URL's explicit port (so one variable moves the server, the CLI and the SDKs).
 *
 * @example
 * const config = loadConfig({ PORT: '0', DATA_DIR: dir });
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  return resolveConfig(env).config;
}

/** A parsed configuration with the variables it was parsed from (secret files read). */
export interface ResolvedConfig {
  config: Config;
  env: Record<string, string>;
  /** Secret name → the file its value was read from. */
  fromFile: Map<string, string>;
  /** PORT was unset and came from AGENT_OTP_URL's explicit port. */
  portFromUrl: boolean;
}

/**
 * {@link loadConfig}, also returning the variables after the secret files were read, so
 * `config:check` can say where each value came from.
 */
export function resolveConfig(env: Record<string, string | undefined>): ResolvedConfig {
  // Empty strings mean "unset", as in most shells' `FOO= agent-otp serve`.
  const cleaned: Record<string, string> = {};
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && value !== '') cleaned[name] = value;
  const secrets = resolveSecretFiles(cleaned);
  const { env: effective, derivedPort } = withPortFromUrl(secrets.env);
  const result = ConfigSchema.safeParse(effective, { error: englishMessages });
  const problems = [
    ...secrets.problems,
    ...(result.success
      ? []
      : result.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`)),
  ];
  if (problems.length > 0 || !result.success)
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return { config: result.data, env: effective, fromFile: secrets.fromFile, portFromUrl: derivedPort };
}
