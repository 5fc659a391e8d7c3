import * as z from 'zod/mini';
import { text, trimmedText } from './env-types.js';

// The `agent-otp` command's own settings. Spread into the one schema.

/** Environment variables of the CLI. */
export const cliEnvironment = {
  /**
   * Where the relay is (default http://localhost:PORT): the CLI and the SDKs call it there, and
   * `serve` listens on its explicit port when PORT is unset (one setting moves all three).
   */
  AGENT_OTP_URL: z.optional(text()),
  /** The owner commands act for when `--user` is not given (needed once several owners exist). */
  AGENT_OTP_USER: z.optional(trimmedText()),
};

type CliEnvironment = z.output<z.ZodMiniObject<typeof cliEnvironment>>;

/**
 * The parsed CLI settings. The URL is checked where it is used, so `--url` and the variable
 * get the same message.
 *
 * @example
 * const { cli } = cliSettings(env);
 */
export function cliSettings(env: CliEnvironment) {
  return { cli: { serverUrl: env.AGENT_OTP_URL, defaultUser: env.AGENT_OTP_USER } };
}
