"""Issue 15 "Deny with a reason": the owner's words reach a Python agent as ``denial_reason``
on the status it waits for and on the ``OTPApprovalDeniedError`` a later consume raises."""

from __future__ import annotations

import uuid
from typing import Optional

import pytest

from agent_otp import AgentOTPClient, OTPApprovalDeniedError

REASON = "Use the staging account, not production"


@pytest.fixture
def client(live_env):
    with AgentOTPClient() as otp:
        yield otp


def deny(owner, request_id: str, reason: Optional[str] = None):
    body = None if reason is None else {"reason": reason}
    return owner.call("POST", f"/api/v1/approvals/{request_id}/deny", body)


def test_the_reason_is_on_the_status_and_on_the_error(client, owner, keys):
    created = client.request_otp(reason=f"deny me {uuid.uuid4().hex[:8]}", public_key=keys.public_key)
    assert created.denial_reason is None
    deny(owner, created.id, REASON)
    settled = client.wait_for_otp(created.id, timeout=10)
    assert settled.status == "denied"
    assert settled.denial_reason == REASON
    with pytest.raises(OTPApprovalDeniedError) as raised:
        client.consume_otp(created.id, keys.private_key)
    assert raised.value.code == "OTP_DENIED"
    assert raised.value.denial_reason == REASON
    assert REASON in str(raised.value)


def test_a_denial_without_a_reason_has_none(client, owner, keys):
    created = client.request_otp(reason=f"deny me {uuid.uuid4().hex[:8]}", public_key=keys.public_key)
    deny(owner, created.id)
    assert client.wait_for_otp(created.id, timeout=10).denial_reason is None
    with pytest.raises(OTPApprovalDeniedError) as raised:
        client.consume_otp(created.id, keys.private_key)
    assert raised.value.denial_reason is None
    assert "reason:" not in str(raised.value)


def test_a_denied_permission_carries_the_reason(client, owner):
    resource = f"postgres://prod/users-{uuid.uuid4().hex[:8]}"
    created = client.request_permission(action="db.drop_table", resource=resource)
    assert created.status == "pending_approval"
    deny(owner, created.id, REASON)
    denied = client.get_permission(created.id, wait=10)
    assert denied.status == "denied"
    assert denied.denial_reason == REASON
