"""Turns a relay error response into the matching SDK error (mirrors error-mapping.ts)."""

from __future__ import annotations

import json
import time
from email.utils import parsedate_to_datetime
from typing import Any, Dict, Optional, Type

import httpx

from .errors import (
    AgentOTPError,
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
)

# The relay's code decides the class; the HTTP status only when the code is unknown.
CLASS_FOR_CODE: Dict[str, Type[AgentOTPError]] = {
    "UNAUTHORIZED": AuthenticationError,
    "FORBIDDEN": AuthenticationError,
    "CSRF_REJECTED": AuthenticationError,
    # An owner-only refusal (a high-risk approval without a passkey): agents never meet it.
    "STEP_UP_REQUIRED": AuthenticationError,
    "VALIDATION_ERROR": ValidationError,
    "MALFORMED_JSON": ValidationError,
    "INVALID_PUBLIC_KEY": ValidationError,
    "UNSUPPORTED_MEDIA_TYPE": ValidationError,
    "PAYLOAD_TOO_LARGE": ValidationError,
    "NOT_FOUND": OTPNotFoundError,
    "OTP_NOT_READY": OTPNotReadyError,
    "TOKEN_INVALID": PermissionTokenError,
    "TOKEN_USED": PermissionTokenError,
    "SCOPE_VIOLATION": ScopeViolationError,
    "OTP_ALREADY_CONSUMED": OTPAlreadyConsumedError,
    "OTP_EXPIRED": OTPExpiredError,
    # A token its owner revoked is over like an expired one; ``code`` tells the two apart.
    "TOKEN_REVOKED": OTPExpiredError,
    "OTP_DENIED": OTPApprovalDeniedError,
    "OTP_CANCELLED": OTPCancelledError,
    "SERVICE_UNAVAILABLE": ServerError,
    "INTERNAL_ERROR": ServerError,
    "CONFLICT": AgentOTPError,
    "INVALID_TRANSITION": AgentOTPError,
}


def _class_for_status(status: int) -> Type[AgentOTPError]:
    if status in (401, 403):
        return AuthenticationError
    if status in (400, 413, 415, 422):
        return ValidationError
    if status == 404:
        return OTPNotFoundError
    if status == 410:
        return OTPExpiredError
    if status >= 500:
        return ServerError
    return AgentOTPError


def parse_retry_after(header: Optional[str], details: Any = None) -> Optional[float]:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date), else the details."""
    if header is not None and header.strip():
        text = header.strip()
        try:
            return float(text) if float(text) >= 0 else None
        except ValueError:
            pass
        try:
            return max(0.0, parsedate_to_datetime(text).timestamp() - time.time())
        except (TypeError, ValueError):
            pass
    if isinstance(details, dict):
        value = details.get("retryAfter")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            return float(value)
    return None


def error_from_response(response: httpx.Response) -> AgentOTPError:
    """The SDK error for a non-2xx response (reads the body; never raises)."""
    try:
        body = json.loads(response.content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    known = (
        error
        if isinstance(error, dict)
        and isinstance(error.get("code"), str)
        and isinstance(error.get("message"), str)
        else None
    )
    status = response.status_code
    message = known["message"] if known else f"HTTP {status} {response.reason_phrase}".strip()
    options: Dict[str, Any] = {
        "status": status,
        "request_id": (known or {}).get("requestId") or response.headers.get("x-request-id"),
        "details": (known or {}).get("details"),
        "code": known["code"] if known else None,
    }
    if status == 429 or (known and known["code"] == "RATE_LIMITED"):
        retry_after = parse_retry_after(response.headers.get("retry-after"), options["details"])
        return RateLimitError(message, retry_after=1.0 if retry_after is None else retry_after, **options)
    error_type = (CLASS_FOR_CODE.get(known["code"]) if known else None) or _class_for_status(status)
    return error_type(message, **options)
