// Issue 18: every lifecycle parsed its agent key twice through WebCrypto (import, JWK
// export, trial encryption, SPKI export, digest), on create and again when the code was
// sealed. The relay now parses with node:crypto once and keeps validated keys by
// fingerprint. These tests hold it to the contract's parser (which the SDK runs anywhere):
// the same stored form and fingerprint for every input, the same refusal for every bad key.
import { Buffer } from 'node:buffer';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  decryptOtpPayloadFor,
  encryptOtpPayload,
  PublicKeyError,
  parseAgentPublicKey,
} from '@agent-otp/shared';
import { describe, expect, it } from 'vitest';
import { relayAgentKey } from '../src/otp/agent-public-keys.js';

function rsaPair(modulusLength = 2048, publicExponent = 0x10001) {
  return generateKeyPairSync('rsa', { modulusLength, publicExponent });
}

const spkiOf = (key: KeyObject) => key.export({ format: 'der', type: 'spki' }).toString('base64');

/** A real key's JWK with its modulus rewritten (big-endian bytes). */
function jwkWithModulus(mutate: (n: Buffer) => Buffer): Record<string, unknown> {
  const jwk = rsaPair().publicKey.export({ format: 'jwk' });
  const n = mutate(Buffer.from(jwk.n ?? '', 'base64url'));
  return { kty: 'RSA', e: jwk.e, n: n.toString('base64url') };
}

/** What the contract's parser says: its result, or the message it refuses with. */
async function contractVerdict(input: string | Record<string, unknown>) {
  try {
    const { spki, fingerprint, modulusLength } = await parseAgentPublicKey(input);
    return { spki, fingerprint, modulusLength };
  } catch (error) {
    if (error instanceof PublicKeyError) return { refused: error.message };
    throw error;
  }
}

function relayVerdict(input: string | Record<string, unknown>) {
  try {
    const { spki, fingerprint, modulusLength } = relayAgentKey(input);
    return { spki, fingerprint, modulusLength };
  } catch (error) {
    if (error instanceof PublicKeyError) return { refused: error.message };
    throw error;
  }
}

describe('issue 18: the relay’s node:crypto key parser agrees with the contract’s', () => {
  const good = rsaPair();
  const pem = good.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const inputs: Array<[string, () => string | Record<string, unknown>]> = [
    ['SPKI base64', () => spkiOf(good.publicKey)],
    ['PEM', () => pem],
    ['JWK object', () => good.publicKey.export({ format: 'jwk' }) as Record<string, unknown>],
    [
      'JWK text with extra members',
      () => JSON.stringify({ ...good.publicKey.export({ format: 'jwk' }), alg: 'RSA-OAEP-256', use: 'enc' }),
    ],
    ['3072-bit SPKI', () => spkiOf(rsaPair(3072).publicKey)],
    ['1024-bit key', () => spkiOf(rsaPair(1024).publicKey)],
    ['exponent 3', () => spkiOf(rsaPair(2048, 3).publicKey)],
    ['EC key', () => spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)],
    ['Ed25519 key', () => spkiOf(generateKeyPairSync('ed25519').publicKey)],
    ['RSA-PSS key', () => spkiOf(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey)],
    ['private key PEM', () => good.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()],
    ['PKCS#1 PEM', () => good.publicKey.export({ format: 'pem', type: 'pkcs1' }).toString()],
    ['private JWK', () => good.privateKey.export({ format: 'jwk' }) as Record<string, unknown>],
    ['not base64', () => 'not a key!'],
    ['base64 that is not DER', () => Buffer.from('hello world, not a key').toString('base64')],
    ['truncated SPKI', () => spkiOf(good.publicKey).slice(0, 200)],
    [
      'even modulus',
      () =>
        jwkWithModulus((n) => {
          const copy = Buffer.from(n);
          copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) & 0xfe;
          return copy;
        }),
    ],
    [
      'modulus divisible by 3',
      () =>
        jwkWithModulus((n) => {
          let value = BigInt(`0x${n.toString('hex')}`);
          value -= value % 3n;
          if (value % 2n === 0n) value -= 3n;
          return Buffer.from(value.toString(16).padStart(n.length * 2, '0'), 'hex');
        }),
    ],
  ];

  it.each(inputs)('%s: the same verdict', async (_name, make) => {
    const input = make();
    const expected = await contractVerdict(input);
    expect(relayVerdict(input)).toEqual(expected);
    // A second time (from the cache when it was accepted): still the same.
    expect(relayVerdict(input)).toEqual(expected);
  });
});

describe('issue 18: validated keys are parsed once', () => {
  it('hands back the same parsed key for the same SPKI, and for the SPKI a JWK was stored as', () => {
    const { publicKey } = rsaPair();
    const fromJwk = relayAgentKey(publicKey.export({ format: 'jwk' }) as Record<string, unknown>);
    const stored = relayAgentKey(fromJwk.spki);
    expect(stored).toBe(fromJwk);
    expect(relayAgentKey(stored.spki)).toBe(stored);
    expect(Object.isFrozen(stored)).toBe(true);
  });

  it('does not take a different key for a cached one', () => {
    const first = relayAgentKey(spkiOf(rsaPair().publicKey));
    const second = relayAgentKey(spkiOf(rsaPair().publicKey));
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.key.equals(first.key)).toBe(false);
  });

  it('encrypts through jose with its KeyObject, and the agent’s private key opens it', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = relayAgentKey(spkiOf(pair.publicKey));
    const payload = {
      code: '847291',
      source: 'email' as const,
      sender: 'noreply@acme.com',
      receivedAt: new Date().toISOString(),
      requestId: 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    };
    const jwe = await encryptOtpPayload(key.key, key.fingerprint, payload);
    const privateKey = await crypto.subtle.importKey(
      'pkcs8',
      pair.privateKey.export({ format: 'der', type: 'pkcs8' }),
      { name: 'RSA-OAEP', hash: 'SHA-256' },
      false,
      ['decrypt'],
    );
    expect(await decryptOtpPayloadFor(jwe, privateKey, payload.requestId)).toEqual(payload);
  });
});
