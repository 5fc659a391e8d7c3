import { Buffer } from 'node:buffer';
import {
  constants,
  createHash,
  createPublicKey,
  type KeyObject,
  type JsonWebKey as NodeJsonWebKey,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import {
  decodePublicKeyInput,
  jwkModulus,
  modulusProblem,
  NOT_AN_RSA_KEY,
  PublicKeyError,
  rsaParametersProblem,
  TRIAL_ENCRYPTION_FAILED,
} from '@agent-otp/shared';

/** An agent's validated public key as the relay holds it: stored forms and a node:crypto key. */
export interface RelayAgentKey {
  /** SPKI, base64 DER (canonical: re-encoded by the importer): the form stored on the request. */
  readonly spki: string;
  /** SHA-256 of the canonical SPKI DER, lowercase hex. */
  readonly fingerprint: string;
  readonly modulusLength: number;
  /** What jose encrypts to; jose keeps the WebCrypto key it derives per KeyObject. */
  readonly key: KeyObject;
}

/**
 * How many validated keys are kept. A lifecycle parses its key on create and again when the
 * code is sealed; agents also reuse one key pair across requests. 1 024 entries of about
 * 1 KiB each cover every open request of a busy relay at a bounded cost.
 */
const MAX_CACHED_KEYS = 1024;

/** Validated keys by fingerprint; insertion order is recency order (a hit re-inserts). */
const validatedKeys = new Map<string, RelayAgentKey>();

function remember(entry: RelayAgentKey): void {
  validatedKeys.delete(entry.fingerprint);
  if (validatedKeys.size >= MAX_CACHED_KEYS) {
    const oldest = validatedKeys.keys().next();
    if (!oldest.done) validatedKeys.delete(oldest.value);
  }
  validatedKeys.set(entry.fingerprint, entry);
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Imports and proves a key the way it will be used; the rules and messages are the contract's. */
function importAndProve(decoded: ReturnType<typeof decodePublicKeyInput>): RelayAgentKey {
  let key: KeyObject;
  try {
    key =
      decoded.format === 'jwk'
        ? createPublicKey({ key: decoded.jwk as NodeJsonWebKey, format: 'jwk' })
        : createPublicKey({ key: Buffer.from(decoded.der), format: 'der', type: 'spki' });
  } catch {
    throw new PublicKeyError(NOT_AN_RSA_KEY);
  }
  // node:crypto also reads RSA-PSS, EC and Ed25519 keys; WebCrypto's RSA-OAEP import refuses them.
  if (key.asymmetricKeyType !== 'rsa') throw new PublicKeyError(NOT_AN_RSA_KEY);
  const details = key.asymmetricKeyDetails;
  const modulusLength = details?.modulusLength ?? 0;
  const exponentHex = (details?.publicExponent ?? 0n).toString(16);
  const parameters = rsaParametersProblem(modulusLength, exponentHex);
  if (parameters) throw new PublicKeyError(parameters);
  const { n } = key.export({ format: 'jwk' });
  if (typeof n !== 'string') throw new PublicKeyError('publicKey has no RSA modulus');
  const weak = modulusProblem(jwkModulus(n));
  if (weak) throw new PublicKeyError(weak);
  try {
    publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, randomBytes(32));
  } catch {
    throw new PublicKeyError(TRIAL_ENCRYPTION_FAILED);
  }
  const spkiDer = key.export({ format: 'der', type: 'spki' });
  return Object.freeze({
    spki: spkiDer.toString('base64'),
    fingerprint: sha256Hex(spkiDer),
    modulusLength,
    key,
  });
}

/**
 * Parses and validates an agent's RSA public key (SPKI base64 DER, PEM or JWK) with
 * node:crypto, under the same rules and messages as the contract's `parseAgentPublicKey`
 * (which the SDK runs in any runtime). A key already validated in this process is not parsed
 * again: SPKI and PEM input is looked up by the SHA-256 of its DER, which for a canonical key
 * is its fingerprint, so a hit means these exact bytes were proved before. Input in any other
 * encoding (a JWK, a non-canonical DER) is validated each time and cached under its
 * fingerprint for the canonical SPKI the relay stores and reads back.
 *
 * @example
 * const key = relayAgentKey(body.publicKey); // throws PublicKeyError naming what was wrong
 * const jwe = await encryptOtpPayload(key.key, key.fingerprint, payload);
 */
export function relayAgentKey(input: string | Record<string, unknown>): RelayAgentKey {
  const decoded = decodePublicKeyInput(input);
  if (decoded.format === 'spki') {
    const cached = validatedKeys.get(sha256Hex(decoded.der));
    if (cached) {
      remember(cached);
      return cached;
    }
  }
  const entry = importAndProve(decoded);
  remember(entry);
  return entry;
}
