/**
 * The closed list of error codes the API returns. Adding a code without mapping it in
 * {@link httpStatusForError} fails to compile.
 */
export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'MALFORMED_JSON',
  'INVALID_PUBLIC_KEY',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'CSRF_REJECTED',
  'STEP_UP_REQUIRED',
  'NOT_FOUND',
  'OTP_NOT_READY',
  'OTP_ALREADY_CONSUMED',
  'OTP_EXPIRED',
  'OTP_DENIED',
  'OTP_CANCELLED',
  'INVALID_TRANSITION',
  'TOKEN_INVALID',
  'TOKEN_USED',
  'TOKEN_REVOKED',
  'SCOPE_VIOLATION',
  'CONFLICT',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Maps an error code to its HTTP status, in one place.
 *
 * @example
 * httpStatusForError('OTP_ALREADY_CONSUMED'); // 409
 */
export function httpStatusForError(
  code: ErrorCode,
): 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 500 | 503 {
  switch (code) {
    case 'VALIDATION_ERROR':
    case 'MALFORMED_JSON':
    case 'INVALID_PUBLIC_KEY':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
    case 'CSRF_REJECTED':
    // A high-risk approval without a fresh passkey assertion (issue 15).
    case 'STEP_UP_REQUIRED':
    case 'TOKEN_INVALID':
    case 'SCOPE_VIOLATION':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'OTP_NOT_READY':
    case 'OTP_ALREADY_CONSUMED':
    case 'OTP_DENIED':
    case 'OTP_CANCELLED':
    case 'INVALID_TRANSITION':
    case 'TOKEN_USED':
    case 'CONFLICT':
      return 409;
    case 'OTP_EXPIRED':
    // A revoked token is as dead as an expired one; its own code says the owner ended it.
    case 'TOKEN_REVOKED':
      return 410;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'RATE_LIMITED':
      return 429;
    case 'SERVICE_UNAVAILABLE':
      return 503;
    case 'INTERNAL_ERROR':
      return 500;
    default: {
      const unmapped: never = code;
      throw new Error(`unmapped error code ${String(unmapped)}`);
    }
  }
}
