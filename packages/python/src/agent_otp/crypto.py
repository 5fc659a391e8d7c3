"""Agent keys and payload decryption (RSA-OAEP-256 + A256GCM compact JWE), interoperable
with the TypeScript SDK: SPKI/PKCS#8 base64 DER, the same fingerprint, the same checks."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any, NamedTuple, Optional, Union

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import DecryptionError, ValidationError
from .models import OTPConsumeResult, OTPPayloadMetadata

JWE_ALG = "RSA-OAEP-256"
JWE_ENC = "A256GCM"
#: The protected-header member naming the request a payload was made for.
JWE_REQUEST_ID_HEADER = "requestId"
MODULUS_LENGTHS = (2048, 3072, 4096)

_PEM_PRIVATE = re.compile(r"^-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----\s*$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_PAYLOAD_KEYS = {"code", "source", "sender", "subject", "receivedAt", "requestId"}
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


class KeyPair(NamedTuple):
    """An agent's key pair; unpacks as ``public_key, private_key = generate_key_pair()``."""

    public_key: rsa.RSAPublicKey
    private_key: rsa.RSAPrivateKey


def generate_key_pair(modulus_length: int = 2048) -> KeyPair:
    """Generates the agent's RSA key pair (default 2048 bits; the relay refuses shorter).

    >>> public_key, private_key = generate_key_pair()
    """
    if modulus_length not in MODULUS_LENGTHS:
        raise ValidationError(f"modulus_length must be one of {', '.join(map(str, MODULUS_LENGTHS))}")
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=modulus_length)
    return KeyPair(private_key.public_key(), private_key)


def _spki_der(public_key: rsa.RSAPublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def export_public_key(public_key: rsa.RSAPublicKey) -> str:
    """The public key as SPKI, base64 DER: what ``request_otp(public_key=…)`` sends."""
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise ValidationError("export_public_key needs the public key of the pair")
    return base64.b64encode(_spki_der(public_key)).decode("ascii")


def export_private_key(private_key: rsa.RSAPrivateKey) -> str:
    """The private key as PKCS#8, base64 DER (the TypeScript SDK's ``exportPrivateKey``
    format); store it encrypted at rest and load it with :func:`import_private_key`."""
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise ValidationError("export_private_key needs the private key of the pair")
    der = private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return base64.b64encode(der).decode("ascii")


def import_private_key(key_data: str) -> rsa.RSAPrivateKey:
    """Loads a private key saved by either SDK: PKCS#8 as base64 DER or PEM (``BEGIN PRIVATE KEY``)."""
    text = key_data.strip() if isinstance(key_data, str) else ""
    encoded = text
    if text.startswith("-----BEGIN"):
        if text.startswith("-----BEGIN RSA PRIVATE KEY-----"):
            raise ValidationError(
                'key_data is a PKCS#1 PEM; convert it to PKCS#8 ("BEGIN PRIVATE KEY"), '
                "e.g. openssl pkcs8 -topk8 -nocrypt"
            )
        match = _PEM_PRIVATE.match(text)
        if not match:
            raise ValidationError('key_data is not a PKCS#8 PEM private key ("BEGIN PRIVATE KEY")')
        encoded = re.sub(r"\s+", "", match.group(1))
    if not _BASE64.match(encoded) or len(encoded) % 4 != 0:
        raise ValidationError("key_data must be a PKCS#8 private key as base64 DER or PEM")
    try:
        key = serialization.load_der_private_key(base64.b64decode(encoded), password=None)
    except (ValueError, TypeError) as error:
        raise ValidationError("key_data is not an RSA private key in PKCS#8 form") from error
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValidationError("key_data is not an RSA private key in PKCS#8 form")
    return key


def _public_key_from_text(text: str) -> rsa.RSAPublicKey:
    stripped = text.strip()
    try:
        if stripped.startswith("{"):
            jwk = json.loads(stripped)
            if not isinstance(jwk, dict) or jwk.get("kty") != "RSA":
                raise ValueError("not an RSA JWK")
            n = int.from_bytes(_b64url_decode(jwk["n"]), "big")
            e = int.from_bytes(_b64url_decode(jwk["e"]), "big")
            return rsa.RSAPublicNumbers(e, n).public_key()
        if stripped.startswith("-----BEGIN"):
            key: Any = serialization.load_pem_public_key(stripped.encode("ascii"))
        else:
            key = serialization.load_der_public_key(base64.b64decode(stripped, validate=True))
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise ValidationError("public key must be an RSA key as SPKI base64, PEM or JWK") from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValidationError("public key must be an RSA key as SPKI base64, PEM or JWK")
    return key


def key_fingerprint(public_key: Union[rsa.RSAPublicKey, str]) -> str:
    """SHA-256 of the key's SPKI DER, lowercase hex: the relay's ``key_fingerprint``, shown
    to the approver. Takes the key or its exported text (SPKI base64, PEM or JWK JSON)."""
    if isinstance(public_key, str):
        public_key = _public_key_from_text(public_key)
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise ValidationError("key_fingerprint needs a public key")
    return hashlib.sha256(_spki_der(public_key)).hexdigest()


def _b64url_decode(segment: str) -> bytes:
    if not _BASE64URL.match(segment) or len(segment) % 4 == 1:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _check_payload(payload: Any) -> OTPPayloadMetadata:
    """Mirrors the contract's strict ``OtpPayload`` schema."""
    if not isinstance(payload, dict) or not set(payload) <= _PAYLOAD_KEYS:
        raise ValueError("unexpected members")
    code, source, sender = payload.get("code"), payload.get("source"), payload.get("sender")
    subject, received_at, request_id = payload.get("subject"), payload.get("receivedAt"), payload.get("requestId")
    if not (isinstance(code, str) and 1 <= len(code) <= 64):
        raise ValueError("code")
    if source not in ("sms", "email"):
        raise ValueError("source")
    if not (isinstance(sender, str) and len(sender) <= 512):
        raise ValueError("sender")
    if "subject" in payload and not (isinstance(subject, str) and len(subject) <= 2000):
        raise ValueError("subject")
    if not (isinstance(received_at, str) and _ISO_DATETIME.match(received_at)):
        raise ValueError("receivedAt")
    if not (isinstance(request_id, str) and 1 <= len(request_id) <= 64):
        raise ValueError("requestId")
    return OTPPayloadMetadata(
        source=source, sender=sender, received_at=received_at, request_id=request_id, subject=subject
    )


def open_otp_payload(
    encrypted: str, private_key: rsa.RSAPrivateKey, request_id: Optional[str] = None
) -> OTPConsumeResult:
    """Decrypts a payload (compact JWE, exactly RSA-OAEP-256 + A256GCM) and returns the code
    with its metadata. With ``request_id``, refuses a payload made for any other request
    (inside the ciphertext, and in the protected header when it names one)."""
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise DecryptionError("decrypting needs the RSA private key of the pair")
    try:
        parts = encrypted.split(".")
        if len(parts) != 5:
            raise ValueError("not five parts")
        header_segment, key_segment, iv_segment, ciphertext_segment, tag_segment = parts
        header = json.loads(_b64url_decode(header_segment))
        if not isinstance(header, dict):
            raise ValueError("header is not an object")
        if header.get("alg") != JWE_ALG or header.get("enc") != JWE_ENC:
            raise ValueError("algorithm")
        if "zip" in header or "crit" in header:
            raise ValueError("zip/crit")
        iv, tag = _b64url_decode(iv_segment), _b64url_decode(tag_segment)
        if len(iv) != 12 or len(tag) != 16:
            raise ValueError("iv/tag length")
        content_key = private_key.decrypt(
            _b64url_decode(key_segment),
            padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
        )
        if len(content_key) != 32:
            raise ValueError("content key length")
        plaintext = AESGCM(content_key).decrypt(
            iv, _b64url_decode(ciphertext_segment) + tag, header_segment.encode("ascii")
        )
    except (ValueError, TypeError, AttributeError, InvalidTag, UnicodeError) as error:
        raise DecryptionError("payload could not be decrypted with this private key") from error
    try:
        metadata = _check_payload(json.loads(plaintext.decode("utf-8")))
        code = json.loads(plaintext.decode("utf-8"))["code"]
    except (ValueError, TypeError, UnicodeError) as error:
        raise DecryptionError("payload decrypted but is not an Agent OTP payload") from error
    if request_id is not None and metadata.request_id != request_id:
        raise DecryptionError(
            f"payload was made for request {metadata.request_id}, not {request_id}; refusing it"
        )
    # Payloads sealed before the header named the request carry no member; when it is
    # there, header and plaintext must agree.
    named = header.get(JWE_REQUEST_ID_HEADER)
    if named is not None and named != metadata.request_id:
        raise DecryptionError("payload header and plaintext name different requests; refusing it")
    return OTPConsumeResult(code=code, metadata=metadata)


def decrypt_otp_payload(
    encrypted: str, private_key: rsa.RSAPrivateKey, request_id: Optional[str] = None
) -> str:
    """Decrypts a payload and returns the code; with ``request_id`` refuses one made for
    another request (:class:`DecryptionError`)."""
    return open_otp_payload(encrypted, private_key, request_id).code
