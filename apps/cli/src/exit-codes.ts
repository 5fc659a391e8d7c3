import type { AppError } from '@agent-otp/shared';
import { CommanderError } from 'commander';
import { CliError } from './cli-error.js';

/** The exit statuses scripts can branch on; docs/cli.md lists them. */
export const EXIT = {
  ok: 0,
  other: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  unreachable: 5,
  auth: 6,
} as const;

type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Relay error codes (and the CLI's own) by the exit status they mean. Codes not listed
 * (INTERNAL_ERROR, CLI_ERROR, a broken audit chain, …) exit with EXIT.other.
 */
const EXIT_BY_CODE: Record<string, ExitCode> = {
  USAGE: EXIT.usage,
  VALIDATION_ERROR: EXIT.usage,
  MALFORMED_JSON: EXIT.usage,
  INVALID_PUBLIC_KEY: EXIT.usage,
  UNSUPPORTED_MEDIA_TYPE: EXIT.usage,
  PAYLOAD_TOO_LARGE: EXIT.usage,
  NOT_FOUND: EXIT.notFound,
  DATABASE_NOT_FOUND: EXIT.notFound,
  CONFLICT: EXIT.conflict,
  INVALID_TRANSITION: EXIT.conflict,
  OTP_NOT_READY: EXIT.conflict,
  OTP_ALREADY_CONSUMED: EXIT.conflict,
  OTP_EXPIRED: EXIT.conflict,
  OTP_DENIED: EXIT.conflict,
  OTP_CANCELLED: EXIT.conflict,
  TOKEN_USED: EXIT.conflict,
  TOKEN_REVOKED: EXIT.conflict,
  SERVER_UNREACHABLE: EXIT.unreachable,
  SERVICE_UNAVAILABLE: EXIT.unreachable,
  UNAUTHORIZED: EXIT.auth,
  FORBIDDEN: EXIT.auth,
  CSRF_REJECTED: EXIT.auth,
  STEP_UP_REQUIRED: EXIT.auth,
  TOKEN_INVALID: EXIT.auth,
  SCOPE_VIOLATION: EXIT.auth,
};

/** A failure as the CLI reports it: the JSON error's code and message, and the exit status. */
export interface CliFailure {
  code: string;
  message: string;
  exitCode: number;
}

/** Commander's own messages start with "error: "; the JSON message carries only the reason. */
function commanderMessage(error: CommanderError): string {
  return error.message.replace(/^error:\s*/, '');
}

/**
 * The relay's AppError, recognised by its name and code rather than `instanceof`: importing
 * the class would load the whole contract (zod) before every command, even `--help`.
 */
function isAppError(error: unknown): error is AppError {
  return error instanceof Error && error.name === 'AppError' && typeof (error as AppError).code === 'string';
}

export function classifyFailure(error: unknown): CliFailure {
  if (error instanceof CommanderError) {
    // --help and --version end through the same path with status 0.
    if (error.exitCode === 0) return { code: 'OK', message: '', exitCode: EXIT.ok };
    return { code: 'USAGE', message: commanderMessage(error), exitCode: EXIT.usage };
  }
  if (isAppError(error) || error instanceof CliError)
    return { code: error.code, message: error.message, exitCode: EXIT_BY_CODE[error.code] ?? EXIT.other };
  if (error instanceof Error && error.name === 'ConfigError')
    return { code: 'CONFIG_ERROR', message: error.message, exitCode: EXIT.other };
  if (error instanceof Error)
    return { code: 'INTERNAL_ERROR', message: `${error.name}: ${error.message}`, exitCode: EXIT.other };
  return { code: 'INTERNAL_ERROR', message: String(error), exitCode: EXIT.other };
}
