import { z } from 'zod';

/**
 * Unpadded base64url of exactly `bytes` bytes, checked by length (shared also runs in the
 * browser, so no Buffer): 65 bytes are 87 characters, 16 bytes are 22.
 */
function base64UrlOfBytes(bytes: number, what: string) {
  const length = Math.ceil((bytes * 4) / 3);
  return z
    .string()
    .regex(
      new RegExp(`^[A-Za-z0-9_-]{${length}}$`),
      `must be ${bytes} bytes as unpadded base64url (${length} characters): the browser's ${what}`,
    );
}

/** The relay's VAPID public key: what the dashboard passes to `pushManager.subscribe`. */
export const VapidPublicKey = z
  .object({
    publicKey: z.string().meta({ description: 'The uncompressed P-256 point, base64url (65 bytes).' }),
  })
  .meta({
    id: 'VapidPublicKey',
    example: {
      publicKey: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
    },
  });
export type VapidPublicKey = z.infer<typeof VapidPublicKey>;

/** A browser's PushSubscription, as `subscription.toJSON()` gives it (expirationTime ignored). */
export const PushSubscriptionBody = z
  .object({
    endpoint: z
      .url({ protocol: /^https?$/, error: 'endpoint must be an https:// URL' })
      .max(2048, 'endpoint must be at most 2048 characters'),
    expirationTime: z.number().nullable().optional(),
    keys: z
      .object({
        p256dh: base64UrlOfBytes(65, 'P-256 public key, keys.p256dh'),
        auth: base64UrlOfBytes(16, 'auth secret, keys.auth'),
      })
      .strict(),
  })
  .strict()
  .meta({
    id: 'PushSubscriptionBody',
    example: {
      endpoint:
        'https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9KtT8OvPVGJ-hQMRKRrZuJAEcl7B338qju59zJMjw2DELjzEvxwYv7hH5Ynpc1ODQ0aT4U4OFEeco8ohsN5PjL1iC2dNtk2BAokeMCg2ZXKqpc8FXKmhX94kIxQ',
      keys: {
        p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
        auth: 'tBHItJI5svbpez7KI4CCXg',
      },
    },
  });
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

/** Which subscription to remove or look up: its endpoint. */
export const PushEndpointBody = z
  .object({ endpoint: z.url().max(2048, 'endpoint must be at most 2048 characters') })
  .strict()
  .meta({
    id: 'PushEndpointBody',
    example: {
      endpoint:
        'https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9KtT8OvPVGJ-hQMRKRrZuJAEcl7B338qju59zJMjw2DELjzEvxwYv7hH5Ynpc1ODQ0aT4U4OFEeco8ohsN5PjL1iC2dNtk2BAokeMCg2ZXKqpc8FXKmhX94kIxQ',
    },
  });

/** Whether this endpoint notifies this owner. */
export const PushSubscriptionState = z
  .object({ subscribed: z.boolean() })
  .meta({ id: 'PushSubscriptionState', example: { subscribed: true } });
