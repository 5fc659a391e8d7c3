"""End to end: the relay's real signed webhook deliveries reach a receiver written with
Python's ``http.server`` on 127.0.0.1, which checks each one with ``verify_webhook_signature``
as the README shows; tampered copies are refused, and the code the last event announces is
then consumed."""

from __future__ import annotations

import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Tuple

import pytest

from agent_otp import AgentOTPClient, WebhookSignatureError, export_public_key, verify_webhook_signature

CODE = "590417"
DELIVERY_TIMEOUT_S = 30  # the relay retries fast here; this only bounds a loaded machine


class Receiver:
    """An agent's webhook endpoint: verifies each POST with the agent's secret, answers 200
    when it verifies and 401 when it does not, and keeps every delivery for the test."""

    def __init__(self, secret: str) -> None:
        self.deliveries: List[Dict[str, Any]] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                try:
                    event: Any = verify_webhook_signature(raw, self.headers, secret)
                    answer = 200
                except WebhookSignatureError as error:
                    event, answer = error, 401
                self.send_response(answer)
                self.send_header("content-length", "0")
                self.end_headers()
                with receiver._arrived:
                    receiver.deliveries.append({"raw": raw, "headers": self.headers, "event": event})
                    receiver._arrived.notify_all()

            def log_message(self, *_: Any) -> None:  # keep pytest's output to the test's own
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/agent-otp"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def wait_for(self, status: str) -> Dict[str, Any]:
        """The first delivery announcing ``status`` (a retry of one event may arrive twice);
        fails at once on a delivery the receiver refused."""

        def found() -> Any:
            for delivery in self.deliveries:
                event = delivery["event"]
                assert isinstance(event, dict), f"the receiver refused the relay's delivery: {event!r}"
                if event["status"] == status:
                    return delivery
            return None

        with self._arrived:
            delivery = self._arrived.wait_for(found, timeout=DELIVERY_TIMEOUT_S)
        assert delivery, f"no {status} delivery within {DELIVERY_TIMEOUT_S} s; received {len(self.deliveries)}"
        return delivery

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


@pytest.fixture
def receiver(relay):
    listening = Receiver(relay["webhookSecret"])
    yield listening
    listening.close()


def with_header(headers: Any, name: str, value: str) -> List[Tuple[str, str]]:
    return [(key, value if key.lower() == name else original) for key, original in headers.items()]


def check_delivery(delivery: Dict[str, Any], relay: Dict[str, Any], request_id: str, status: str) -> Dict[str, Any]:
    event = delivery["event"]
    assert isinstance(event, dict), f"the receiver refused the relay's delivery: {event!r}"
    assert event["request_id"] == request_id and event["status"] == status
    assert event["type"] == f"otp.{status}" and event["kind"] == "otp"
    assert event["agent_id"] == relay["webhookAgentId"]
    headers = delivery["headers"]
    assert headers["x-otp-event-id"] == event["id"] and event["id"].startswith("evt_")
    assert headers["content-type"].startswith("application/json")
    assert headers["user-agent"].startswith("agent-otp-webhook/")
    # The same raw bytes and headers verify again outside the handler.
    assert verify_webhook_signature(delivery["raw"], headers, relay["webhookSecret"]) == event
    assert CODE.encode() not in delivery["raw"]
    return event


def refusal(raw: bytes, headers: Any, secret: str) -> str:
    with pytest.raises(WebhookSignatureError) as refused:
        verify_webhook_signature(raw, headers, secret)
    return refused.value.reason


def test_the_relays_signed_deliveries_verify_and_the_code_is_then_consumed(relay, owner, keys, receiver):
    public_key, private_key = keys
    with AgentOTPClient(api_key=relay["webhookKey"], base_url=relay["url"]) as client:
        created = client.request_otp(
            reason=f"Sign up at Acme {uuid.uuid4().hex[:8]}",
            public_key=export_public_key(public_key),
            filter={"sources": ["email"], "sender_pattern": "*@acme.com"},
            webhook_url=receiver.url,
        )
        assert created.status == "pending_approval"

        owner.decide(created.id, "approve")
        approved = check_delivery(receiver.wait_for("approved"), relay, created.id, "approved")

        captured = owner.capture_acme_email(f"Your code is {CODE}")
        assert captured["matched"] is True and captured["requestId"] == created.id, captured
        delivery = receiver.wait_for("otp_received")
        received = check_delivery(delivery, relay, created.id, "otp_received")
        assert received["id"] != approved["id"]

        # A tampered copy of the real delivery is refused: body, timestamp or secret changed.
        raw, headers, secret = delivery["raw"], delivery["headers"], relay["webhookSecret"]
        assert refusal(raw.replace(b'"otp_received"', b'"denied"'), headers, secret) == "bad_signature"
        assert refusal(raw + b" ", headers, secret) == "bad_signature"
        shifted = str(int(headers["x-otp-timestamp"]) + 1)
        assert refusal(raw, with_header(headers, "x-otp-timestamp", shifted), secret) == "bad_signature"
        assert refusal(raw, headers, secret[:-1] + ("A" if secret[-1] != "A" else "B")) == "bad_signature"
        assert refusal(raw, with_header(headers, "x-otp-signature", ""), secret) == "missing_header"

        # The event said a code is waiting: the agent takes it without polling.
        consumed = client.consume_otp(received["request_id"], private_key)
        assert consumed.code == CODE and consumed.metadata.request_id == created.id

    # Every delivery verified in the handler, so the relay was answered 200 each time.
    assert all(isinstance(d["event"], dict) for d in receiver.deliveries)
