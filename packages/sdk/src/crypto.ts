import {
  base64ToBytes,
  bytesToBase64,
  decryptOtpPayloadFor,
  fingerprintSpki,
  type OtpPayload,
  PayloadError,
  PublicKeyError,
  parseAgentPublicKey,
} from '@orrisai/agent-otp-contract';
import { DecryptionError, ValidationError } from './errors.js';

const RSA_OAEP_SHA256 = { name: 'RSA-OAEP', hash: 'SHA-256' } as const;
const MODULUS_LENGTHS = [2048, 3072, 4096] as const;

/**
 * Options of {@link generateKeyPair}.
 *
 * @example
 * await generateKeyPair({ modulusLength: 4096 } satisfies GenerateKeyPairOptions);
 */
export interface GenerateKeyPairOptions {
  /** RSA modulus in bits (default 2048; the relay refuses anything shorter). */
  modulusLength?: (typeof MODULUS_LENGTHS)[number];
}

/**
 * Generates the agent's RSA-OAEP (SHA-256) key pair with WebCrypto. The keys are extractable
 * so the private key can be saved with {@link exportPrivateKey}; keep it on the agent's side.
 *
 * @example
 * const { publicKey, privateKey } = await generateKeyPair();
 * const bigger = await generateKeyPair({ modulusLength: 3072 });
 */
export async function generateKeyPair(options: GenerateKeyPairOptions = {}): Promise<CryptoKeyPair> {
  const modulusLength = options.modulusLength ?? 2048;
  if (!MODULUS_LENGTHS.includes(modulusLength))
    throw new ValidationError(`modulusLength must be one of ${MODULUS_LENGTHS.join(', ')}`);
  return crypto.subtle.generateKey(
    { ...RSA_OAEP_SHA256, modulusLength, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['encrypt', 'decrypt'],
  );
}

/**
 * Exports a public key as SPKI, base64 DER: what `requestOTP({publicKey})` sends.
 *
 * @example
 * const publicKeyText = await exportPublicKey(publicKey); // 'MIIBIjANBgkqhkiG9w0BAQEF…'
 */
export async function exportPublicKey(key: CryptoKey): Promise<string> {
  if (key?.type !== 'public') throw new ValidationError('exportPublicKey needs the public key of the pair');
  return bytesToBase64(await crypto.subtle.exportKey('spki', key));
}

/**
 * Exports a private key as PKCS#8, base64 DER, to store it (encrypted at rest, ideally)
 * and load it later with {@link importPrivateKey}.
 *
 * @example
 * await saveSecret('agent-otp-key', await exportPrivateKey(privateKey));
 */
export async function exportPrivateKey(key: CryptoKey): Promise<string> {
  if (key?.type !== 'private')
    throw new ValidationError('exportPrivateKey needs the private key of the pair');
  if (!key.extractable)
    throw new ValidationError('this private key was created non-extractable and cannot be exported');
  return bytesToBase64(await crypto.subtle.exportKey('pkcs8', key));
}

const PEM_PRIVATE = /^-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----\s*$/;

/**
 * Imports a private key saved by {@link exportPrivateKey}: PKCS#8 as base64 DER or as PEM
 * (`-----BEGIN PRIVATE KEY-----`). The imported key can decrypt but not be exported again
 * unless `extractable` is set.
 *
 * @example
 * const privateKey = await importPrivateKey(await loadSecret('agent-otp-key'));
 */
export async function importPrivateKey(
  keyData: string,
  options: { extractable?: boolean } = {},
): Promise<CryptoKey> {
  const text = typeof keyData === 'string' ? keyData.trim() : '';
  let base64 = text;
  if (text.startsWith('-----BEGIN')) {
    if (text.startsWith('-----BEGIN RSA PRIVATE KEY-----'))
      throw new ValidationError(
        'keyData is a PKCS#1 PEM; convert it to PKCS#8 ("BEGIN PRIVATE KEY"), e.g. openssl pkcs8 -topk8 -nocrypt',
      );
    const match = PEM_PRIVATE.exec(text);
    if (!match?.[1])
      throw new ValidationError('keyData is not a PKCS#8 PEM private key ("BEGIN PRIVATE KEY")');
    base64 = match[1].replace(/\s+/g, '');
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0)
    throw new ValidationError('keyData must be a PKCS#8 private key as base64 DER or PEM');
  try {
    return await crypto.subtle.importKey(
      'pkcs8',
      base64ToBytes(base64),
      RSA_OAEP_SHA256,
      options.extractable ?? false,
      ['decrypt'],
    );
  } catch (error) {
    throw new ValidationError('keyData is not an RSA private key in PKCS#8 form', { cause: error });
  }
}

/**
 * The key's SHA-256 fingerprint (lowercase hex of the SPKI DER): the same value the relay
 * reports as `keyFingerprint` and shows the approver, so a swapped key is visible.
 * Takes the public `CryptoKey` or its exported text (SPKI base64, PEM or JWK JSON).
 *
 * @example
 * const request = await client.requestOTP({ reason, publicKey: await exportPublicKey(publicKey) });
 * if (request.keyFingerprint !== (await keyFingerprint(publicKey))) throw new Error('key was swapped');
 */
export async function keyFingerprint(publicKey: CryptoKey | string): Promise<string> {
  if (typeof publicKey !== 'string') {
    if (publicKey?.type !== 'public') throw new ValidationError('keyFingerprint needs a public key');
    return fingerprintSpki(await crypto.subtle.exportKey('spki', publicKey));
  }
  try {
    return (await parseAgentPublicKey(publicKey)).fingerprint;
  } catch (error) {
    if (error instanceof PublicKeyError) throw new ValidationError(error.message, { cause: error });
    throw error;
  }
}

/**
 * Options of {@link decryptOTPPayload}.
 *
 * @example
 * await decryptOTPPayload(jwe, privateKey, { requestId: request.id } satisfies DecryptOTPPayloadOptions);
 */
export interface DecryptOTPPayloadOptions {
  /** Refuse the payload unless it was made for this request ID. */
  requestId?: string | undefined;
}

/**
 * Decrypts a payload (compact JWE, RSA-OAEP-256 + A256GCM) and returns it with its metadata.
 * With `requestId`, refuses a payload made for any other request.
 *
 * @example
 * const { code, source, sender } = await openOTPPayload(encryptedPayload, privateKey, { requestId: id });
 */
export async function openOTPPayload(
  encrypted: string,
  privateKey: CryptoKey,
  options: DecryptOTPPayloadOptions = {},
): Promise<OtpPayload> {
  if (privateKey?.type !== 'private' || !privateKey.usages.includes('decrypt'))
    throw new DecryptionError('decrypting needs the private key of the pair (usage "decrypt")');
  try {
    return await decryptOtpPayloadFor(encrypted, privateKey, options.requestId);
  } catch (error) {
    if (error instanceof PayloadError) throw new DecryptionError(error.message, { cause: error });
    throw new DecryptionError('payload could not be decrypted', { cause: error });
  }
}

/**
 * Decrypts a payload with the agent's private key and returns the code. With `requestId`,
 * refuses (with {@link DecryptionError}) a payload made for any other request.
 *
 * @example
 * const code = await decryptOTPPayload(encryptedPayload, privateKey, { requestId: request.id });
 */
export async function decryptOTPPayload(
  encrypted: string,
  privateKey: CryptoKey,
  options: DecryptOTPPayloadOptions = {},
): Promise<string> {
  return (await openOTPPayload(encrypted, privateKey, options)).code;
}
