"""The asyncio client: the same calls, and many waits on one client all wake."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from conftest import approve_and_capture

from agent_otp import AsyncAgentOTPClient, OTPAlreadyConsumedError, OTPNotFoundError, ValidationError

WAITERS = 20


def test_twenty_concurrent_waits_all_wake(live_env, owner, keys):
    batch = uuid.uuid4().hex[:8]
    sender_filter = {"sources": ["email"], "sender_pattern": f"*@{batch}.example"}
    sent = sorted(str(400000 + n) for n in range(WAITERS))

    def owner_approves_and_emails_arrive(created):
        for request in created:
            owner.decide(request.id, "approve")
        for code in sent:
            captured = owner.capture_acme_email(f"Your code is {code}", sender=f"noreply@{batch}.example")
            assert captured["matched"] is True, captured

    async def scenario():
        async with AsyncAgentOTPClient() as client:
            created = await asyncio.gather(*(
                client.request_otp(reason=f"async {batch} {n}", filter=sender_filter, public_key=keys.public_key)
                for n in range(WAITERS)
            ))
            waits = [asyncio.ensure_future(client.wait_for_otp(r.id, timeout=60)) for r in created]
            await asyncio.sleep(0.5)
            assert not any(w.done() for w in waits), "a wait returned before anything happened"
            # The owner acts from another thread while all 20 long-polls are parked.
            await asyncio.get_running_loop().run_in_executor(None, owner_approves_and_emails_arrive, created)
            settled = await asyncio.wait_for(asyncio.gather(*waits), 30)
            assert [s.status for s in settled] == ["otp_received"] * WAITERS
            codes = await asyncio.gather(*(client.consume_otp(s.id, keys.private_key) for s in settled))
            return sorted(c.code for c in codes)

    assert asyncio.run(scenario()) == sent


def test_twenty_concurrent_test_key_requests_all_receive_their_code(relay, monkeypatch, keys):
    monkeypatch.setenv("AGENT_OTP_URL", relay["url"])

    async def scenario():
        async with AsyncAgentOTPClient(api_key=relay["testKey"]) as client:
            requests = await asyncio.gather(*(
                client.request_otp(reason=f"test {n}", public_key=keys.public_key, wait_for_otp=True, timeout=30)
                for n in range(WAITERS)
            ))
            codes = await asyncio.gather(*(client.consume_otp(r.id, keys.private_key) for r in requests))
            with pytest.raises(OTPAlreadyConsumedError):
                await client.consume_otp(requests[0].id, keys.private_key)
            return requests, codes

    requests, codes = asyncio.run(scenario())
    assert all(r.status == "otp_received" for r in requests)
    assert [c.metadata.request_id for c in codes] == [r.id for r in requests]
    assert all(len(c.code) == 6 for c in codes)


def test_async_calls_and_errors(live_env, owner, keys):
    reason = f"async approve {uuid.uuid4().hex[:8]}"

    async def scenario():
        async with AsyncAgentOTPClient() as client:
            seen = []

            async def on_pending(info):
                seen.append(info.id)

            owner_side = approve_and_capture(owner, reason)
            request = await client.request_otp(
                reason=reason, filter={"sources": ["email"], "sender_pattern": "*@acme.com"},
                public_key=keys.public_key, wait_for_otp=True, timeout=30, on_pending_approval=on_pending,
            )
            owner_side.join()
            assert seen == [request.id]
            assert (await client.get_otp_status(request.id)).status == "otp_received"
            assert (await client.consume_otp(request.id, keys.private_key)).code == "847291"
            cancelled = await client.request_otp(reason="async cancel", public_key=keys.public_key)
            await client.cancel_otp_request(cancelled.id)
            assert (await client.get_otp_status(cancelled.id, wait=1)).status == "cancelled"
            with pytest.raises(OTPNotFoundError):
                await client.get_otp_status("otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N")
            with pytest.raises(ValidationError):
                await client.request_otp(reason="", public_key=keys.public_key)

    asyncio.run(scenario())
