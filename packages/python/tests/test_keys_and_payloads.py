"""Keys interoperate with the TypeScript SDK both ways; payloads sealed by the relay open in
Python; a payload made for another request, or not exactly RSA-OAEP-256 + A256GCM, is refused."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from conftest import node_json
from cryptography.hazmat.primitives import hashes
from jwe_helpers import payload, seal

from agent_otp import (
    AgentOTPClient,
    DecryptionError,
    ValidationError,
    decrypt_otp_payload,
    export_private_key,
    export_public_key,
    generate_key_pair,
    import_private_key,
    key_fingerprint,
    open_otp_payload,
)

TS_KEY_PAIR = """
import { exportPrivateKey, exportPublicKey, generateKeyPair, keyFingerprint } from '@orrisai/agent-otp-sdk';
const { publicKey, privateKey } = await generateKeyPair();
console.log(JSON.stringify({
  publicKey: await exportPublicKey(publicKey),
  privateKey: await exportPrivateKey(privateKey),
  fingerprint: await keyFingerprint(publicKey),
}));
"""

TS_DECRYPT = """
import { decryptOTPPayload, importPrivateKey, keyFingerprint } from '@orrisai/agent-otp-sdk';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { privateKey, publicKey, jwe, requestId } = JSON.parse(input);
const key = await importPrivateKey(privateKey);
console.log(JSON.stringify({
  code: await decryptOTPPayload(jwe, key, { requestId }),
  fingerprint: await keyFingerprint(publicKey),
}));
"""


@pytest.fixture
def test_client(relay, monkeypatch):
    monkeypatch.setenv("AGENT_OTP_URL", relay["url"])
    with AgentOTPClient(api_key=relay["testKey"]) as client:
        yield client


def raw_consume(relay, request_id: str) -> str:
    """The consume call without the SDK: the ciphertext as the relay sends it."""
    response = httpx.post(
        f"{relay['url']}/api/v1/otp/{request_id}/consume",
        headers={"authorization": f"Bearer {relay['testKey']}"},
    )
    assert response.status_code == 200, response.text
    return response.json()["encryptedPayload"]


def test_a_key_pair_made_by_the_typescript_sdk_works_in_python(test_client, repo):
    made = node_json(repo, TS_KEY_PAIR)
    private_key = import_private_key(made["privateKey"])
    assert key_fingerprint(made["publicKey"]) == made["fingerprint"]
    assert key_fingerprint(private_key.public_key()) == made["fingerprint"]
    request = test_client.request_otp(reason="TS key", public_key=made["publicKey"], wait_for_otp=True, timeout=10)
    assert request.key_fingerprint == made["fingerprint"]
    assert re.fullmatch(r"\d{6}", test_client.consume_otp(request.id, private_key).code)


def test_a_key_pair_made_in_python_works_in_the_typescript_sdk(test_client, relay, repo):
    public_key, private_key = generate_key_pair()
    request = test_client.request_otp(reason="Python key", public_key=public_key, wait_for_otp=True, timeout=10)
    assert request.key_fingerprint == key_fingerprint(public_key)
    jwe = raw_consume(relay, request.id)
    opened = node_json(
        repo,
        TS_DECRYPT,
        json.dumps({
            "privateKey": export_private_key(private_key),
            "publicKey": export_public_key(public_key),
            "jwe": jwe,
            "requestId": request.id,
        }),
    )
    assert opened["fingerprint"] == key_fingerprint(public_key)
    assert opened["code"] == decrypt_otp_payload(jwe, private_key, request.id)


def test_a_payload_made_for_another_request_is_refused(test_client, relay, keys):
    first = test_client.request_otp(reason="first", public_key=keys.public_key, wait_for_otp=True, timeout=10)
    second = test_client.request_otp(reason="second", public_key=keys.public_key, wait_for_otp=True, timeout=10)
    jwe = raw_consume(relay, first.id)
    with pytest.raises(DecryptionError, match=f"made for request {first.id}, not {second.id}"):
        decrypt_otp_payload(jwe, keys.private_key, second.id)
    opened = open_otp_payload(jwe, keys.private_key, first.id)
    assert opened.metadata.request_id == first.id and re.fullmatch(r"\d{6}", opened.code)


def test_header_and_plaintext_must_name_the_same_request(keys):
    lifted = seal(keys.public_key, payload("otp_A"), header={"requestId": "otp_B"})
    with pytest.raises(DecryptionError, match="different requests"):
        decrypt_otp_payload(lifted, keys.private_key)
    without_header = seal(keys.public_key, payload("otp_A"), header={"requestId": None})
    assert decrypt_otp_payload(without_header, keys.private_key, "otp_A") == "123456"


@pytest.mark.parametrize(
    "header, oaep_hash",
    [
        ({"alg": "RSA-OAEP"}, hashes.SHA1()),
        ({"enc": "A128GCM"}, hashes.SHA256()),
        ({"zip": "DEF"}, hashes.SHA256()),
        ({"crit": ["exp"]}, hashes.SHA256()),
    ],
)
def test_only_rsa_oaep_256_with_a256gcm_is_accepted(keys, header, oaep_hash):
    with pytest.raises(DecryptionError):
        decrypt_otp_payload(seal(keys.public_key, payload("otp_A"), header, oaep_hash), keys.private_key)


def test_garbage_and_foreign_keys_are_refused(keys):
    other_public, other_private = generate_key_pair()
    sealed = seal(keys.public_key, payload("otp_A"))
    with pytest.raises(DecryptionError, match="could not be decrypted"):
        decrypt_otp_payload(sealed, other_private)
    for garbage in ("", "a.b.c", "a.b.c.d.e", sealed[:-4] + "AAAA"):
        with pytest.raises(DecryptionError):
            decrypt_otp_payload(garbage, keys.private_key)
    not_ours = seal(keys.public_key, {**payload("otp_A"), "extra": 1})
    with pytest.raises(DecryptionError, match="not an Agent OTP payload"):
        decrypt_otp_payload(not_ours, keys.private_key)


def test_key_formats(keys):
    exported = export_private_key(keys.private_key)
    pem = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(exported[i:i + 64] for i in range(0, len(exported), 64)) + "\n-----END PRIVATE KEY-----\n"
    assert key_fingerprint(import_private_key(pem).public_key()) == key_fingerprint(keys.public_key)
    pem_public = "-----BEGIN PUBLIC KEY-----\n" + export_public_key(keys.public_key) + "\n-----END PUBLIC KEY-----"
    assert key_fingerprint(pem_public) == key_fingerprint(keys.public_key)
    with pytest.raises(ValidationError, match="PKCS#1"):
        import_private_key("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----")
    with pytest.raises(ValidationError):
        import_private_key("not a key")
    with pytest.raises(ValidationError):
        generate_key_pair(1024)
    assert generate_key_pair(3072).private_key.key_size == 3072
