import type { ErrorCode } from '@orrisai/agent-otp-contract';

/**
 * Codes an SDK error can carry: every code the server returns, plus the failures the SDK
 * detects itself (the request never got an answer, a payload would not open …).
 *
 * @example
 * if (error instanceof AgentOTPError && error.code === 'TIMEOUT') retryLater();
 */
export type AgentOTPErrorCode =
  | ErrorCode
  | 'MISSING_API_KEY'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'DECRYPTION_FAILED'
  | 'INVALID_RESPONSE'
  | 'WEBHOOK_SIGNATURE_INVALID';

/**
 * What every SDK error may carry besides its message.
 *
 * @example
 * new ValidationError('reason is required', { status: 400, details: { field: 'reason' } });
 */
export interface AgentOTPErrorOptions {
  code?: AgentOTPErrorCode | undefined;
  /** HTTP status of the response that caused the error, if there was one. */
  status?: number | undefined;
  /** The server's ID for the HTTP request (`X-Request-Id`); quote it when reporting a problem. */
  requestId?: string | undefined;
  /** Structured details from the server (e.g. the invalid fields). */
  details?: unknown;
  cause?: unknown;
}

/**
 * Base class of every error the SDK throws.
 *
 * @example
 * try {
 *   await client.consumeOTP(id, privateKey);
 * } catch (error) {
 *   if (error instanceof AgentOTPError) console.error(error.code, error.status, error.requestId);
 * }
 */
export class AgentOTPError extends Error {
  override name = 'AgentOTPError';
  readonly code: AgentOTPErrorCode;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor(message: string, options: AgentOTPErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? this.defaultCode();
    this.status = options.status;
    this.requestId = options.requestId;
    this.details = options.details;
  }

  /** The code a subclass stands for when the server did not send one. */
  protected defaultCode(): AgentOTPErrorCode {
    return 'INTERNAL_ERROR';
  }
}

/**
 * The API key is missing, malformed, unknown or revoked (HTTP 401/403).
 *
 * @example
 * if (error instanceof AuthenticationError) console.error('check AGENT_OTP_API_KEY');
 */
export class AuthenticationError extends AgentOTPError {
  override name = 'AuthenticationError';
  protected override defaultCode(): AgentOTPErrorCode {
    return 'UNAUTHORIZED';
  }
}

/**
 * The request was refused as invalid (HTTP 400/413/415). The message is the server's and
 * names the field, e.g. `body.ttl: ttl must be at least 30 seconds`.
 *
 * @example
 * if (error instanceof ValidationError) console.error(error.message, error.details);
 */
export class ValidationError extends AgentOTPError {
  override name = 'ValidationError';
  protected override defaultCode(): AgentOTPErrorCode {
    return 'VALIDATION_ERROR';
  }
}

/**
 * Too many requests (HTTP 429). `retryAfter` is how many seconds the server asked to wait.
 *
 * @example
 * if (error instanceof RateLimitError) await sleep(error.retryAfter * 1000);
 */
export class RateLimitError extends AgentOTPError {
  override name = 'RateLimitError';
  /** Seconds to wait before trying again, from the `Retry-After` header. */
  readonly retryAfter: number;

  constructor(message: string, options: AgentOTPErrorOptions & { retryAfter: number }) {
    super(message, options);
    this.retryAfter = options.retryAfter;
  }

  protected override defaultCode(): AgentOTPErrorCode {
    return 'RATE_LIMITED';
  }
}

/**
 * No such request for this agent (HTTP 404). Another agent's request is reported the same way.
 *
 * @example
 * if (error instanceof OTPNotFoundError) forgetRequest(id);
 */
export class OTPNotFoundError extends AgentOTPError {
  override name = 'OTPNotFoundError';
  protected override defaultCode(): AgentOTPErrorCode {
    return 'NOT_FOUND';
  }
}

/**
 * The request expired before it was consumed (HTTP 410); any code it held is erased.
 *
 * @example
 * if (error instanceof OTPExpiredError) await client.requestOTP(options); // ask again
 */
export class OTPExpiredError extends AgentOTPError {
  override name = 'OTPExpiredError';
  protected override defaultCode(): AgentOTPErrorCode {
    return 'OTP_EXPIRED';
  }
}

/**
 * The code was already read (HTTP 409 `OTP_ALREADY_CONSUMED`): it is handed out once only.
 *
 * @example
 * if (error instanceof OTPAlreadyConsumedError) console.warn('someone else consumed it');
 */
export class OTPAlreadyConsumedError extends AgentOTPError {
  override name = 'OTPAlreadyConsumedError';
  protected override defaultCode(): AgentOTPErrorCode {
    return 'OTP_ALREADY_CONSUMED';
  }
}

/** The relay's `details.denialReason` of an `OTP_DENIED` error, when it is a string. */
function denialReasonIn(details: unknown): string | undefined {
  const reason = (details as { denialReason?: unknown } | undefined)?.denialReason;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * The owner denied the request (HTTP 409 `OTP_DENIED`), e.g. when consuming it.
 * `requestOTP({waitForOTP: true})` does not throw this; it returns status `denied` (and
 * `denialReason` when the owner gave one). `denialReason` holds the owner's words, when
 * they gave any; the message ends with them too.
 *
 * @example
 * if (error instanceof OTPApprovalDeniedError) return `the owner said no: ${error.denialReason ?? 'no reason given'}`;
 */
export class OTPApprovalDeniedError extends AgentOTPError {
  override name = 'OTPApprovalDeniedError';
  /** Why the owner denied the request, in their words; undefined when they gave no reason. */
  readonly denialReason: string | undefined;

  constructor(message: string, options: AgentOTPErrorOptions & { denialReason?: string | undefined } = {}) {
    const denialReason = options.denialReason ?? denialReasonIn(options.details);
    super(denialReason === undefined ? message : `${message} (reason: ${denialReason})`, options);
    this.denialReason = denialReason;
  }

  protected override defaultCode(): AgentOTPErrorCode {
    return 'OTP_DENIED';
  }
}

/**
 * The request was cancelled (HTTP 409 `OTP_CANCELLED`).
 *
 * @example
 * if (error instanceof OTPCancelledError) return;
 */
export class OTPCancelledError extends AgentOTPError {
  override name = 'OTPCancelledError';
  protected override defaultCode(): AgentOTPErrorCode {
    return 'OTP_CANCELLED';
  }
}

/**
 * The request holds no code yet (still `pending_approval` or `approved`), so it cannot be
 * consumed. Wait with `client.waitForOTP(id)` first.
 *
 * @example
 * if (error instanceof OTPNotReadyError) await client.waitForOTP(id);
 */
export class OTPNotReadyError extends AgentOTPError {
  override name = 'OTPNotReadyError';
  protected override defaultCode(): AgentOTPErrorCode {
    return 'OTP_NOT_READY';
  }
}

/**
 * A payload could not be decrypted with this private key, is not an Agent OTP payload, or
 * was made for another request. The SDK never returns a code it could not verify.
 *
 * @example
 * if (error instanceof DecryptionError) console.error('wrong private key?', error.message);
 */
export class DecryptionError extends AgentOTPError {
  override name = 'DecryptionError';
  protected override defaultCode(): AgentOTPErrorCode {
    return 'DECRYPTION_FAILED';
  }
}

/**
 * The server could not be reached, or did not answer in time (`code` is `NETWORK_ERROR`
 * or `TIMEOUT`). The original failure is in `cause`.
 *
 * @example
 * if (error instanceof NetworkError) console.error('relay unreachable:', error.cause);
 */
export class NetworkError extends AgentOTPError {
  override name = 'NetworkError';
  protected override defaultCode(): AgentOTPErrorCode {
    return 'NETWORK_ERROR';
  }
}

/**
 * The server failed (HTTP 5xx) or answered with something that is not the API's shape.
 *
 * @example
 * if (error instanceof ServerError) console.error(`relay error, request ID ${error.requestId}`);
 */
export class ServerError extends AgentOTPError {
  override name = 'ServerError';
  protected override defaultCode(): AgentOTPErrorCode {
    return 'INTERNAL_ERROR';
  }
}

/**
 * A permission token is unknown, expired, or belongs to another request or agent
 * (`code` is `TOKEN_INVALID`), or has no uses left (`TOKEN_USED`).
 *
 * @example
 * if (error instanceof PermissionTokenError) await otp.requestPermission(again);
 */
export class PermissionTokenError extends AgentOTPError {
  override name = 'PermissionTokenError';
  protected override defaultCode(): AgentOTPErrorCode {
    return 'TOKEN_INVALID';
  }
}

/**
 * The action described in `useToken`'s `actionDetails` falls outside the granted scope
 * (`code` is `SCOPE_VIOLATION`); the use was not spent.
 *
 * @example
 * if (error instanceof ScopeViolationError) console.error(error.message);
 */
export class ScopeViolationError extends AgentOTPError {
  override name = 'ScopeViolationError';
  protected override defaultCode(): AgentOTPErrorCode {
    return 'SCOPE_VIOLATION';
  }
}

/**
 * Why a webhook delivery was refused: a header is missing, the timestamp is not a whole
 * number of seconds within the tolerance, no `v1=` entry matches, or the signed body is not
 * an Agent OTP event.
 *
 * @example
 * const reason: WebhookSignatureFailure = 'stale_timestamp';
 */
export type WebhookSignatureFailure = 'missing_header' | 'malformed' | 'stale_timestamp' | 'bad_signature';

/**
 * A webhook delivery failed verification (`code` is `WEBHOOK_SIGNATURE_INVALID`); `reason`
 * says which check refused it. Answer such a delivery with a 4xx and do not act on it.
 *
 * @example
 * if (error instanceof WebhookSignatureError) res.writeHead(400).end(error.reason);
 */
export class WebhookSignatureError extends AgentOTPError {
  override name = 'WebhookSignatureError';
  readonly reason: WebhookSignatureFailure;

  constructor(message: string, options: AgentOTPErrorOptions & { reason: WebhookSignatureFailure }) {
    super(message, options);
    this.reason = options.reason;
  }

  protected override defaultCode(): AgentOTPErrorCode {
    return 'WEBHOOK_SIGNATURE_INVALID';
  }
}
