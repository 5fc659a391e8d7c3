"""Every OTP call of the sync client against the live relay, and the error each refusal maps to."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from conftest import approve_and_capture

from agent_otp import (
    AgentOTPClient,
    AgentOTPError,
    AuthenticationError,
    DecryptionError,
    OTPAlreadyConsumedError,
    OTPApprovalDeniedError,
    OTPCancelledError,
    OTPExpiredError,
    OTPNotFoundError,
    OTPNotReadyError,
    ValidationError,
    export_public_key,
    generate_key_pair,
    key_fingerprint,
)

UNKNOWN_ID = "otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N"
ACME_FILTER = {"sources": ["email"], "sender_pattern": "*@acme.com"}


def unique(reason: str) -> str:
    return f"{reason} {uuid.uuid4().hex[:8]}"


@pytest.fixture
def client(live_env):
    with AgentOTPClient() as otp:
        yield otp


def test_reads_the_key_and_url_from_the_environment(client, live_env):
    assert client.base_url == live_env["url"]
    assert live_env["liveKey"] not in repr(client)


def test_request_status_wait_and_consume(client, owner, keys):
    public_key, private_key = keys
    reason = unique("Sign up for Acme website")
    pending = []
    created = client.request_otp(
        reason=reason,
        expected_sender="Acme",
        filter=ACME_FILTER,
        public_key=export_public_key(public_key),
        on_pending_approval=pending.append,
    )
    assert created.status == "pending_approval"
    assert created.key_fingerprint == key_fingerprint(public_key)
    assert created.filter.sources == ["email"] and created.filter.sender_pattern == "*@acme.com"
    assert created.expected_sender == "Acme" and created.is_test is False
    assert pending[0].id == created.id and pending[0].approval_url.endswith(created.id)
    assert client.get_otp_status(created.id).status == "pending_approval"

    owner_side = approve_and_capture(owner, reason)
    settled = client.wait_for_otp(created.id, timeout=30)
    owner_side.join()
    assert settled.status == "otp_received"
    assert settled.decision is not None and settled.decision.outcome == "approved"

    consumed = client.consume_otp(created.id, private_key)
    assert consumed.code == "847291"
    assert consumed.metadata.source == "email"
    assert consumed.metadata.sender == "noreply@acme.com"
    assert consumed.metadata.request_id == created.id
    assert client.get_otp_status(created.id).status == "consumed"

    with pytest.raises(OTPAlreadyConsumedError) as second:
        client.consume_otp(created.id, private_key)
    assert second.value.status == 409 and second.value.code == "OTP_ALREADY_CONSUMED"
    assert second.value.request_id


def test_request_otp_waits_through_approval(client, owner, keys):
    public_key, private_key = keys
    reason = unique("wait in request_otp")
    owner_side = approve_and_capture(owner, reason, "Your Acme code: 553190")
    seen = []
    request = client.request_otp(
        reason=reason, filter=ACME_FILTER, public_key=public_key,
        wait_for_otp=True, timeout=30, on_pending_approval=seen.append,
    )
    owner_side.join()
    assert request.status == "otp_received" and len(seen) == 1
    assert client.consume_otp(request.id, private_key).code == "553190"


def test_a_short_wait_returns_the_last_status(client, keys):
    started = time.monotonic()
    request = client.request_otp(reason=unique("nobody answers"), public_key=keys.public_key, wait_for_otp=True, timeout=1)
    assert request.status == "pending_approval"
    assert time.monotonic() - started < 10
    client.cancel_otp_request(request.id)


def test_long_poll_status(client, keys):
    created = client.request_otp(reason=unique("long poll"), public_key=keys.public_key)
    assert client.get_otp_status(created.id, wait=1).status == "pending_approval"
    with pytest.raises(ValidationError):
        client.get_otp_status(created.id, wait=61)
    client.cancel_otp_request(created.id)


def test_denied_is_a_result_and_consuming_it_raises(client, owner, keys):
    reason = unique("deny me")
    created = client.request_otp(reason=reason, public_key=keys.public_key)
    owner.decide(created.id, "deny")
    assert client.wait_for_otp(created.id, timeout=10).status == "denied"
    with pytest.raises(OTPApprovalDeniedError):
        client.consume_otp(created.id, keys.private_key)


def test_cancel_is_idempotent_and_consuming_it_raises(client, keys):
    created = client.request_otp(reason=unique("cancel me"), public_key=keys.public_key)
    client.cancel_otp_request(created.id)
    client.cancel_otp_request(created.id)
    assert client.get_otp_status(created.id).status == "cancelled"
    with pytest.raises(OTPCancelledError):
        client.consume_otp(created.id, keys.private_key)


def test_consuming_before_the_code_arrives_raises_not_ready(client, keys):
    created = client.request_otp(reason=unique("not yet"), public_key=keys.public_key)
    with pytest.raises(OTPNotReadyError):
        client.consume_otp(created.id, keys.private_key)
    client.cancel_otp_request(created.id)


def test_unknown_requests_raise_not_found(client, keys):
    for call in (
        lambda: client.get_otp_status(UNKNOWN_ID),
        lambda: client.consume_otp(UNKNOWN_ID, keys.private_key),
        lambda: client.cancel_otp_request(UNKNOWN_ID),
    ):
        with pytest.raises(OTPNotFoundError) as error:
            call()
        assert error.value.status == 404


def test_invalid_input_raises_validation_errors_naming_the_field(client, keys):
    with pytest.raises(ValidationError, match="ttl"):
        client.request_otp(reason="too short", public_key=keys.public_key, ttl=5)
    with pytest.raises(ValidationError) as bad_source:
        client.request_otp(reason="fax", public_key=keys.public_key, filter={"sources": ["fax"]})
    assert bad_source.value.status == 400
    with pytest.raises(ValidationError) as bad_key:
        client.request_otp(reason="bad key", public_key="not a key")
    assert bad_key.value.code == "INVALID_PUBLIC_KEY"
    with pytest.raises(ValidationError):
        client.wait_for_otp("", timeout=1)
    with pytest.raises(ValidationError):
        client.wait_for_otp(UNKNOWN_ID, timeout=-1)


def test_the_wrong_key_kind_is_refused_before_consuming(client, keys):
    with pytest.raises(DecryptionError):
        client.consume_otp(UNKNOWN_ID, keys.public_key)  # type: ignore[arg-type]


def test_bad_and_missing_api_keys(live_env, monkeypatch):
    with pytest.raises(AuthenticationError) as unknown:
        AgentOTPClient(api_key="ak_live_" + "x" * 43).get_otp_status(UNKNOWN_ID)
    assert unknown.value.status == 401 and unknown.value.code == "UNAUTHORIZED"
    with pytest.raises(AuthenticationError, match="agent API key"):
        AgentOTPClient(api_key="cs_notanagentkey")
    monkeypatch.delenv("AGENT_OTP_API_KEY")
    with pytest.raises(AuthenticationError) as missing:
        AgentOTPClient()
    assert missing.value.code == "MISSING_API_KEY"
    with pytest.raises(ValidationError, match="base_url"):
        AgentOTPClient(api_key="ak_live_x", base_url="ftp://relay")


def test_an_expired_request_is_a_result_and_consuming_it_raises(client, expiring_request):
    created, pair = expiring_request
    assert client.wait_for_otp(created.id, timeout=45).status == "expired"
    with pytest.raises(OTPExpiredError) as expired:
        client.consume_otp(created.id, pair.private_key)
    assert expired.value.status == 410


def test_test_keys_receive_a_code_at_once(relay, monkeypatch):
    monkeypatch.setenv("AGENT_OTP_URL", relay["url"])
    public_key, private_key = generate_key_pair()
    with AgentOTPClient(api_key=relay["testKey"]) as client:
        request = client.request_otp(reason="test key", public_key=public_key, wait_for_otp=True, timeout=10)
        assert request.status == "otp_received" and request.is_test
        assert re.fullmatch(r"\d{6}", client.consume_otp(request.id, private_key).code)


def test_every_error_class_is_an_agent_otp_error():
    import agent_otp

    for name in agent_otp.__all__:
        value = getattr(agent_otp, name)
        if isinstance(value, type) and name.endswith("Error"):
            assert issubclass(value, AgentOTPError), name
