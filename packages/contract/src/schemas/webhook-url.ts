import { z } from 'zod';

/** The longest webhook URL a request may name. */
export const WEBHOOK_URL_MAX_LENGTH = 2048;

/**
 * Where the relay POSTs a request's status changes, signed with the agent's webhook secret
 * (docs/webhooks.md). The relay refuses plain `http://` and private, loopback and link-local
 * hosts unless its operator allows them (`WEBHOOK_ALLOW_HTTP`, `WEBHOOK_ALLOW_PRIVATE`); that
 * depends on the relay's settings and DNS, so it is checked by the relay, not by this schema.
 */
export const WebhookUrl = z
  .string()
  .trim()
  .max(WEBHOOK_URL_MAX_LENGTH, `webhookUrl must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'webhookUrl must be an absolute https:// URL' });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      ctx.addIssue({ code: 'custom', message: 'webhookUrl must be an https:// URL' });
    // Credentials in a URL end up in logs and dashboards; the signature authenticates the relay.
    if (url.username || url.password)
      ctx.addIssue({ code: 'custom', message: 'webhookUrl must not contain a user name or password' });
    if (url.hash) ctx.addIssue({ code: 'custom', message: 'webhookUrl must not contain a #fragment' });
  })
  .meta({
    description:
      'HTTPS URL the relay POSTs each status change the agent acts on to, signed with the agent’s webhook secret (`x-otp-signature`). Private, loopback and link-local hosts are refused unless the relay’s operator allows them.',
    example: 'https://agent.example.com/hooks/agent-otp',
  });
