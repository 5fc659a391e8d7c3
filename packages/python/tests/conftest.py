"""Fixtures for the suite, run against a live relay started by
``packages/python/test/python-sdk.test.ts`` (``npm test``), which passes:

- ``AGENT_OTP_TEST_RELAY`` JSON: ``url``, ``ownerToken``, ``liveKey``, ``testKey``,
  ``limitedUrl``/``limitedKey`` (a relay allowing 1 request a minute), and ``webhookKey``,
  ``webhookAgentId``, ``webhookSecret``: a live agent whose webhook secret the owner API showed at
  its creation (this relay delivers webhooks to http receivers on 127.0.0.1);
- ``AGENT_OTP_TEST_CLI`` JSON: a relay served by the ``agent-otp`` command (``url``,
  ``liveKey``, ``testKey``, ``node``, ``cli``, ``env``) so the CLI can approve from another
  process;
- ``AGENT_OTP_TEST_REPO``: the repository root (the built TypeScript SDK is run from there).
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from typing import Any, Callable, Dict, List, Optional

import httpx
import pytest

ACME_EMAIL = {
    "source": "email",
    "from": "noreply@acme.com",
    "subject": "Your verification code",
    "text": "Your code is 847291",
}


def _settings(name: str) -> Dict[str, Any]:
    raw = os.environ.get(name)
    if not raw:
        pytest.skip(f"{name} is not set: run through `npx vitest run packages/python/test/python-sdk.test.ts`")
    return json.loads(raw)


class Owner:
    """The owner's side, through the owner HTTP API (what the dashboard does)."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, headers={"authorization": f"Bearer {token}"}, timeout=15)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, path, json=body)
        if response.status_code >= 300:
            raise AssertionError(f"{method} {path} → {response.status_code}: {response.text}")
        return response.json()

    def pending_request(self, predicate: Callable[[Dict[str, Any]], bool], timeout: float = 10) -> Dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            requests = self.call("GET", "/api/v1/requests?status=pending_approval")["requests"]
            found = [r for r in requests if predicate(r)]
            if found:
                return found[0]
            time.sleep(0.02)
        raise AssertionError(f"no pending request matched within {timeout} s")

    def decide(self, request_id: str, outcome: str) -> Any:
        return self.call("POST", f"/api/v1/requests/{request_id}/{outcome}")

    def capture_acme_email(self, text: str = ACME_EMAIL["text"], sender: str = ACME_EMAIL["from"]) -> Any:
        return self.call("POST", "/api/v1/owner/capture", {**ACME_EMAIL, "text": text, "from": sender})

    def pending_permission(self, resource: str, timeout: float = 10) -> Dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            approvals = self.call("GET", "/api/v1/approvals")["approvals"]
            found = [a for a in approvals if a["kind"] == "permission" and a["pending"] and resource in json.dumps(a)]
            if found:
                return found[0]
            time.sleep(0.02)
        raise AssertionError(f"no pending permission for {resource} within {timeout} s")

    def decide_permission(self, approval_id: str, outcome: str) -> Any:
        return self.call("POST", f"/api/v1/approvals/{approval_id}/{outcome}")


class Background:
    """Runs the owner's side in a thread while the agent waits; ``join`` re-raises its error."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.error: Optional[BaseException] = None
        self.result: Any = None

        def run() -> None:
            try:
                self.result = work()
            except BaseException as error:  # reported by join
                self.error = error

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self, timeout: float = 30) -> Any:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the owner's side did not finish in time"
        if self.error:
            raise self.error
        return self.result


class Cli:
    """The ``agent-otp`` command against the relay it serves (another process)."""

    def __init__(self, settings: Dict[str, Any]) -> None:
        self.settings = settings

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [self.settings["node"], self.settings["cli"], *args],
            env=self.settings["env"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 0, f"agent-otp {' '.join(args)} failed: {done.stderr}"
        return done.stdout


@pytest.fixture(scope="session")
def relay() -> Dict[str, Any]:
    return _settings("AGENT_OTP_TEST_RELAY")


@pytest.fixture(scope="session")
def owner(relay: Dict[str, Any]) -> Owner:
    return Owner(relay["url"], relay["ownerToken"])


@pytest.fixture(scope="session")
def cli_relay() -> Dict[str, Any]:
    return _settings("AGENT_OTP_TEST_CLI")


@pytest.fixture(scope="session")
def cli(cli_relay: Dict[str, Any]) -> Cli:
    return Cli(cli_relay)


@pytest.fixture(scope="session")
def repo() -> str:
    path = os.environ.get("AGENT_OTP_TEST_REPO")
    if not path:
        pytest.skip("AGENT_OTP_TEST_REPO is not set")
    return path


@pytest.fixture
def live_env(relay: Dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Dict[str, Any]:
    """AGENT_OTP_URL and AGENT_OTP_API_KEY (a live key) set, as an agent's environment."""
    monkeypatch.setenv("AGENT_OTP_URL", relay["url"])
    monkeypatch.setenv("AGENT_OTP_API_KEY", relay["liveKey"])
    return relay


@pytest.fixture(scope="session", autouse=True)
def expiring_request():
    """A request made with the shortest TTL (30 s) when the session starts, so the test of
    expiry finds it expired (or nearly) instead of sitting out 30 s by itself. Without a
    relay (pytest run alone) the offline tests still run."""
    from agent_otp import AgentOTPClient, generate_key_pair

    if not os.environ.get("AGENT_OTP_TEST_RELAY"):
        yield None
        return
    relay = json.loads(os.environ["AGENT_OTP_TEST_RELAY"])
    pair = generate_key_pair()
    with AgentOTPClient(api_key=relay["liveKey"], base_url=relay["url"]) as client:
        request = client.request_otp(reason="let me expire", public_key=pair.public_key, ttl=30)
    yield request, pair


@pytest.fixture(scope="session")
def keys():
    from agent_otp import generate_key_pair

    return generate_key_pair()


def approve_and_capture(owner: Owner, reason: str, text: str = ACME_EMAIL["text"]) -> Background:
    """In the background: the owner approves the request with ``reason``, then Acme's email arrives."""

    def work() -> str:
        pending = owner.pending_request(lambda r: r["reason"] == reason)
        owner.decide(pending["id"], "approve")
        captured = owner.capture_acme_email(text)
        assert captured["matched"] is True and captured["requestId"] == pending["id"], captured
        return pending["id"]

    return Background(work)


def node_json(repo: str, script: str, stdin: str = "") -> Any:
    """Runs an ES module with the built TypeScript SDK and parses what it prints."""
    done = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        cwd=repo,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def values(items: List[Any], name: str) -> List[Any]:
    return [getattr(item, name) for item in items]
