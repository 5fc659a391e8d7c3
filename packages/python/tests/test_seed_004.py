"""Seed 004's "Python Implementation" (SecureAgentExecutor), run as written.

The example lives verbatim in ``seed_004_secure_agent_executor.py``; the only change the
test makes is the one the seed asks of its reader: the placeholder ``ak_live_xxxx`` becomes
a real key. The relay's URL comes from ``AGENT_OTP_URL``, as a deployed agent's would.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any, Dict

import httpx
from conftest import Background, Cli

SEED = (Path(__file__).parent / "seed_004_secure_agent_executor.py").read_text()
PLACEHOLDER = '"ak_live_xxxx"'


def run_seed(api_key: str) -> Dict[str, Any]:
    assert SEED.count(PLACEHOLDER) == 1
    namespace: Dict[str, Any] = {"__name__": "seed_004"}
    exec(compile(SEED.replace(PLACEHOLDER, json.dumps(api_key)), "seed_004", "exec"), namespace)
    return namespace


def test_runs_as_written_with_a_test_key(relay, monkeypatch, capsys):
    monkeypatch.setenv("AGENT_OTP_URL", relay["url"])
    namespace = run_seed(relay["testKey"])
    printed = capsys.readouterr().out
    assert namespace["result"]["success"] is True, namespace["result"]
    assert re.fullmatch(r"\d{6}", namespace["result"]["code"])
    assert printed == f"Received OTP: {namespace['result']['code']}\n"


def test_runs_as_written_with_a_live_key_approved_by_the_cli(cli_relay, cli: Cli, monkeypatch, capsys):
    monkeypatch.setenv("AGENT_OTP_URL", cli_relay["url"])
    inbox = httpx.Client(
        base_url=cli_relay["url"], headers={"authorization": f"Bearer {cli_relay['sourceToken']}"}, timeout=15
    )

    def owner_at_the_terminal() -> str:
        # The capture source sees the open request; the owner approves it with the CLI.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            open_requests = inbox.get("/api/v1/capture/requests").json()["requests"]
            mine = [r for r in open_requests if r["agentId"] == cli_relay["liveAgentId"]]
            if mine:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the seed's request never reached the capture source")
        assert mine[0]["status"] == "pending_approval" and mine[0]["expectedSender"] == "Acme Inc"
        request_id = mine[0]["id"]
        assert f"Approved {request_id}" in cli.run("approve", request_id)
        # Acme's email arrives through the capture API.
        delivered = inbox.post(
            "/api/v1/capture/messages",
            json={"from": "noreply@acme.com", "subject": "Your verification code", "text": "Your code is 847291"},
        ).json()
        assert delivered["matched"] is True and delivered["requestId"] == request_id, delivered
        return request_id

    owner = Background(owner_at_the_terminal)
    namespace = run_seed(cli_relay["liveKey"])
    owner.join(timeout=90)
    printed = capsys.readouterr().out
    assert namespace["result"] == {"success": True, "code": "847291"}
    assert printed == "Received OTP: 847291\n"
