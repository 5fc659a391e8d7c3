"""Error classes, one per error code the relay returns (same names as the TypeScript SDK)."""

from __future__ import annotations

from typing import Any, Optional


class AgentOTPError(Exception):
    """Base class of every error the SDK raises.

    ``code`` is the relay's error code (``OTP_ALREADY_CONSUMED`` …) or one the SDK detects
    itself (``NETWORK_ERROR``, ``TIMEOUT``, ``DECRYPTION_FAILED``, ``INVALID_RESPONSE`` …);
    ``status`` the HTTP status; ``request_id`` the relay's ``X-Request-Id`` (quote it when
    reporting a problem); ``details`` the relay's structured details.
    """

    default_code = "INTERNAL_ERROR"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        status: Optional[int] = None,
        request_id: Optional[str] = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code: str = code or self.default_code
        self.status = status
        self.request_id = request_id
        self.details = details

    def __str__(self) -> str:
        return self.message


class AuthenticationError(AgentOTPError):
    """The API key is missing, malformed, unknown or revoked (HTTP 401/403)."""

    default_code = "UNAUTHORIZED"


class ValidationError(AgentOTPError):
    """The request was refused as invalid (HTTP 400/413/415); the message names the field."""

    default_code = "VALIDATION_ERROR"


class RateLimitError(AgentOTPError):
    """Too many requests (HTTP 429). ``retry_after`` is the seconds the relay asked to wait."""

    default_code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: float, **options: Any) -> None:
        super().__init__(message, **options)
        self.retry_after = retry_after


class OTPNotFoundError(AgentOTPError):
    """No such request for this agent (HTTP 404); another agent's request looks the same."""

    default_code = "NOT_FOUND"


class OTPExpiredError(AgentOTPError):
    """The request expired before it was consumed (HTTP 410); any code it held is erased."""

    default_code = "OTP_EXPIRED"


class OTPAlreadyConsumedError(AgentOTPError):
    """The code was already read (HTTP 409): it is handed out once only."""

    default_code = "OTP_ALREADY_CONSUMED"


class OTPApprovalDeniedError(AgentOTPError):
    """The owner denied the request (HTTP 409 ``OTP_DENIED``), e.g. when consuming it.

    ``denial_reason`` holds the owner's words when they gave a reason (the relay's
    ``details.denialReason``), else ``None``; the message ends with them too.
    """

    default_code = "OTP_DENIED"

    def __init__(self, message: str, *, denial_reason: Optional[str] = None, **options: Any) -> None:
        details = options.get("details")
        if denial_reason is None and isinstance(details, dict):
            found = details.get("denialReason")
            denial_reason = found if isinstance(found, str) else None
        super().__init__(message if denial_reason is None else f"{message} (reason: {denial_reason})", **options)
        self.denial_reason = denial_reason


class OTPCancelledError(AgentOTPError):
    """The request was cancelled (HTTP 409 ``OTP_CANCELLED``)."""

    default_code = "OTP_CANCELLED"


class OTPNotReadyError(AgentOTPError):
    """The request holds no code yet; wait with ``wait_for_otp`` first."""

    default_code = "OTP_NOT_READY"


class DecryptionError(AgentOTPError):
    """A payload would not open with this key, is not an Agent OTP payload, or was made
    for another request. The SDK never returns a code it could not verify."""

    default_code = "DECRYPTION_FAILED"


class NetworkError(AgentOTPError):
    """The relay could not be reached or did not answer in time (``NETWORK_ERROR``/``TIMEOUT``)."""

    default_code = "NETWORK_ERROR"


class ServerError(AgentOTPError):
    """The relay failed (HTTP 5xx) or answered with something that is not the API's shape."""

    default_code = "INTERNAL_ERROR"


class PermissionTokenError(AgentOTPError):
    """A permission token is unknown or expired (``TOKEN_INVALID``) or used up (``TOKEN_USED``)."""

    default_code = "TOKEN_INVALID"


class ScopeViolationError(AgentOTPError):
    """``use_token``'s action details fall outside the granted scope; the use was not spent."""

    default_code = "SCOPE_VIOLATION"


class WebhookSignatureError(AgentOTPError):
    """A webhook delivery failed verification. ``reason`` is ``missing_header``,
    ``malformed``, ``stale_timestamp`` or ``bad_signature``."""

    default_code = "WEBHOOK_SIGNATURE_INVALID"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason
