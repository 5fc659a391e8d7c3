import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random base62 text with `bytes` bytes of entropy, unbiased. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      // 248 = 4 * 62: dropping larger bytes keeps every character equally likely.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/** The kinds of bearer secret the relay issues; the prefix tells what a leaked one is. */
export type SecretKind = 'ak_live' | 'ak_test' | 'cs' | 'os' | 'ses' | 'st' | 'csrf' | PermissionTokenKind;

/** One-time permission tokens, `otp_…` as the seed names them (request IDs are `otp_` + 26 ULID characters; tokens have 43). */
export type PermissionTokenKind = 'otp';

/**
 * A new secret (43 base62 characters ≈ 256 bits after the prefix), its SHA-256 hash for
 * storage, and a short display prefix. Secrets are high-entropy, so a fast hash is enough.
 *
 * @example
 * const { secret, hash, prefix } = newSecret('ak_live'); // secret shown once, hash stored
 */
export function newSecret(kind: SecretKind): { secret: string; hash: string; prefix: string } {
  const secret = `${kind}_${randomBase62(43)}`;
  return { secret, hash: hashSecret(secret), prefix: displayPrefix(secret) };
}

/**
 * A shared HMAC key for a phone app or forwarder (32 base62 characters ≈ 190 bits): short
 * enough to type on a phone, never stored in plaintext (see sources/source-signing-secret.ts).
 */
export function newSigningKey(): string {
  return randomBase62(32);
}

/** SHA-256 hex of a secret, as stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Enough of a secret to recognise it, never enough to use it. */
export function displayPrefix(secret: string): string {
  const underscore = secret.lastIndexOf('_');
  return secret.slice(0, underscore + 7);
}

/** Constant-time comparison of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A uniformly random numeric code of `digits` digits (synthetic codes for test keys). */
export function randomNumericCode(digits = 6): string {
  let code = '';
  while (code.length < digits) {
    for (const byte of randomBytes(digits)) {
      if (byte < 250 && code.length < digits) code += String(byte % 10);
    }
  }
  return code;
}
