"""Permissions: request (waiting for the owner), verify, use, and the refusals."""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest
from conftest import Background

from agent_otp import (
    AgentOTPClient,
    AsyncAgentOTPClient,
    OTPNotFoundError,
    PermissionTokenError,
    ScopeViolationError,
    ValidationError,
)


def resource() -> str:
    return f"email:client-{uuid.uuid4().hex[:8]}@example.com"


def owner_decides(owner, target: str, outcome: str = "approve") -> Background:
    return Background(lambda: owner.decide_permission(owner.pending_permission(target)["id"], outcome))


def test_request_wait_verify_and_use(live_env, owner):
    target = resource()
    seen = []
    decided = owner_decides(owner, target)
    with AgentOTPClient() as client:
        permission = client.request_permission(
            action="gmail.send",
            resource=target,
            scope={"max_emails": 1, "subject_pattern": "^Invoice.*"},
            context={"reason": "Sending monthly invoice to client"},
            wait_for_approval=True,
            timeout=30,
            on_pending_approval=seen.append,
        )
        decided.join()
        assert permission.status == "approved"
        assert re.fullmatch(r"otp_[A-Za-z0-9]{43}", permission.token or "")
        assert permission.scope == {"max_emails": 1, "subject_pattern": "^Invoice.*"}
        assert permission.decision is not None and permission.decision.outcome == "approved"
        assert seen[0].id == permission.id and seen[0].approval_url.endswith(permission.id)
        assert seen[0].action == "gmail.send" and seen[0].resource == target
        assert client.get_permission(permission.id).token is None, "the token is shown once"

        verified = client.verify_token(permission.id, permission.token)
        assert verified.valid is True and verified.uses_remaining == 1 and verified.resource == target

        with pytest.raises(ScopeViolationError) as outside:
            client.use_token(permission.id, permission.token, {"emails": 1, "subject": "Hello"})
        assert outside.value.code == "SCOPE_VIOLATION"
        used = client.use_token(permission.id, permission.token, {"emails": 1, "subject": "Invoice #123"})
        assert used.success is True and used.uses_remaining == 0 and used.status == "used"

        after = client.verify_token(permission.id, permission.token)
        assert after.valid is False and after.reason == "used"
        with pytest.raises(PermissionTokenError) as again:
            client.use_token(permission.id, permission.token)
        assert again.value.code == "TOKEN_USED" and again.value.status == 409


def test_denied_and_unanswered_permissions_are_results(live_env, owner):
    target = resource()
    decided = owner_decides(owner, target, "deny")
    with AgentOTPClient() as client:
        denied = client.request_permission(action="gmail.send", resource=target, wait_for_approval=True, timeout=30)
        decided.join()
        assert denied.status == "denied" and denied.token is None
        waiting = client.request_permission(action="gmail.send", resource=resource(), wait_for_approval=True, timeout=1)
        assert waiting.status == "pending_approval"


def test_bad_tokens_and_input(live_env):
    with AgentOTPClient() as client:
        pending = client.request_permission(action="files.read", resource=resource())
        assert pending.status == "pending_approval" and pending.token is None
        with pytest.raises(PermissionTokenError) as wrong:
            client.use_token(pending.id, "otp_" + "x" * 43)
        assert wrong.value.code == "TOKEN_INVALID"
        assert client.verify_token(pending.id, "otp_" + "x" * 43).valid is False
        with pytest.raises(ValidationError, match="token is required"):
            client.verify_token(pending.id, None)
        with pytest.raises(ValidationError) as bad_action:
            client.request_permission(action="not an action!", resource="x")
        assert bad_action.value.status == 400
        with pytest.raises(OTPNotFoundError):
            client.get_permission("prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N")
        client.cancel_permission(pending.id)
        client.cancel_permission(pending.id)
        assert client.get_permission(pending.id).status == "cancelled"


def test_async_permission_round_trip(live_env, owner):
    target = resource()
    decided = owner_decides(owner, target)

    async def scenario():
        async with AsyncAgentOTPClient() as client:
            permission = await client.request_permission(
                action="gmail.send", resource=target, scope={"max_emails": 1}, wait_for_approval=True, timeout=30
            )
            assert (await client.verify_token(permission.id, permission.token)).valid is True
            used = await client.use_token(permission.id, permission.token, {"emails": 1})
            withdrawn = await client.request_permission(action="gmail.send", resource=resource())
            await client.cancel_permission(withdrawn.id)
            assert (await client.get_permission(withdrawn.id)).status == "cancelled"
            return used

    used = asyncio.run(scenario())
    decided.join()
    assert used.uses_remaining == 0
