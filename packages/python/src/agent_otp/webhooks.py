"""Verifying a signed webhook delivery (the relay's v1 HMAC-SHA256 over
``<timestamp>.<raw body>``; see docs/webhooks in the repository)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from typing import Any, Dict, Iterable, Mapping, Optional, Tuple, Union

from .errors import ValidationError, WebhookSignatureError

EVENT_ID_HEADER = "x-otp-event-id"
TIMESTAMP_HEADER = "x-otp-timestamp"
SIGNATURE_HEADER = "x-otp-signature"
SIGNATURE_SCHEME = "v1"
#: The statuses an agent hears about, per kind of request.
WEBHOOK_EVENT_STATUSES = {
    "otp": ("approved", "otp_received", "denied", "expired", "cancelled"),
    # ``cancelled``: the agent cancelled it, or its owner revoked the token.
    "permission": ("approved", "denied", "expired", "cancelled"),
}
_EVENT_FIELDS = ("id", "type", "request_id", "agent_id")
_HEX_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")

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
    if not isinstance(event, dict) or not isinstance(event.get("created_at"), str):
        raise WebhookSignatureError("the signed webhook body is not an Agent OTP event", reason="malformed")
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
    if not isinstance(secret, str) or secret == "":
        raise ValidationError("secret is required: the agent's webhook signing secret (whsec_…)")
    if not isinstance(raw_body, (str, bytes, bytearray)):
        raise ValidationError(
            "raw_body must be the request body exactly as received (str or bytes), not parsed JSON: "
            "re-serialised JSON does not match the signature"
        )
    body = raw_body.encode("utf-8") if isinstance(raw_body, str) else bytes(raw_body)
    values = {}
    for name in (EVENT_ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER):
        value = (_header(headers, name) or "").strip()
        if not value:
            raise WebhookSignatureError(f"the webhook delivery has no {name} header", reason="missing_header")
        values[name] = value
    timestamp_text = values[TIMESTAMP_HEADER]
    if not re.fullmatch(r"\d{1,15}", timestamp_text):
        raise WebhookSignatureError(f"{TIMESTAMP_HEADER} is not a whole number of seconds", reason="stale_timestamp")
    timestamp = int(timestamp_text)
    current = int(time.time() if now is None else now)
    if abs(current - timestamp) > tolerance_seconds:
        raise WebhookSignatureError(
            f"{TIMESTAMP_HEADER} is {current - timestamp} s from now, beyond the {tolerance_seconds} s tolerance",
            reason="stale_timestamp",
        )
    prefix = f"{SIGNATURE_SCHEME}="
    entries = [e.strip()[len(prefix):] for e in values[SIGNATURE_HEADER].split(",") if e.strip().startswith(prefix)]
    entries = [entry for entry in entries if _HEX_SHA256.match(entry)]
    if not entries:
        raise WebhookSignatureError(f"{SIGNATURE_HEADER} has no {SIGNATURE_SCHEME}=<hex> entry", reason="malformed")
    expected = webhook_signature(secret, timestamp, body).encode("ascii")
    matched = False
    # Every entry is compared (no early exit), each in constant time.
    for entry in entries:
        if hmac.compare_digest(expected, entry.lower().encode("ascii")):
            matched = True
    if not matched:
        raise WebhookSignatureError(
            f"no {SIGNATURE_SCHEME} signature matches the body and timestamp", reason="bad_signature"
        )
    try:
        event = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise WebhookSignatureError("the signed webhook body is not JSON", reason="malformed") from error
    checked = _check_event(event)
    # The event id header is not signed; receivers dedupe on it, so it must name the signed event.
    if checked["id"] != values[EVENT_ID_HEADER]:
        raise WebhookSignatureError(f"{EVENT_ID_HEADER} does not match the signed event's id", reason="malformed")
    return _check_event(event)
