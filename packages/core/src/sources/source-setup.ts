import type { CaptureSourceRow } from '@agent-otp/db';
import type { CaptureSourceProvider, SourceSetup } from '@agent-otp/shared';

/**
 * Where a provider or app posts a source's messages. Built from PUBLIC_URL, never from the
 * request: Twilio signs the URL it called, and behind a reverse proxy only PUBLIC_URL is
 * the URL the outside world uses.
 *
 * @example
 * smsWebhookUrl('https://otp.example.com', 'twilio', 'src_…'); // https://otp.example.com/api/v1/sms/twilio/src_…
 */
export function smsWebhookUrl(publicUrl: string, provider: CaptureSourceProvider, sourceId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/sms/${provider}/${sourceId}`;
}

/** The webhook URL of a source, or null for email sources. */
export function webhookUrlOf(
  publicUrl: string,
  row: Pick<CaptureSourceRow, 'id' | 'provider'>,
): string | null {
  return row.provider ? smsWebhookUrl(publicUrl, row.provider as CaptureSourceProvider, row.id) : null;
}

/**
 * The exact values an owner types into the app or provider console, in the order its
 * screens ask for them (docs/sms.md walks through each). Secrets are marked so the
 * dashboard can mask them.
 */
export function sourceSetup(options: {
  provider: CaptureSourceProvider;
  webhookUrl: string;
  token: string;
  signingSecret?: string | undefined;
}): SourceSetup {
  const { provider, webhookUrl, token, signingSecret } = options;
  switch (provider) {
    case 'sms-gateway':
      return {
        fields: [
          { label: 'Settings → Webhooks → Signing Key', value: signingSecret ?? '', secret: true },
          { label: 'Webhook URL', value: webhookUrl },
          { label: 'Event', value: 'sms:received' },
          { label: 'Heartbeat (optional, second webhook)', value: 'system:ping' },
          {
            label: 'Register (Local mode, on the phone’s network)',
            value: `curl -X POST -u <user>:<password> -H 'Content-Type: application/json' -d '{"url":"${webhookUrl}","event":"sms:received"}' https://<phone-ip>:8080/webhooks`,
          },
        ],
      };
    case 'twilio':
      return {
        fields: [
          {
            label: 'Phone Numbers → your number → Messaging → A message comes in: Webhook',
            value: webhookUrl,
          },
          { label: 'HTTP method', value: 'HTTP POST' },
        ],
      };
    case 'telnyx':
      return {
        fields: [
          { label: 'Messaging → Messaging Profile → Inbound: Send a webhook to this URL', value: webhookUrl },
          { label: 'Webhook API version', value: 'API v2' },
        ],
      };
    case 'generic': {
      const fields = [
        { label: 'URL', value: webhookUrl },
        { label: 'Method', value: 'POST' },
        { label: 'Header Authorization', value: `Bearer ${token}`, secret: true },
        { label: 'Body fields', value: 'from = the sender, text = the message (JSON, form or query string)' },
      ];
      if (signingSecret)
        fields.push({
          label: 'Header X-Signature: hex HMAC-SHA256 of the body with this key',
          value: signingSecret,
          secret: true,
        });
      return { fields };
    }
  }
}
