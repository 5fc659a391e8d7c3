import type { ErrorResponse } from '@orrisai/agent-otp-contract';
import {
  AgentOTPError,
  type AgentOTPErrorCode,
  type AgentOTPErrorOptions,
  AuthenticationError,
  OTPAlreadyConsumedError,
  OTPApprovalDeniedError,
  OTPCancelledError,
  OTPExpiredError,
  OTPNotFoundError,
  OTPNotReadyError,
  PermissionTokenError,
  RateLimitError,
  ScopeViolationError,
  ServerError,
  ValidationError,
} from './errors.js';

type ErrorBody = ErrorResponse['error'];

function isErrorBody(value: unknown): value is { error: ErrorBody } {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/**
 * Seconds from a `Retry-After` header (delta-seconds or an HTTP date), else from the error
 * details, else undefined.
 */
export function parseRetryAfter(
  header: string | null,
  details?: unknown,
  now = Date.now(),
): number | undefined {
  if (header !== null && header.trim() !== '') {
    const trimmed = header.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, (date - now) / 1000);
  }
  const fromDetails = (details as { retryAfter?: unknown } | undefined)?.retryAfter;
  return typeof fromDetails === 'number' && fromDetails >= 0 ? fromDetails : undefined;
}

type ErrorClass = new (message: string, options: AgentOTPErrorOptions) => AgentOTPError;

/** The server's code decides the class; the HTTP status only when the code is unknown. */
function classForCode(code: string): ErrorClass | undefined {
  switch (code) {
    case 'UNAUTHORIZED':
    case 'FORBIDDEN':
    case 'CSRF_REJECTED':
    // An owner-only refusal (a high-risk approval without a passkey): agents never meet it.
    case 'STEP_UP_REQUIRED':
      return AuthenticationError;
    case 'VALIDATION_ERROR':
    case 'MALFORMED_JSON':
    case 'INVALID_PUBLIC_KEY':
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'PAYLOAD_TOO_LARGE':
      return ValidationError;
    case 'NOT_FOUND':
      return OTPNotFoundError;
    case 'OTP_NOT_READY':
      return OTPNotReadyError;
    case 'TOKEN_INVALID':
    case 'TOKEN_USED':
      return PermissionTokenError;
    case 'SCOPE_VIOLATION':
      return ScopeViolationError;
    case 'OTP_ALREADY_CONSUMED':
      return OTPAlreadyConsumedError;
    case 'OTP_EXPIRED':
    // A token its owner revoked is over like an expired one; `code` tells the two apart.
    case 'TOKEN_REVOKED':
      return OTPExpiredError;
    case 'OTP_DENIED':
      return OTPApprovalDeniedError;
    case 'OTP_CANCELLED':
      return OTPCancelledError;
    case 'SERVICE_UNAVAILABLE':
    case 'INTERNAL_ERROR':
      return ServerError;
    case 'CONFLICT':
      return AgentOTPError;
    default:
      return undefined;
  }
}

function classForStatus(status: number): ErrorClass {
  if (status === 401 || status === 403) return AuthenticationError;
  if (status === 400 || status === 413 || status === 415 || status === 422) return ValidationError;
  if (status === 404) return OTPNotFoundError;
  if (status === 410) return OTPExpiredError;
  if (status >= 500) return ServerError;
  return AgentOTPError;
}

/**
 * Turns a non-2xx response into the matching SDK error. Reads the body; never throws
 * anything but the returned error's construction.
 *
 * @example
 * if (!response.ok) throw await errorFromResponse(response);
 */
export async function errorFromResponse(response: Response): Promise<AgentOTPError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const status = response.status;
  const headerRequestId = response.headers.get('x-request-id') ?? undefined;
  const known = isErrorBody(body) ? body.error : undefined;
  const message = known?.message ?? `HTTP ${status} ${response.statusText}`.trim();
  const options: AgentOTPErrorOptions = {
    status,
    requestId: known?.requestId ?? headerRequestId,
    details: known?.details,
    code: known?.code as AgentOTPErrorCode | undefined,
  };
  if (status === 429 || known?.code === 'RATE_LIMITED') {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), known?.details) ?? 1;
    return new RateLimitError(message, { ...options, retryAfter });
  }
  const ErrorType = (known && classForCode(known.code)) ?? classForStatus(status);
  return new ErrorType(message, options);
}
