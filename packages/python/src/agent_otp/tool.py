"""A framework-neutral tool: name, description, JSON-schema parameters and a callable that
asks for one verification code and returns it. Plain OpenAI-style tool loops, LangChain and
CrewAI wrap it in one line (see the README)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from cryptography.hazmat.primitives.asymmetric import rsa

from .client import AgentOTPClient
from .crypto import export_public_key, generate_key_pair

_PARAMETERS: Dict[str, Any] = {
    "type": "object",
    "properties": {
        "reason": {
            "type": "string",
            "minLength": 1,
            "maxLength": 500,
            "description": "Why the code is needed, shown to the human who approves, e.g. 'Sign up for Acme website'.",
        },
        "expected_sender": {
            "type": "string",
            "description": "Who will send the code, e.g. 'Acme'.",
        },
        "sources": {
            "type": "array",
            "items": {"type": "string", "enum": ["sms", "email"]},
            "description": "Where the code may come from (default both).",
        },
        "sender_pattern": {
            "type": "string",
            "description": "Glob the sender must match, e.g. '*@acme.com'.",
        },
    },
    "required": ["reason"],
    "additionalProperties": False,
}


@dataclass
class AgentOTPTool:
    """Calling it asks the owner for one code, waits (up to ``timeout`` seconds) and returns
    ``{"status": "otp_received", "code": "…"}`` or ``{"status": "denied" | "expired" | …}``."""

    client: AgentOTPClient
    private_key: rsa.RSAPrivateKey
    public_key: rsa.RSAPublicKey
    timeout: float = 120.0
    name: str = "get_verification_code"
    description: str = (
        "Get a one-time verification code (OTP) sent to the user by SMS or email. "
        "The user approves the request; the code is end-to-end encrypted to this agent."
    )
    parameters: Dict[str, Any] = field(default_factory=lambda: json.loads(json.dumps(_PARAMETERS)))

    def __call__(
        self,
        reason: str,
        expected_sender: Optional[str] = None,
        sources: Optional[List[str]] = None,
        sender_pattern: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Get a one-time verification code (OTP) sent to the user by SMS or email, after the
        user approves. Returns {"status", "request_id", "code"} ("code" only when received)."""
        filter_options: Dict[str, Any] = {}
        if sources:
            filter_options["sources"] = sources
        if sender_pattern:
            filter_options["sender_pattern"] = sender_pattern
        request = self.client.request_otp(
            reason=reason,
            expected_sender=expected_sender,
            filter=filter_options or None,
            public_key=export_public_key(self.public_key),
            wait_for_otp=True,
            timeout=self.timeout,
        )
        if request.status != "otp_received":
            return {"status": request.status, "request_id": request.id}
        result = self.client.consume_otp(request.id, self.private_key)
        return {"status": "otp_received", "request_id": request.id, "code": result.code}

    def run_json(
        self,
        reason: str,
        expected_sender: Optional[str] = None,
        sources: Optional[List[str]] = None,
        sender_pattern: Optional[str] = None,
    ) -> str:
        """Get a one-time verification code (OTP) sent to the user by SMS or email, after the
        user approves. Returns JSON: {"status", "request_id", "code"} ("code" only when received)."""
        return json.dumps(self(reason, expected_sender, sources, sender_pattern))

    def openai_schema(self) -> Dict[str, Any]:
        """The tool as an OpenAI-style ``tools=[…]`` entry."""
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


def otp_tool(client: AgentOTPClient, timeout: float = 120.0) -> AgentOTPTool:
    """The tool with a fresh key pair held in memory for this agent session."""
    public_key, private_key = generate_key_pair()
    return AgentOTPTool(client=client, private_key=private_key, public_key=public_key, timeout=timeout)
