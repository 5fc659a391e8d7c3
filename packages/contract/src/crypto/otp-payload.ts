import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, type KeyObject } from 'jose';
import { z } from 'zod';
import { CAPTURE_SOURCES } from '../status.js';

/** Key management and content encryption of every OTP payload. */
export const JWE_ALG = 'RSA-OAEP-256';
export const JWE_ENC = 'A256GCM';
/** Media type in the JWE header, so a decrypter knows what it holds. */
export const OTP_PAYLOAD_CTY = 'application/vnd.agent-otp.code+json';

/** What the agent reads after decrypting. */
export const OtpPayload = z.strictObject({
  code: z.string().min(1).max(64),
  source: z.enum(CAPTURE_SOURCES),
  sender: z.string().max(512),
  subject: z.string().max(2_000).optional(),
  receivedAt: z.iso.datetime(),
  requestId: z.string().min(1).max(64),
});
export type OtpPayload = z.infer<typeof OtpPayload>;

/**
 * The protected-header member naming the request a payload was made for. The relay cannot
 * read the plaintext, so this is how it refuses a JWE made for another request before it
 * burns this one; the SDK checks it too.
 */
export const JWE_REQUEST_ID_HEADER = 'requestId';

/**
 * Encrypts one code to an agent's public key as a compact JWE (RSA-OAEP-256 + A256GCM).
 * The protected header carries the key fingerprint (`kid`) and the request id
 * (`requestId`), so the relay can check a delivery was made for this request and its key
 * without being able to read it. `publicKey` is a WebCrypto key, or in Node a `KeyObject`
 * (the relay's parsed-key cache hands over one, which jose turns into a WebCrypto key once
 * per object).
 *
 * @example
 * const jwe = await encryptOtpPayload(agentKey.key, agentKey.fingerprint, {
 *   code: '847291', source: 'email', sender: 'noreply@acme.com',
 *   receivedAt: new Date().toISOString(), requestId: 'otp_01J…',
 * });
 */
export async function encryptOtpPayload(
  publicKey: CryptoKey | KeyObject,
  fingerprint: string,
  payload: OtpPayload,
) {
  const parsed = OtpPayload.parse(payload);
  const plaintext = new TextEncoder().encode(JSON.stringify(parsed));
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({
      alg: JWE_ALG,
      enc: JWE_ENC,
      kid: fingerprint,
      cty: OTP_PAYLOAD_CTY,
      [JWE_REQUEST_ID_HEADER]: parsed.requestId,
    })
    .encrypt(publicKey);
}

/** Why a payload could not be opened. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decoded length of a base64url segment (no padding), or -1 when it is not base64url. */
function decodedLength(segment: string): number {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) return -1;
  return Math.floor((segment.length * 3) / 4);
}

/**
 * Checks what the relay can see of a delivered payload without decrypting it: a compact
 * JWE of five base64url parts whose sizes fit RSA-OAEP-256 + A256GCM (an RSA-wrapped key of
 * 2048–16384 bits, a 96-bit IV, a 128-bit tag), whose protected header is ours, addressed
 * to `fingerprint` (`kid`) and made for `requestId`. Garbage and payloads made for another
 * request are refused before they can take the request's one slot.
 *
 * @example
 * assertPayloadHeader(body.encryptedPayload, request.keyFingerprint, request.id);
 */
export function assertPayloadHeader(jwe: string, fingerprint: string, requestId: string): void {
  const parts = jwe.split('.');
  const [protectedHeader, encryptedKey, iv, ciphertext, tag] = parts;
  if (parts.length !== 5 || protectedHeader === undefined || encryptedKey === undefined)
    throw new PayloadError('encryptedPayload is not a compact JWE (five dot-separated parts)');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwe);
  } catch {
    throw new PayloadError('encryptedPayload is not a compact JWE: its protected header does not decode');
  }
  if (header.alg !== JWE_ALG || header.enc !== JWE_ENC)
    throw new PayloadError(`encryptedPayload must use alg ${JWE_ALG} and enc ${JWE_ENC}`);
  if (header.zip !== undefined || header.crit !== undefined)
    throw new PayloadError('encryptedPayload header must not use zip or crit');
  if (header.kid !== fingerprint)
    throw new PayloadError('encryptedPayload is not encrypted to this request’s public key (kid mismatch)');
  const namedRequest = header[JWE_REQUEST_ID_HEADER];
  if (typeof namedRequest !== 'string')
    throw new PayloadError(`encryptedPayload header must name its request (${JWE_REQUEST_ID_HEADER})`);
  if (namedRequest !== requestId)
    throw new PayloadError(
      `encryptedPayload was made for request ${namedRequest.slice(0, 64)}, not ${requestId}`,
    );
  const keyBytes = decodedLength(encryptedKey);
  if (keyBytes < 256 || keyBytes > 2048)
    throw new PayloadError('encryptedPayload encrypted key is not an RSA-OAEP block of 2048–16384 bits');
  if (decodedLength(iv ?? '') !== 12) throw new PayloadError('encryptedPayload IV must be 96 bits');
  if (decodedLength(ciphertext ?? '') < 1) throw new PayloadError('encryptedPayload ciphertext is empty');
  if (decodedLength(tag ?? '') !== 16) throw new PayloadError('encryptedPayload tag must be 128 bits');
}

/**
 * Decrypts a payload with the agent's private key and checks that it belongs to
 * `expectedRequestId`, so a payload lifted from another request is refused.
 *
 * @example
 * const payload = await decryptOtpPayloadFor(jwe, privateKey, request.id);
 */
export async function decryptOtpPayloadFor(
  jwe: string,
  privateKey: CryptoKey,
  expectedRequestId?: string,
): Promise<OtpPayload> {
  let plaintext: Uint8Array;
  let header: Record<string, unknown>;
  try {
    ({ plaintext, protectedHeader: header } = await compactDecrypt(jwe, privateKey, {
      keyManagementAlgorithms: [JWE_ALG],
      contentEncryptionAlgorithms: [JWE_ENC],
    }));
  } catch {
    throw new PayloadError('payload could not be decrypted with this private key');
  }
  let parsed: OtpPayload;
  try {
    parsed = OtpPayload.parse(JSON.parse(new TextDecoder().decode(plaintext)));
  } catch {
    throw new PayloadError('payload decrypted but is not an Agent OTP payload');
  }
  if (expectedRequestId !== undefined && parsed.requestId !== expectedRequestId)
    throw new PayloadError(
      `payload was made for request ${parsed.requestId}, not ${expectedRequestId}; refusing it`,
    );
  // Payloads sealed before the header named the request carry no member; when it is there,
  // header and plaintext must agree.
  const namedRequest = header[JWE_REQUEST_ID_HEADER];
  if (namedRequest !== undefined && namedRequest !== parsed.requestId)
    throw new PayloadError('payload header and plaintext name different requests; refusing it');
  return parsed;
}
