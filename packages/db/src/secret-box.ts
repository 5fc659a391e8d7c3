import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts the few secrets the relay must read back (an agent's webhook signing secret, an
 * SMS provider's token, a mailbox password) so the database never holds them in plaintext.
 * AES-256-GCM under a key derived with HKDF-SHA256 from the relay's key material (the
 * audit key) and a purpose label, so each use has its own key and a leaked database alone
 * reveals nothing.
 */
export interface SecretBox {
  /**
   * Encrypts `plaintext`, bound to `binding` (e.g. `agents:<id>`): the ciphertext only opens
   * under the same binding, so it cannot be copied onto another row.
   */
  seal(plaintext: string, binding: string): string;
  /** Decrypts what {@link SecretBox.seal} returned; throws {@link SecretBoxError} on any mismatch. */
  open(sealed: string, binding: string): string;
}

/** A sealed value that is malformed, was tampered with, moved to another row or sealed under another key. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
// The HKDF salt is fixed: the input is already high-entropy key material, and a per-install
// salt would need storing next to the ciphertext it protects.
const HKDF_SALT = Buffer.from('agent-otp secret box v1', 'utf8');

function deriveKey(material: Buffer, purpose: string): Buffer {
  if (material.length < 32) throw new SecretBoxError('secret box key material must be at least 32 bytes');
  if (!purpose) throw new SecretBoxError('a secret box needs a purpose label');
  return Buffer.from(hkdfSync('sha256', material, HKDF_SALT, `agent-otp secret box: ${purpose}`, KEY_BYTES));
}

function associatedData(purpose: string, binding: string): Buffer {
  // Length-prefixed so ("a", "b:c") and ("a:b", "c") never give the same bytes.
  return Buffer.from(`${VERSION}\n${purpose.length}:${purpose}\n${binding.length}:${binding}`, 'utf8');
}

/**
 * A secret box for one purpose. The text format is `v1.<nonce>.<ciphertext+tag>`, both parts
 * base64url, with a fresh random 96-bit nonce per seal.
 *
 * @example
 * const box = createSecretBox(auditKey.secret, 'agent webhook secret');
 * const sealed = box.seal(secret, `agents:${agentId}`);
 * box.open(sealed, `agents:${agentId}`) === secret;
 */
export function createSecretBox(material: Buffer, purpose: string): SecretBox {
  const key = deriveKey(material, purpose);
  return {
    seal(plaintext, binding) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(purpose, binding));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed, binding) {
      const parts = sealed.split('.');
      if (parts.length !== 3 || parts[0] !== VERSION)
        throw new SecretBoxError(`not a ${VERSION} sealed secret`);
      const nonce = Buffer.from(parts[1] as string, 'base64url');
      const body = Buffer.from(parts[2] as string, 'base64url');
      if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES)
        throw new SecretBoxError('sealed secret is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(purpose, binding));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(body.subarray(0, body.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretBoxError('sealed secret does not open: another key, another row, or it was altered');
      }
    },
  };
}
