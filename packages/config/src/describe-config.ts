import type * as z from 'zod/mini';
import { configVariables } from './config-schema.js';
import { type ResolvedConfig, resolveConfig } from './load-config.js';
import { SECRET_VARIABLES } from './secret-files.js';

/** Where a setting's value came from, strongest first. */
export type ValueSource = 'flag' | 'env' | '.env' | 'file' | 'derived' | 'default' | 'unset';

/** The places a process's variables come from; a stronger one wins. */
export interface EnvironmentLayers {
  /** Command-line flags named after variables (`--imap-host` for IMAP_HOST). */
  flags: Record<string, string | undefined>;
  /** The process's real environment. */
  env: Record<string, string | undefined>;
  /** The working directory's `.env`; an empty object when there is none. */
  dotenv: Record<string, string>;
}

/** One variable of the effective configuration, safe to print. */
export interface ConfigEntry {
  name: string;
  /** The value, with secrets masked; `null` when unset and without a default. */
  value: string | null;
  secret: boolean;
  source: ValueSource;
  /**
   * For a value read from a file: which `_FILE` variable named it, and the path. For a
   * derived one (PORT from AGENT_OTP_URL): the variable it came from, and that one's source.
   */
  detail?: string;
}

const MASK = '****';
const secretNames = new Set<string>(SECRET_VARIABLES);
const parsers: Record<string, z.ZodMiniType> = configVariables;

/**
 * The variables of all layers as one environment: flags over the real environment over
 * `.env` (a real variable, even an empty one, wins over the file, as dotenv tools do).
 */
export function mergeLayers(layers: EnvironmentLayers): Record<string, string | undefined> {
  const flags = Object.fromEntries(Object.entries(layers.flags).filter(([, value]) => value !== undefined));
  return { ...layers.dotenv, ...layers.env, ...flags };
}

/**
 * Parses the layered environment (throwing the same ConfigError as loadConfig) and lists
 * every variable the schema knows with its effective value, secrets masked, and its source.
 *
 * @example
 * const { entries } = describeConfig({ flags: {}, env: { PORT: '9000' }, dotenv: {} });
 */
export function describeConfig(layers: EnvironmentLayers): ResolvedConfig & { entries: ConfigEntry[] } {
  const resolved = resolveConfig(mergeLayers(layers));
  const sourceOf = (name: string): ValueSource => {
    if (layers.flags[name] !== undefined) return 'flag';
    if (layers.env[name] !== undefined) return 'env';
    return name in layers.dotenv ? '.env' : 'unset';
  };
  const entries = Object.keys(parsers).map((name): ConfigEntry => {
    const secret = secretNames.has(name);
    const raw = resolved.env[name];
    const path = resolved.fromFile.get(name);
    if (name === 'PORT' && raw !== undefined && resolved.portFromUrl)
      return {
        name,
        value: raw,
        secret,
        source: 'derived',
        detail: `from AGENT_OTP_URL (${sourceOf('AGENT_OTP_URL')})`,
      };
    if (raw !== undefined) {
      const value = secret ? mask(name, raw) : raw;
      if (path === undefined) return { name, value, secret, source: sourceOf(name) };
      return {
        name,
        value,
        secret,
        source: 'file',
        detail: `${name}_FILE (${sourceOf(`${name}_FILE`)}): ${path}`,
      };
    }
    const fallback = defaultOf(name);
    return fallback === undefined
      ? { name, value: null, secret, source: 'unset' }
      : { name, value: fallback, secret, source: 'default' };
  });
  return { ...resolved, entries };
}

/** The schema's default for a variable, as the text one would write in `.env`. */
export function defaultOf(name: string): string | undefined {
  const parsed = parsers[name]?.safeParse(undefined);
  return parsed?.success && parsed.data !== undefined ? String(parsed.data) : undefined;
}

/** A database URL keeps its host and database name (useful to check) and loses its password. */
function mask(name: string, value: string): string {
  if (name !== 'DATABASE_URL') return MASK;
  try {
    const url = new URL(value);
    if (url.password) url.password = MASK;
    for (const key of [...url.searchParams.keys()]) if (/pass/i.test(key)) url.searchParams.set(key, MASK);
    return url.toString();
  } catch {
    return MASK;
  }
}
