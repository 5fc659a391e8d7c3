"""The README's Python blocks run as shown, and the tool works in an OpenAI-style loop."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict, List

from conftest import approve_and_capture

from agent_otp import AgentOTPClient, otp_tool, webhook_signature

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
BLOCKS: List[str] = re.findall(r"```python\n(.*?)```", README, re.S)


def block(containing: str) -> str:
    found = [b for b in BLOCKS if containing in b]
    assert len(found) == 1, f"one README block should contain {containing!r}"
    return found[0]


def test_quick_start_runs_as_shown(live_env, owner, capsys):
    owner_side = approve_and_capture(owner, "Sign up for Acme website")
    exec(compile(block("client = AgentOTPClient()"), "README quick start", "exec"), {"__name__": "readme"})
    owner_side.join()
    assert capsys.readouterr().out == "Received OTP: 847291\n"


def test_tool_block_and_an_openai_style_dispatch(relay, monkeypatch):
    monkeypatch.setenv("AGENT_OTP_URL", relay["url"])
    monkeypatch.setenv("AGENT_OTP_API_KEY", relay["testKey"])
    namespace: Dict[str, Any] = {"__name__": "readme"}
    exec(compile(block("otp_tool(AgentOTPClient())"), "README tool", "exec"), namespace)
    otp, tools = namespace["otp"], namespace["tools"]
    assert tools == [{"type": "function", "function": {"name": otp.name, "description": otp.description, "parameters": otp.parameters}}]
    assert otp.parameters["required"] == ["reason"]
    # What a model sends back in a Chat Completions tool call: the arguments as a JSON string.
    tool_call = SimpleNamespace(
        id="call_1",
        function=SimpleNamespace(name=otp.name, arguments=json.dumps({"reason": "Sign up at Acme", "sources": ["sms"]})),
    )
    result = otp(**json.loads(tool_call.function.arguments))
    assert result["status"] == "otp_received" and re.fullmatch(r"\d{6}", result["code"])
    assert json.loads(otp.run_json(reason="again"))["status"] == "otp_received"


def test_an_unanswered_tool_call_reports_the_status(live_env):
    otp = otp_tool(AgentOTPClient(), timeout=1)
    result = otp(reason="nobody will approve this")
    assert result["status"] == "pending_approval" and "code" not in result
    AgentOTPClient().cancel_otp_request(result["request_id"])


def test_webhook_block_runs_as_shown():
    resumed: List[str] = []
    namespace: Dict[str, Any] = {"__name__": "readme", "secret": "whsec_readme", "resume": resumed.append}
    exec(compile(block("verify_webhook_signature"), "README webhook", "exec"), namespace)
    body = json.dumps({
        "id": "evt_1", "type": "otp.otp_received", "kind": "otp", "request_id": "otp_1",
        "status": "otp_received", "agent_id": "agt_1", "created_at": "2026-12-01T00:00:00.000Z",
    }).encode()
    now = int(time.time())
    headers = {"x-otp-event-id": "evt_1", "x-otp-timestamp": str(now), "x-otp-signature": f"v1={webhook_signature('whsec_readme', now, body)}"}
    assert namespace["handle"](body, headers) == 200 and resumed == ["otp_1"]
    assert namespace["handle"](body + b" ", headers) == 401
