"""The retry rules of the TypeScript SDK: a create or consume that may have reached the relay
is never repeated; reads are; a 429 is waited out only within the caller's time budget."""

from __future__ import annotations

import socket
import time

import pytest
from lossy_proxy import LossyProxy

from agent_otp import AgentOTPClient, NetworkError, OTPAlreadyConsumedError, OTPNotFoundError, RateLimitError


@pytest.fixture
def proxy_factory(relay):
    proxies = []

    def make(drop: int) -> LossyProxy:
        proxies.append(LossyProxy(relay["url"], drop))
        return proxies[-1]

    yield make
    for proxy in proxies:
        proxy.close()


def test_a_consume_whose_answer_is_lost_is_not_repeated(relay, keys, proxy_factory):
    direct = AgentOTPClient(api_key=relay["testKey"], base_url=relay["url"])
    request = direct.request_otp(reason="lost answer", public_key=keys.public_key, wait_for_otp=True, timeout=10)
    assert request.status == "otp_received"
    proxy = proxy_factory(drop=1)
    through_proxy = AgentOTPClient(api_key=relay["testKey"], base_url=proxy.url)
    with pytest.raises(NetworkError):
        through_proxy.consume_otp(request.id, keys.private_key)
    assert proxy.seen == [f"POST /api/v1/otp/{request.id}/consume HTTP/1.1"]
    # The relay did consume (and erase) it: the lost answer was the only copy.
    assert direct.get_otp_status(request.id).status == "consumed"
    with pytest.raises(OTPAlreadyConsumedError):
        direct.consume_otp(request.id, keys.private_key)


def test_a_create_whose_answer_is_lost_is_not_repeated(relay, keys, proxy_factory):
    proxy = proxy_factory(drop=1)
    client = AgentOTPClient(api_key=relay["liveKey"], base_url=proxy.url)
    with pytest.raises(NetworkError):
        client.request_otp(reason="lost create", public_key=keys.public_key)
    assert proxy.seen == ["POST /api/v1/otp HTTP/1.1"]


def test_a_status_read_whose_answer_is_lost_is_repeated(relay, keys, proxy_factory):
    direct = AgentOTPClient(api_key=relay["liveKey"], base_url=relay["url"])
    created = direct.request_otp(reason="lost read", public_key=keys.public_key)
    proxy = proxy_factory(drop=2)
    status = AgentOTPClient(api_key=relay["liveKey"], base_url=proxy.url).get_otp_status(created.id)
    assert status.status == "pending_approval"
    assert len(proxy.seen) == 3
    direct.cancel_otp_request(created.id)


def test_a_refused_connection_is_a_network_error(keys):
    with socket.create_server(("127.0.0.1", 0)) as reserved:
        port = reserved.getsockname()[1]
    client = AgentOTPClient(api_key="ak_live_x", base_url=f"http://127.0.0.1:{port}", max_retries=1)
    with pytest.raises(NetworkError) as refused:
        client.request_otp(reason="nobody home", public_key=keys.public_key)
    assert refused.value.code == "NETWORK_ERROR"


def test_a_retry_after_past_the_budget_raises_rate_limit_error_at_once(relay, keys):
    client = AgentOTPClient(api_key=relay["limitedKey"], base_url=relay["limitedUrl"])
    with pytest.raises(RateLimitError) as limited:
        for _ in range(5):  # the relay allows one request a minute on this key
            try:
                client.get_otp_status("otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N")
            except OTPNotFoundError:
                pass
    assert limited.value.status == 429 and limited.value.code == "RATE_LIMITED"
    assert limited.value.retry_after > 1
    started = time.monotonic()
    with pytest.raises(RateLimitError):
        client.request_otp(reason="still limited", public_key=keys.public_key, wait_for_otp=True, timeout=5)
    assert time.monotonic() - started < 5, "a Retry-After longer than the budget is not sat out"
