"""verify_webhook_signature against vectors signed by the TypeScript contract's
webhookSignature and by openssl, and every way a delivery is refused."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
from conftest import node_json

from agent_otp import WebhookSignatureError, verify_webhook_signature, webhook_signature

SECRET = "whsec_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v"
BODY = json.dumps({
    "id": "evt_01JD2W9X3YH4Q7M5RZ8T6KCB2N",
    "type": "otp.otp_received",
    "kind": "otp",
    "request_id": "otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N",
    "status": "otp_received",
    "agent_id": "agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N",
    "created_at": "2026-12-01T00:00:00.000Z",
}, separators=(",", ":")) + " "  # a trailing space: the raw bytes, never re-serialised JSON

TS_SIGN = """
import { webhookSignature, generateWebhookSecret } from '@orrisai/agent-otp-contract/webhook-signing';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { secret, timestamp, body } = JSON.parse(input);
const fresh = generateWebhookSecret();
console.log(JSON.stringify({
  signature: webhookSignature(secret, timestamp, body),
  fresh, freshSignature: webhookSignature(fresh, timestamp, Buffer.from(body, 'utf8')),
}));
"""


def headers(timestamp: int, signature: str) -> dict:
    return {"X-OTP-Event-Id": "evt_01JD2W9X3YH4Q7M5RZ8T6KCB2N", "X-Otp-Timestamp": str(timestamp), "X-OTP-Signature": signature}


def test_signatures_match_the_typescript_contract(repo):
    timestamp = int(time.time())
    signed = node_json(repo, TS_SIGN, json.dumps({"secret": SECRET, "timestamp": timestamp, "body": BODY}))
    assert webhook_signature(SECRET, timestamp, BODY) == signed["signature"]
    event = verify_webhook_signature(BODY, headers(timestamp, f"v1={signed['signature']}"), SECRET)
    assert event["request_id"] == "otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N" and event["status"] == "otp_received"
    assert signed["fresh"].startswith("whsec_") and len(signed["fresh"]) == 6 + 43
    verify_webhook_signature(BODY.encode(), headers(timestamp, f"v1={signed['freshSignature']}"), signed["fresh"])


def test_signatures_match_openssl():
    timestamp = 1764547200
    done = subprocess.run(
        ["openssl", "dgst", "-sha256", "-hmac", SECRET, "-hex"],
        input=f"{timestamp}.{BODY}".encode(), capture_output=True, check=True, timeout=10,
    )
    expected = done.stdout.decode().strip().split("= ")[-1]
    assert webhook_signature(SECRET, timestamp, BODY) == expected
    verify_webhook_signature(BODY, headers(timestamp, f"v1={expected}"), SECRET, now=timestamp + 299)


def test_any_v1_entry_may_match_and_other_schemes_are_ignored():
    timestamp = int(time.time())
    good = webhook_signature(SECRET, timestamp, BODY)
    rotated = f"v2=deadbeef, v1={'0' * 64}, v1={good}"
    pairs = [("x-otp-event-id", "evt_01JD2W9X3YH4Q7M5RZ8T6KCB2N"), ("x-otp-timestamp", str(timestamp)), ("x-otp-signature", rotated)]
    assert verify_webhook_signature(BODY, pairs, SECRET)["kind"] == "otp"


@pytest.mark.parametrize(
    "mutate, reason",
    [
        (lambda h, b, t: ({k: v for k, v in h.items() if k != "X-OTP-Signature"}, b), "missing_header"),
        (lambda h, b, t: ({k: v for k, v in h.items() if k != "X-Otp-Timestamp"}, b), "missing_header"),
        (lambda h, b, t: ({k: v for k, v in h.items() if k != "X-OTP-Event-Id"}, b), "missing_header"),
        (lambda h, b, t: ({**h, "X-OTP-Event-Id": "evt_other"}, b), "malformed"),
        (lambda h, b, t: ({**h, "X-Otp-Timestamp": str(t - 301)}, b), "stale_timestamp"),
        (lambda h, b, t: ({**h, "X-Otp-Timestamp": str(t + 301)}, b), "stale_timestamp"),
        (lambda h, b, t: ({**h, "X-Otp-Timestamp": "soon"}, b), "stale_timestamp"),
        (lambda h, b, t: ({**h, "X-OTP-Signature": "v2=abc"}, b), "malformed"),
        (lambda h, b, t: (h, b.replace("otp_received", "otp_receivee", 1)), "bad_signature"),
        (lambda h, b, t: (h, b.strip()), "bad_signature"),
    ],
)
def test_refusals_name_their_reason(mutate, reason):
    timestamp = int(time.time())
    base = headers(timestamp, f"v1={webhook_signature(SECRET, timestamp, BODY)}")
    changed_headers, changed_body = mutate(base, BODY, timestamp)
    with pytest.raises(WebhookSignatureError) as refused:
        verify_webhook_signature(changed_body, changed_headers, SECRET)
    assert refused.value.reason == reason and refused.value.code == "WEBHOOK_SIGNATURE_INVALID"


def test_a_signed_body_that_is_not_an_event_is_malformed():
    timestamp = int(time.time())
    event = json.loads(BODY)
    for body in ("not json", json.dumps({"id": event["id"]}), json.dumps({**event, "kind": "sms"}), b"\xff\xfe"):
        signed = headers(timestamp, f"v1={webhook_signature(SECRET, timestamp, body)}")
        with pytest.raises(WebhookSignatureError) as refused:
            verify_webhook_signature(body, signed, SECRET)
        assert refused.value.reason == "malformed"


TS_EVENT_STATUSES = """
import { WEBHOOK_EVENT_STATUSES } from '@orrisai/agent-otp-contract';
console.log(JSON.stringify(WEBHOOK_EVENT_STATUSES));
"""


def test_event_statuses_match_the_typescript_contract(repo):
    from agent_otp.webhooks import WEBHOOK_EVENT_STATUSES

    contract = node_json(repo, TS_EVENT_STATUSES, "")
    assert {kind: sorted(statuses) for kind, statuses in WEBHOOK_EVENT_STATUSES.items()} == {
        kind: sorted(statuses) for kind, statuses in contract.items()
    }
