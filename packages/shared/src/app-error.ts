import type { ErrorCode } from '@orrisai/agent-otp-contract';

/**
 * An expected failure with a code from the closed list. Core functions throw it; the
 * HTTP layer turns it into `{error: {code, message, requestId, details?}}`. It lives with the
 * relay, not in the public contract: clients see only the JSON it becomes.
 *
 * @example
 * throw new AppError('NOT_FOUND', 'no such request');
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
