import { resolve } from 'node:path';
import * as z from 'zod/mini';
import { booleanFromEnv, text } from './env-types.js';

// Web Push (issue 15): the relay's VAPID key, who it names as the sender, and whether push
// endpoints may be plain http or internal addresses (tests and development only: the relay
// POSTs to every endpoint an owner's browser hands it, so by default only public https).

/** Environment variables of Web Push notifications. */
export const webPushEnvironment = {
  /** The VAPID private key: 32 bytes, base64url (`npx web-push generate-vapid-keys`). Secret. */
  VAPID_PRIVATE_KEY: z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.regex(/^[A-Za-z0-9_-]{43}$/, 'must be a P-256 private key: 32 bytes, base64url (43 characters)'),
      ),
  ),
  VAPID_PRIVATE_KEY_FILE: z.optional(text()),
  /** Who push services contact about this relay: `mailto:` or `https:`; default derived from PUBLIC_URL. */
  VAPID_SUBJECT: z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.regex(/^(?:mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/, 'must be a mailto: address or an https:// URL'),
      ),
  ),
  /** Push endpoints may be plain http and internal addresses (tests, development). */
  PUSH_ALLOW_PRIVATE: z._default(booleanFromEnv, false),
};

type WebPushEnvironment = z.output<z.ZodMiniObject<typeof webPushEnvironment>>;

/** The VAPID key comes from one place only. */
export function checkWebPushEnvironment(env: WebPushEnvironment, ctx: z.core.$RefinementCtx): void {
  if (env.VAPID_PRIVATE_KEY && env.VAPID_PRIVATE_KEY_FILE)
    ctx.addIssue({
      code: 'custom',
      path: ['VAPID_PRIVATE_KEY_FILE'],
      message: 'set VAPID_PRIVATE_KEY or VAPID_PRIVATE_KEY_FILE, not both',
    });
}

/**
 * The parsed Web Push settings. Push services reject an `http:` or localhost subject, so a
 * relay without VAPID_SUBJECT names its PUBLIC_URL when that is https, and a fixed mailto
 * at the relay's host otherwise.
 *
 * @example
 * const { webPush } = webPushConfig(env, 'https://otp.example.com');
 */
export function webPushConfig(env: WebPushEnvironment, publicUrl: string) {
  const url = new URL(publicUrl);
  const subject =
    env.VAPID_SUBJECT ??
    (url.protocol === 'https:' ? url.origin : `mailto:agent-otp@${url.hostname.replace(/^\[|\]$/g, '')}`);
  return {
    webPush: {
      privateKey: env.VAPID_PRIVATE_KEY,
      privateKeyFile: env.VAPID_PRIVATE_KEY_FILE ? resolve(env.VAPID_PRIVATE_KEY_FILE) : undefined,
      subject,
      allowPrivate: env.PUSH_ALLOW_PRIVATE,
    },
  };
}
