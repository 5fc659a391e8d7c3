// Signing needs node:crypto (synchronous HMAC), so it is its own entry point,
// `@orrisai/agent-otp-contract/webhook-signing`: the main entry stays free of Node built-ins
// for browser bundles of the SDK.
import { createHmac, randomBytes } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from './webhook-headers.js';

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
