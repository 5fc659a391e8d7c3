import { createHmac, randomBytes } from 'node:crypto';

/** The headers every delivery carries (lower case, as Node and Fetch report them). */
export const WEBHOOK_HEADERS = {
  eventId: 'x-otp-event-id',
  timestamp: 'x-otp-timestamp',
  signature: 'x-otp-signature',
} as const;

/** The scheme tag in `x-otp-signature: v1=<hex>`; other tags are ignored by verifiers. */
export const WEBHOOK_SIGNATURE_SCHEME = 'v1';

/** Every webhook secret starts with this, so a leaked one is recognisable in a scan. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * A new signing secret: `whsec_` and 32 random bytes in base64url. The HMAC key is the whole
 * string as UTF-8, so `openssl dgst -sha256 -hmac "$SECRET"` verifies a delivery as is.
 */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * The hex HMAC-SHA256 of `<timestamp>.<raw body>` under the secret: what `v1=` carries.
 * Binding the timestamp into the MAC is what lets a receiver refuse a replayed delivery.
 *
 * @example
 * const signature = webhookSignature(secret, 1764547200, '{"id":"evt_1"}');
 * // header: `x-otp-signature: v1=${signature}`
 */
export function webhookSignature(secret: string, timestamp: number, rawBody: string | Uint8Array): string {
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8'));
  mac.update(`${timestamp}.`, 'utf8');
  mac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
  return mac.digest('hex');
}
