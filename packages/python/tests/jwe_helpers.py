"""Seals payloads in the test the way a capture source does (compact JWE, RSA-OAEP-256 +
A256GCM), with knobs to break one rule at a time."""

from __future__ import annotations

import base64
import json
import os
from typing import Any, Dict, Optional

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def payload(request_id: str, code: str = "123456") -> Dict[str, Any]:
    return {
        "code": code,
        "source": "sms",
        "sender": "Acme",
        "receivedAt": "2026-12-01T00:00:00.000Z",
        "requestId": request_id,
    }


def seal(
    public_key: rsa.RSAPublicKey,
    plaintext: Dict[str, Any],
    header: Optional[Dict[str, Any]] = None,
    oaep_hash: hashes.HashAlgorithm = hashes.SHA256(),
) -> str:
    protected = {"alg": "RSA-OAEP-256", "enc": "A256GCM", "requestId": plaintext.get("requestId")}
    protected.update(header or {})
    protected = {key: value for key, value in protected.items() if value is not None}
    header_segment = b64url(json.dumps(protected).encode())
    content_key, iv = os.urandom(32), os.urandom(12)
    wrapped = public_key.encrypt(content_key, padding.OAEP(mgf=padding.MGF1(oaep_hash), algorithm=oaep_hash, label=None))
    sealed = AESGCM(content_key).encrypt(iv, json.dumps(plaintext).encode(), header_segment.encode("ascii"))
    return ".".join([header_segment, b64url(wrapped), b64url(iv), b64url(sealed[:-16]), b64url(sealed[-16:])])
