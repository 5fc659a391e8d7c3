"""Verifying a signed webhook delivery (the relay's v1 HMAC-SHA256 over
``<timestamp>.<raw body>``; see docs/webhooks in the repository)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from typing import Any, Dict, Iterable, Mapping, Optional, Tuple, Union

from .errors import WebhookSignatureError

EVENT_ID_HEADER = "x-otp-event-id"
TIMESTAMP_HEADER = "x-otp-timestamp"
SIGNATURE_HEADER = "x-otp-signature"
SIGNATURE_SCHEME = "v1"
#: The statuses an agent hears about, per kind of request.
WEBHOOK_EVENT_STATUSES = {
    "otp": ("approved", "otp_received", "denied", "expired", "cancelled"),
    "permission": ("approved", "denied", "expired"),
}
_EVENT_FIELDS = ("id", "type", "request_id", "agent_id", "created_at")

Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]


def webhook_signature(secret: str, timestamp: int, raw_body: Union[str, bytes]) -> str:
    """The hex HMAC-SHA256 of ``<timestamp>.<raw body>`` under the secret (UTF-8 bytes of
    the whole ``whsec_…`` string): what ``x-otp-signature: v1=`` carries."""
    body = raw_body.encode("utf-8") if isinstance(raw_body, str) else bytes(raw_body)
    return hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()


def _header(headers: Headers, name: str) -> Optional[str]:
    items = headers.items() if hasattr(headers, "items") else headers
    for key, value in items:  # type: ignore[union-attr]
        if isinstance(key, bytes):
            key = key.decode("latin-1")
        if key.lower() == name:
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            if isinstance(value, (list, tuple)):
                value = ",".join(value)
            return str(value)
    return None


def _check_event(event: Any) -> Dict[str, Any]:
    if not isinstance(event, dict):
        raise WebhookSignatureError("the webhook body is not a JSON object", reason="malformed")
    for field in _EVENT_FIELDS:
        if not isinstance(event.get(field), str) or event[field] == "":
            raise WebhookSignatureError(f"the webhook body's {field} is missing", reason="malformed")
    kind, status = event.get("kind"), event.get("status")
    if kind not in WEBHOOK_EVENT_STATUSES:
        raise WebhookSignatureError("the webhook body's kind is not otp or permission", reason="malformed")
    all_statuses = {s for statuses in WEBHOOK_EVENT_STATUSES.values() for s in statuses}
    if status not in all_statuses:
        raise WebhookSignatureError(f"the webhook body's status {status!r} is unknown", reason="malformed")
    return event


def verify_webhook_signature(
    raw_body: Union[str, bytes],
    headers: Headers,
    secret: str,
    tolerance_seconds: int = 300,
    *,
    now: Optional[float] = None,
) -> Dict[str, Any]:
    """Checks a delivery and returns its parsed event (``id``, ``type``, ``kind``,
    ``request_id``, ``status``, ``agent_id``, ``created_at``); raises
    :class:`WebhookSignatureError` with ``reason`` ``missing_header``, ``malformed``,
    ``stale_timestamp`` or ``bad_signature``.

    ``raw_body`` must be the bytes (or text) exactly as received, never re-serialised JSON.
    ``headers`` is any mapping or list of pairs; names are matched case-insensitively.
    Accepts the delivery if any ``v1=`` entry matches (rotation); other schemes are ignored.
    """
    if not isinstance(raw_body, (str, bytes, bytearray)):
        raise WebhookSignatureError("raw_body must be the request body as received (str or bytes)", reason="malformed")
    timestamp_text = _header(headers, TIMESTAMP_HEADER)
    signature_text = _header(headers, SIGNATURE_HEADER)
    for name, value in ((TIMESTAMP_HEADER, timestamp_text), (SIGNATURE_HEADER, signature_text)):
        if value is None or value.strip() == "":
            raise WebhookSignatureError(f"the {name} header is missing", reason="missing_header")
    assert timestamp_text is not None and signature_text is not None
    if not re.fullmatch(r"\d{1,15}", timestamp_text.strip()):
        raise WebhookSignatureError(f"the {TIMESTAMP_HEADER} header is not a whole number of seconds", reason="stale_timestamp")
    timestamp = int(timestamp_text.strip())
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        raise WebhookSignatureError(
            f"the delivery's timestamp is more than {tolerance_seconds} s from now", reason="stale_timestamp"
        )
    candidates = []
    for entry in signature_text.split(","):
        scheme, _, value = entry.strip().partition("=")
        if scheme == SIGNATURE_SCHEME and value:
            candidates.append(value.strip())
    if not candidates:
        raise WebhookSignatureError(f"the {SIGNATURE_HEADER} header has no v1= entry", reason="malformed")
    expected = webhook_signature(secret, timestamp, bytes(raw_body) if not isinstance(raw_body, str) else raw_body)
    if not any(hmac.compare_digest(expected.encode("ascii"), candidate.encode("utf-8")) for candidate in candidates):
        raise WebhookSignatureError("the webhook signature does not match", reason="bad_signature")
    try:
        event = json.loads(raw_body)
    except ValueError as error:
        raise WebhookSignatureError("the webhook body is not JSON", reason="malformed") from error
    return _check_event(event)
