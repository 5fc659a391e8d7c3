import { createHash, createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';

/**
 * Compares two signatures in constant time. Both sides are hashed first, so neither the
 * comparison's time nor an early length mismatch tells an attacker how much was right.
 */
export function signaturesMatch(expected: string, received: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(received).digest();
  return timingSafeEqual(a, b) && expected.length === received.length;
}

/**
 * SMS Gateway for Android: hex HMAC-SHA256 under the app's signing key over the raw body
 * followed by the `X-Timestamp` value (Unix seconds), as its webhook docs specify.
 *
 * @example
 * smsGatewaySignature(key, rawBody, '1735000000') === request.headers['x-signature'];
 */
export function smsGatewaySignature(signingKey: string, rawBody: string, timestamp: string): string {
  return createHmac('sha256', signingKey)
    .update(rawBody + timestamp)
    .digest('hex');
}

/**
 * Generic forwarders ("Incoming SMS to URL" and scripts): hex HMAC-SHA256 over the raw body,
 * or over `<timestamp>.<body>` when the sender adds `X-Timestamp`.
 */
export function forwarderSignature(signingKey: string, rawBody: string, timestamp?: string): string {
  const message = timestamp === undefined ? rawBody : `${timestamp}.${rawBody}`;
  return createHmac('sha256', signingKey).update(message).digest('hex');
}

/**
 * Twilio: base64 HMAC-SHA1 under the account Auth Token over the full URL Twilio requested
 * followed by every POST parameter's name and value, sorted by name, with no separators
 * (repeated names: each value, in sorted order).
 *
 * @example
 * twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params);
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: ReadonlyArray<[string, string]>,
): string {
  const sorted = [...params].sort(([a, av], [b, bv]) => (a === b ? compare(av, bv) : compare(a, b)));
  const data = url + sorted.map(([name, value]) => name + value).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Code-unit order, as Twilio's SDKs sort (not locale order). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Telnyx: an Ed25519 signature (base64, header `telnyx-signature-ed25519`) over
 * `<telnyx-timestamp>|<raw body>`, checked with the account's public key (base64, 32 bytes).
 */
export function telnyxSignatureValid(
  publicKeyBase64: string,
  timestamp: string,
  rawBody: string,
  signatureBase64: string,
): boolean {
  const raw = Buffer.from(publicKeyBase64, 'base64');
  const signature = Buffer.from(signatureBase64, 'base64');
  if (raw.length !== 32 || signature.length !== 64) return false;
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
  return verify(null, Buffer.from(`${timestamp}|${rawBody}`, 'utf8'), key, signature);
}
