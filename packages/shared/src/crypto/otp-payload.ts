import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
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
 * Encrypts one code to an agent's public key as a compact JWE (RSA-OAEP-256 + A256GCM).
 * The key fingerprint goes in `kid` so the relay can check a delivery was made for this
 * request's key without being able to read it.
 *
 * @example
 * const jwe = await encryptOtpPayload(agentKey.key, agentKey.fingerprint, {
 *   code: '847291', source: 'email', sender: 'noreply@acme.com',
 *   receivedAt: new Date().toISOString(), requestId: 'otp_01J…',
 * });
 */
export async function encryptOtpPayload(publicKey: CryptoKey, fingerprint: string, payload: OtpPayload) {
  const plaintext = new TextEncoder().encode(JSON.stringify(OtpPayload.parse(payload)));
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({ alg: JWE_ALG, enc: JWE_ENC, kid: fingerprint, cty: OTP_PAYLOAD_CTY })
    .encrypt(publicKey);
}

/** Why a payload could not be opened. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

/**
 * Reads the protected header of a compact JWE without decrypting it, and checks it is one
 * of ours addressed to `fingerprint`. Used by the relay to refuse misaddressed deliveries.
 *
 * @example
 * assertPayloadHeader(body.encryptedPayload, request.keyFingerprint);
 */
export function assertPayloadHeader(jwe: string, fingerprint: string): void {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwe);
  } catch {
    throw new PayloadError('encryptedPayload is not a compact JWE');
  }
  if (header.alg !== JWE_ALG || header.enc !== JWE_ENC)
    throw new PayloadError(`encryptedPayload must use alg ${JWE_ALG} and enc ${JWE_ENC}`);
  if (header.kid !== fingerprint)
    throw new PayloadError('encryptedPayload is not encrypted to this request’s public key (kid mismatch)');
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
  try {
    ({ plaintext } = await compactDecrypt(jwe, privateKey, {
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
  return parsed;
}
