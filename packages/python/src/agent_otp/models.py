"""What the relay sends and accepts, as typed dataclasses.

Field names are the relay's (``openapi.json``) in snake_case; ``tests/test_openapi_types.py``
fails when a field here and the committed OpenAPI document disagree. A field without a
default is required by the schema; ``Optional[...]`` without a default is required but may
be ``null``; a field defaulting to ``None`` may be absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Literal, Optional, TypedDict


OTPStatus = Literal[
    "pending_approval", "approved", "otp_received", "consumed", "denied", "expired", "cancelled"
]
PermissionStatus = Literal["pending_approval", "approved", "used", "denied", "expired", "cancelled"]
OTPSource = Literal["sms", "email"]

#: Statuses that need no more waiting: a code to consume, or an end.
SETTLED_STATUSES = frozenset({"otp_received", "consumed", "denied", "expired", "cancelled"})


@dataclass(frozen=True)
class Decision:
    """Who decided a request, how and when."""

    outcome: Literal["approved", "denied"]
    by: str
    channel: Literal["cli", "dashboard", "telegram", "email", "api", "policy", "system"]
    at: str


@dataclass(frozen=True)
class RequestFilter:
    """The filter a request was created with, as the relay reports it."""

    sources: List[OTPSource]
    sender_pattern: Optional[str]
    content_pattern: Optional[str]


@dataclass(frozen=True)
class OTPRequest:
    """An OTP request as the relay reports it; never carries the code."""

    id: str
    status: OTPStatus
    reason: str
    expected_sender: Optional[str]
    filter: RequestFilter
    key_fingerprint: str
    approval_url: str
    is_test: bool
    created_at: str
    expires_at: str
    decision: Optional[Decision]
    otp_received_at: Optional[str]
    consumed_at: Optional[str]
    #: Why the owner denied it, in their words: only when ``status`` is ``denied`` and they gave one.
    denial_reason: Optional[str] = None


@dataclass(frozen=True)
class ConsumeOTPResponse:
    """The consume endpoint's answer (the client decrypts it for you)."""

    id: str
    status: Literal["consumed"]
    encrypted_payload: str
    consumed_at: str


@dataclass(frozen=True)
class OTPPayloadMetadata:
    """Where the code came from, as sealed inside the encrypted payload."""

    source: OTPSource
    sender: str
    received_at: str
    request_id: str
    subject: Optional[str] = None


@dataclass(frozen=True)
class OTPConsumeResult:
    """What ``consume_otp`` returns: the code and its metadata."""

    code: str
    metadata: OTPPayloadMetadata


@dataclass(frozen=True)
class PolicyRef:
    """The policy that decided a permission request."""

    id: str
    name: str


@dataclass(frozen=True)
class PermissionRequest:
    """A permission request. ``token`` is present in exactly one result (the first read
    after approval): keep it."""

    id: str
    status: PermissionStatus
    action: str
    resource: str
    scope: Dict[str, Any]
    requested_scope: Dict[str, Any]
    context: Dict[str, Any]
    token_issued: bool
    uses_remaining: int
    approval_url: str
    policy: Optional[PolicyRef]
    decision: Optional[Decision]
    created_at: str
    expires_at: str
    token: Optional[str] = None
    #: Why the owner denied it, in their words: only when ``status`` is ``denied`` and they gave one.
    denial_reason: Optional[str] = None


@dataclass(frozen=True)
class VerifyTokenResult:
    """``verify_token``'s answer; ``reason`` says why a token is not valid."""

    id: str
    valid: bool
    status: PermissionStatus
    action: str
    resource: str
    scope: Dict[str, Any]
    uses_remaining: int
    expires_at: str
    reason: Optional[
        Literal["invalid_token", "not_approved", "used", "expired", "denied", "cancelled"]
    ] = None


@dataclass(frozen=True)
class UseTokenResult:
    """``use_token``'s answer."""

    id: str
    success: Literal[True]
    status: PermissionStatus
    uses_remaining: int
    used_at: str


class OTPFilter(TypedDict, total=False):
    """Which messages may serve a request (seed 004 passes this as a dict)."""

    sources: List[str]
    sender_pattern: str
    content_pattern: str


@dataclass(frozen=True)
class CreateOTPRequestBody:
    """The body of ``POST /api/v1/otp``."""

    reason: str
    public_key: Any
    expected_sender: Optional[str] = None
    filter: Optional[Dict[str, Any]] = None
    ttl: Optional[int] = None
    webhook_url: Optional[str] = None


@dataclass(frozen=True)
class CreatePermissionRequestBody:
    """The body of ``POST /api/v1/permissions/request``."""

    action: str
    resource: str
    scope: Optional[Dict[str, Any]] = None
    context: Optional[Dict[str, Any]] = None
    ttl: Optional[int] = None
    webhook_url: Optional[str] = None


@dataclass(frozen=True)
class PendingApprovalInfo:
    """What ``on_pending_approval`` is told: where and what to approve."""

    id: str
    approval_url: str
    expires_at: str
    reason: Optional[str] = None
    key_fingerprint: Optional[str] = None
    action: Optional[str] = None
    resource: Optional[str] = None
