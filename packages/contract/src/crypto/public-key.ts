import { base64ToBytes, bytesToBase64, bytesToHex } from './encoding.js';
import { publicKeyProblem } from './prove-public-key.js';

export { jwkModulus, modulusProblem, TRIAL_ENCRYPTION_FAILED } from './prove-public-key.js';

/** Smallest RSA modulus we accept, in bits. */
export const MIN_RSA_BITS = 2048;
/** Largest RSA modulus we accept, in bits. */
export const MAX_RSA_BITS = 16_384;
const OAEP = { name: 'RSA-OAEP', hash: 'SHA-256' } as const;

/** A public key that failed validation; the message says what was wrong. */
export class PublicKeyError extends Error {
  override readonly name = 'PublicKeyError';
}

/** An agent's validated public key in every form the relay needs. */
export interface AgentPublicKey {
  /** SPKI, base64 DER: the one form stored and handed to capture sources. */
  spki: string;
  /** SHA-256 of the SPKI DER, lowercase hex: shown to approvers, printed by the SDK. */
  fingerprint: string;
  modulusLength: number;
  /** A WebCrypto key for RSA-OAEP-256 encryption. */
  key: CryptoKey;
}

const PEM_PUBLIC = /^-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----\s*$/;

function describeInput(input: string | Record<string, unknown>): 'pem' | 'jwk' | 'spki' {
  if (typeof input !== 'string') return 'jwk';
  const trimmed = input.trim();
  if (trimmed.startsWith('-----BEGIN')) return 'pem';
  if (trimmed.startsWith('{')) return 'jwk';
  return 'spki';
}

function decodeSpkiText(input: string): Uint8Array<ArrayBuffer> {
  const trimmed = input.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    if (/PRIVATE KEY/.test(trimmed))
      throw new PublicKeyError('publicKey is a private key: send the public key only');
    if (trimmed.startsWith('-----BEGIN RSA PUBLIC KEY-----'))
      throw new PublicKeyError('publicKey is a PKCS#1 PEM; send it as SPKI ("BEGIN PUBLIC KEY")');
    const match = PEM_PUBLIC.exec(trimmed);
    if (!match?.[1]) throw new PublicKeyError('publicKey is not a valid PEM public key');
    return decodeBase64Strict(match[1].replace(/\s+/g, ''));
  }
  return decodeBase64Strict(trimmed);
}

function decodeBase64Strict(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0)
    throw new PublicKeyError('publicKey is not base64-encoded SPKI, PEM or a JWK');
  return base64ToBytes(text);
}

function parseJwk(input: string | Record<string, unknown>): JsonWebKey {
  let jwk: unknown = input;
  if (typeof input === 'string') {
    try {
      jwk = JSON.parse(input);
    } catch {
      throw new PublicKeyError('publicKey looks like JSON but does not parse');
    }
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
    throw new PublicKeyError('publicKey JWK must be an object');
  const record = jwk as Record<string, unknown>;
  if (record.kty !== 'RSA') throw new PublicKeyError('publicKey JWK must have kty "RSA"');
  if ('d' in record || 'p' in record || 'q' in record)
    throw new PublicKeyError('publicKey is a private key: send the public key only');
  if (typeof record.n !== 'string' || typeof record.e !== 'string')
    throw new PublicKeyError('publicKey JWK needs string members n and e');
  // Only the members that define the key: `alg`, `key_ops` and friends from other tools
  // would otherwise make WebCrypto refuse a perfectly good key.
  return { kty: 'RSA', n: record.n, e: record.e, ext: true };
}

/** An agent key as sent, decoded but not imported yet: SPKI DER bytes, or an RSA public JWK. */
export type DecodedPublicKeyInput =
  | { format: 'spki'; der: Uint8Array<ArrayBuffer> }
  | { format: 'jwk'; jwk: JsonWebKey };

/**
 * Decodes a key as an agent sends it (SPKI base64 DER, PEM or JWK) without importing it;
 * refuses private keys, PKCS#1 PEM and text that is none of the three, naming what was wrong.
 * Each importer (WebCrypto here, node:crypto in the relay) starts from this, so every input
 * is read one way.
 *
 * @example
 * const decoded = decodePublicKeyInput('MIIBIjANBgkqh…'); // { format: 'spki', der }
 */
export function decodePublicKeyInput(input: string | Record<string, unknown>): DecodedPublicKeyInput {
  return describeInput(input) === 'jwk'
    ? { format: 'jwk', jwk: parseJwk(input) }
    : { format: 'spki', der: decodeSpkiText(input as string) };
}

/**
 * Why an imported RSA key's size or exponent is refused, or undefined when both are fine:
 * at least 2048 and at most 16 384 bits, exponent 65537 (`publicExponentHex`, big-endian hex).
 *
 * @example
 * rsaParametersProblem(1024, '010001'); // 'publicKey is a 1024-bit RSA key; at least 2048 bits are required'
 */
export function rsaParametersProblem(modulusLength: number, publicExponentHex: string): string | undefined {
  if (modulusLength < MIN_RSA_BITS)
    return `publicKey is a ${modulusLength}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`;
  if (modulusLength > MAX_RSA_BITS) return `publicKey is larger than ${MAX_RSA_BITS} bits`;
  if (publicExponentHex.replace(/^0+/, '') !== '10001') return 'publicKey must use the exponent 65537';
  return undefined;
}

/** The message of a key text that decodes but does not import as an RSA public key. */
export const NOT_AN_RSA_KEY = 'publicKey is not a valid RSA public key';

/**
 * Parses and validates an agent's RSA public key (SPKI base64 DER, PEM or JWK).
 * Keys under 2048 bits, private keys, anything that is not an RSA key, and keys that import
 * but cannot encrypt (an even modulus, a small factor) are refused.
 *
 * @example
 * const key = await parseAgentPublicKey(await exportPublicKey(publicKey));
 * console.log(key.fingerprint); // '9f86d0…'
 */
export async function parseAgentPublicKey(input: string | Record<string, unknown>): Promise<AgentPublicKey> {
  let key: CryptoKey;
  try {
    const decoded = decodePublicKeyInput(input);
    key =
      decoded.format === 'jwk'
        ? await crypto.subtle.importKey('jwk', decoded.jwk, OAEP, true, ['encrypt'])
        : await crypto.subtle.importKey('spki', decoded.der, OAEP, true, ['encrypt']);
  } catch (error) {
    if (error instanceof PublicKeyError) throw error;
    throw new PublicKeyError(NOT_AN_RSA_KEY);
  }
  const algorithm = key.algorithm as RsaHashedKeyAlgorithm;
  const parameters = rsaParametersProblem(algorithm.modulusLength, bytesToHex(algorithm.publicExponent));
  if (parameters) throw new PublicKeyError(parameters);
  const problem = await publicKeyProblem(key);
  if (problem) throw new PublicKeyError(problem);
  const spkiDer = await crypto.subtle.exportKey('spki', key);
  return {
    spki: bytesToBase64(spkiDer),
    fingerprint: await fingerprintSpki(spkiDer),
    modulusLength: algorithm.modulusLength,
    key,
  };
}

/**
 * SHA-256 fingerprint (lowercase hex) of a key's SPKI DER.
 *
 * @example
 * await fingerprintSpki(await crypto.subtle.exportKey('spki', publicKey));
 */
export async function fingerprintSpki(spkiDer: ArrayBuffer | Uint8Array): Promise<string> {
  const bytes = spkiDer instanceof Uint8Array ? spkiDer : new Uint8Array(spkiDer);
  return bytesToHex(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
}
