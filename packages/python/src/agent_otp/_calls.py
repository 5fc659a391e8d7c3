"""What the sync and async clients share: configuration, paths, bodies, parsing and the
waiting rules (long-poll chunks, deadlines), so the two cannot drift."""

from __future__ import annotations

import math
import os
import re
import time
from datetime import datetime
from typing import Any, Dict, Mapping, Optional, Union
from urllib.parse import quote

from cryptography.hazmat.primitives.asymmetric import rsa

from ._model import from_json, json_name, to_json
from ._transport import TransportConfig
from .crypto import export_public_key
from .errors import AuthenticationError, DecryptionError, ValidationError
from .models import (
    SETTLED_STATUSES,
    ConsumeOTPResponse,
    CreateOTPRequestBody,
    CreatePermissionRequestBody,
    OTPRequest,
    PendingApprovalInfo,
    PermissionRequest,
    UseTokenResult,
    VerifyTokenResult,
)

#: Where the client looks when neither ``base_url`` nor ``AGENT_OTP_URL`` is set.
DEFAULT_BASE_URL = "http://localhost:8787"
DEFAULT_MAX_RETRIES = 3
DEFAULT_TIMEOUT_SECONDS = 30.0
#: Default total wait of ``wait_for_otp``, in seconds.
DEFAULT_WAIT_SECONDS = 120.0
MAX_WAIT_SECONDS = 60
#: Longest single long-poll the SDK asks for; the relay allows up to 60 s.
LONG_POLL_CHUNK_SECONDS = 30
#: A long-poll that returns this fast without a change is a relay not honouring ``wait``.
EARLY_RETURN_SECONDS = 0.05
EARLY_RETURN_PAUSE_SECONDS = 0.25


def transport_config(
    api_key: Optional[str], base_url: Optional[str], max_retries: int, timeout: float
) -> TransportConfig:
    key = (api_key or "").strip() or os.environ.get("AGENT_OTP_API_KEY", "").strip()
    if not key:
        raise AuthenticationError(
            "no API key: pass api_key= to AgentOTPClient() or set AGENT_OTP_API_KEY (ak_live_… or ak_test_…)",
            code="MISSING_API_KEY",
        )
    if not key.startswith("ak_"):
        raise AuthenticationError("api_key must be an agent API key (ak_live_… or ak_test_…)")
    url = (base_url or os.environ.get("AGENT_OTP_URL") or DEFAULT_BASE_URL).rstrip("/")
    if not re.match(r"^https?://[^/\s]+", url):
        raise ValidationError(f'base_url must be an http(s) URL, got "{url}"')
    if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
        raise ValidationError("max_retries must be a whole number ≥ 0")
    if not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValidationError("timeout must be a number of seconds > 0")
    return TransportConfig(base_url=url, api_key=key, max_retries=max_retries, timeout=float(timeout))


def otp_path(request_id: str, suffix: str = "") -> str:
    if not isinstance(request_id, str) or request_id == "":
        raise ValidationError("the OTP request id is required")
    return f"/api/v1/otp/{quote(request_id, safe='')}{suffix}"


def permission_path(request_id: str, suffix: str = "") -> str:
    if not isinstance(request_id, str) or request_id == "":
        raise ValidationError("the permission request id is required")
    return f"/api/v1/permissions/{quote(request_id, safe='')}{suffix}"


def check_wait(wait: int) -> int:
    if not isinstance(wait, int) or isinstance(wait, bool) or not 0 <= wait <= MAX_WAIT_SECONDS:
        raise ValidationError(f"wait must be a whole number of seconds from 0 to {MAX_WAIT_SECONDS}")
    return wait


def check_timeout(timeout: Optional[float]) -> None:
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or math.isnan(timeout) or timeout < 0
    ):
        raise ValidationError("timeout must be a number of seconds ≥ 0")


def check_token(token: Any) -> str:
    if not isinstance(token, str) or token == "":
        raise ValidationError("the permission token is required (the otp_… value from request_permission)")
    return token


def check_decryption_key(private_key: Any) -> None:
    # Checked before consuming: the relay erases the code as it hands it out, so a wrong
    # kind of key discovered afterwards would lose it.
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise DecryptionError("consume_otp needs the RSA private key of the pair")


def _camel_keys(value: Mapping[str, Any]) -> Dict[str, Any]:
    return {json_name(key): item for key, item in value.items()}


def create_otp_body(
    reason: str,
    public_key: Union[str, rsa.RSAPublicKey, Mapping[str, Any]],
    expected_sender: Optional[str],
    filter: Optional[Mapping[str, Any]],
    ttl: Optional[int],
    webhook_url: Optional[str] = None,
) -> Dict[str, Any]:
    if isinstance(public_key, rsa.RSAPublicKey):
        public_key = export_public_key(public_key)
    if filter is not None and not isinstance(filter, Mapping):
        raise ValidationError("filter must be a dict with sources, sender_pattern and/or content_pattern")
    body = CreateOTPRequestBody(
        reason=reason,
        public_key=public_key,
        expected_sender=expected_sender,
        filter=None if filter is None else _camel_keys(filter),
        ttl=ttl,
        webhook_url=webhook_url,
    )
    return to_json(body)  # type: ignore[no-any-return]


def create_permission_body(
    action: str,
    resource: str,
    scope: Optional[Mapping[str, Any]],
    context: Optional[Mapping[str, Any]],
    ttl: Optional[int],
    webhook_url: Optional[str] = None,
) -> Dict[str, Any]:
    # scope and context are the relay's free-form objects (snake_case keys such as
    # max_emails are the relay's own): sent as given.
    body = CreatePermissionRequestBody(
        action=action,
        resource=resource,
        scope=None if scope is None else dict(scope),
        context=None if context is None else dict(context),
        ttl=ttl,
        webhook_url=webhook_url,
    )
    result: Dict[str, Any] = {"action": body.action, "resource": body.resource}
    for name in ("scope", "context", "ttl", "webhook_url"):
        if getattr(body, name) is not None:
            result[json_name(name)] = getattr(body, name)
    return result


def parse_otp_request(body: Any) -> OTPRequest:
    return from_json(OTPRequest, body)


def parse_consume(body: Any) -> ConsumeOTPResponse:
    return from_json(ConsumeOTPResponse, body)


def parse_permission(body: Any) -> PermissionRequest:
    return from_json(PermissionRequest, body)


def parse_verify(body: Any) -> VerifyTokenResult:
    return from_json(VerifyTokenResult, body)


def parse_use(body: Any) -> UseTokenResult:
    return from_json(UseTokenResult, body)


def otp_pending_info(request: OTPRequest) -> PendingApprovalInfo:
    return PendingApprovalInfo(
        id=request.id,
        approval_url=request.approval_url,
        expires_at=request.expires_at,
        reason=request.reason,
        key_fingerprint=request.key_fingerprint,
    )


def permission_pending_info(request: PermissionRequest) -> PendingApprovalInfo:
    return PendingApprovalInfo(
        id=request.id,
        approval_url=request.approval_url,
        expires_at=request.expires_at,
        action=request.action,
        resource=request.resource,
    )


def is_settled(request: OTPRequest) -> bool:
    return request.status in SETTLED_STATUSES


def seconds_until(timestamp: str) -> float:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp() - time.time()


def next_chunk(deadline: float) -> int:
    """Seconds of the next long-poll: at most 30, the last one shortened to the deadline."""
    return int(min(LONG_POLL_CHUNK_SECONDS, math.ceil(deadline - time.monotonic())))


def early_return_pause(started: float, last: OTPRequest, current: OTPRequest, deadline: float) -> float:
    """Pause after a long-poll that came back at once unchanged (a relay ignoring ``wait``)."""
    if current.status == last.status and time.monotonic() - started < EARLY_RETURN_SECONDS and not is_settled(current):
        return min(EARLY_RETURN_PAUSE_SECONDS, max(0.0, deadline - time.monotonic()))
    return 0.0


def permission_deadline(created: PermissionRequest, timeout: Optional[float]) -> float:
    if timeout is None:
        timeout = max(0.0, seconds_until(created.expires_at) + 1)
    return time.monotonic() + timeout


def permission_chunk(last: PermissionRequest, deadline: float) -> int:
    """Seconds of the next long-poll for a decision: at most 30, no later than the request's
    expiry (plus a second, to see it expire) nor the caller's deadline."""
    remaining = math.ceil(seconds_until(last.expires_at))
    budget = math.ceil(deadline - time.monotonic())
    return max(1, min(LONG_POLL_CHUNK_SECONDS, remaining + 1, budget))
