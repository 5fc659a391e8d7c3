import { WEBHOOK_HEADERS, WEBHOOK_SIGNATURE_SCHEME } from '@agent-otp/shared';
import { webhookSignature } from '@orrisai/agent-otp-contract/webhook-signing';
import { type CheckedPostResult, postToCheckedAddress } from './post-to-checked-address.js';
import type { WebhookAddressPolicy } from './webhook-address-policy.js';

/** Names the sender in `user-agent`; the relay's release. */
export const WEBHOOK_USER_AGENT = 'agent-otp-webhook/0.1.0';

/** How one attempt ended: an HTTP status, or why there was none (never the body or the secret). */
export type WebhookPostResult = CheckedPostResult;

/**
 * POSTs one signed event body with a fresh timestamp and signature per attempt, through
 * `postToCheckedAddress` (checked addresses only, no redirects, bounded in time and size).
 *
 * @example
 * const result = await postWebhook({ url, body, eventId, secret, policy, timeoutMs: 10_000, now: new Date() });
 */
export function postWebhook(options: {
  url: string;
  body: string;
  eventId: string;
  secret: string;
  policy: WebhookAddressPolicy;
  timeoutMs: number;
  now: Date;
}): Promise<WebhookPostResult> {
  const timestamp = Math.floor(options.now.getTime() / 1000);
  const signature = webhookSignature(options.secret, timestamp, options.body);
  return postToCheckedAddress({
    url: options.url,
    body: options.body,
    policy: options.policy,
    timeoutMs: options.timeoutMs,
    what: 'webhooks',
    headers: {
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      [WEBHOOK_HEADERS.eventId]: options.eventId,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: `${WEBHOOK_SIGNATURE_SCHEME}=${signature}`,
    },
  });
}
