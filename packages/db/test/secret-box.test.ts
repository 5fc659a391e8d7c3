// Issue 11: secrets the relay must read back are sealed with AES-256-GCM under a key derived
// from the relay's key material, bound to their row, in a versioned text format.
import { randomBytes } from 'node:crypto';
import { createSecretBox, SecretBoxError } from '@agent-otp/db';
import { describe, expect, it } from 'vitest';

const material = randomBytes(32);

describe('createSecretBox', () => {
  it('seals to a v1 text that opens to the plaintext under the same binding, never containing it', () => {
    const box = createSecretBox(material, 'agent webhook secret');
    const secret = 'whsec_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    const sealed = box.seal(secret, 'agents:agt_1');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain('abcdefghijklmnop');
    expect(box.open(sealed, 'agents:agt_1')).toBe(secret);
  });

  it('uses a fresh nonce per seal', () => {
    const box = createSecretBox(material, 'p');
    expect(box.seal('same', 'r')).not.toBe(box.seal('same', 'r'));
  });

  it('refuses a ciphertext moved to another row', () => {
    const box = createSecretBox(material, 'agent webhook secret');
    const sealed = box.seal('s3cret', 'agents:agt_1');
    expect(() => box.open(sealed, 'agents:agt_2')).toThrow(SecretBoxError);
  });

  it('refuses another purpose and another key', () => {
    const sealed = createSecretBox(material, 'agent webhook secret').seal('s3cret', 'agents:agt_1');
    expect(() => createSecretBox(material, 'sms provider secret').open(sealed, 'agents:agt_1')).toThrow(
      SecretBoxError,
    );
    expect(() =>
      createSecretBox(randomBytes(32), 'agent webhook secret').open(sealed, 'agents:agt_1'),
    ).toThrow(SecretBoxError);
  });

  it('refuses a tampered, truncated or unversioned value with a SecretBoxError', () => {
    const box = createSecretBox(material, 'p');
    const sealed = box.seal('s3cret', 'r');
    const [version, nonce, body] = sealed.split('.') as [string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(() => box.open(`${version}.${nonce}.${flipped.toString('base64url')}`, 'r')).toThrow(
      SecretBoxError,
    );
    expect(() => box.open(`${version}.${nonce}.AAAA`, 'r')).toThrow(SecretBoxError);
    expect(() => box.open(`v2.${nonce}.${body}`, 'r')).toThrow(SecretBoxError);
    expect(() => box.open('garbage', 'r')).toThrow(SecretBoxError);
  });

  it('refuses short key material or an empty purpose', () => {
    expect(() => createSecretBox(randomBytes(16), 'p')).toThrow(SecretBoxError);
    expect(() => createSecretBox(material, '')).toThrow(SecretBoxError);
  });
});
