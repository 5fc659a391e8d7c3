import type { SourceWithToken } from '@agent-otp/shared';
import { CopyButton } from '../components/copy-button.js';
import { CopyableValue } from '../components/copyable-value.js';
import { QrCode } from '../components/qr-code.js';
import { SecretOnce } from '../components/secret-once.js';
import { type Channel, registerWebhookCommand } from './source-channels.js';
import { TestMessageCheck } from './test-message-check.js';

/** "POST" or "sms:received" are quicker typed than scanned. */
const SHORT_ENOUGH_TO_TYPE = 24;

/**
 * Everything needed to connect a new (or rotated) source, shown once: the token, the webhook
 * URL and signing secret, a QR code of the configuration when the app can scan one, the
 * recipe with its exact values in order, and the live "send a test message" check.
 */
export function SourceSetup(props: {
  created: SourceWithToken;
  channel: Channel;
  rotated?: boolean;
  onDismiss: () => void;
  onReceived: () => void;
}) {
  const { created, channel } = props;
  const { source, setup } = created;
  const fields = setup?.fields ?? [];
  // The recipe lists each value where the app asks for it; repeat none of them above it.
  const inRecipe = (value: string | undefined) => fields.some((field) => field.value === value);
  const webhookUrl = created.webhookUrl ?? source.webhookUrl ?? undefined;
  // Tests find the two values every recipe needs under one name, wherever the recipe lists them.
  const testIdOf = (value: string) =>
    value === webhookUrl ? 'webhook-url' : value === created.signingSecret ? 'signing-secret' : undefined;

  // Values typed into an app on the phone itself are easier scanned than typed.
  const onPhone = source.provider === 'sms-gateway' || source.provider === 'generic';
  // Signed webhooks (SMS Gateway, Twilio, Telnyx) never send the token, and a generic recipe
  // carries it in its header value: a separate token row would only invite pasting it wrongly.
  const tokenShown =
    (source.provider === null || source.provider === 'generic') &&
    !fields.some((field) => field.value.includes(created.token));

  return (
    <SecretOnce
      title={props.rotated ? `New secrets for ${source.name}` : `Connect ${source.name}`}
      secret={tokenShown ? created.token : undefined}
      notice={
        created.signingSecret || fields.some((field) => field.secret)
          ? undefined
          : 'Nothing here is secret: the provider proves each message with its own signature, and the webhook URL stays in the list below.'
      }
      onDismiss={props.onDismiss}
    >
      {(webhookUrl || created.signingSecret) && (
        <dl className="setup-values">
          {webhookUrl && !inRecipe(webhookUrl) && (
            <CopyableValue label="Webhook URL" value={webhookUrl} qr={onPhone} testId="webhook-url" />
          )}
          {created.signingSecret && !inRecipe(created.signingSecret) && (
            <CopyableValue
              label="Signing secret"
              value={created.signingSecret}
              secret
              qr={onPhone}
              testId="signing-secret"
            />
          )}
        </dl>
      )}
      {setup?.qrPayload && (
        <QrCode text={setup.qrPayload} label={`Scan with ${channel.label} to configure it`} />
      )}
      <h3>{channel.label}: how to connect it</h3>
      <ol className="setup-steps">
        {channel.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      {fields.length > 0 && (
        <>
          <h3>Values to enter, in order</h3>
          <dl className="setup-values">
            {fields.map((field) => (
              <CopyableValue
                key={field.label}
                label={field.label}
                value={field.value}
                secret={field.secret}
                qr={onPhone && field.value.length > SHORT_ENOUGH_TO_TYPE}
                testId={testIdOf(field.value)}
              />
            ))}
          </dl>
        </>
      )}
      {channel.provider === 'sms-gateway' && webhookUrl && (
        <details className="snippet">
          <summary>Cloud mode: register the webhook through api.sms-gate.app</summary>
          <div className="snippet-toolbar">
            <CopyButton text={registerWebhookCommand(webhookUrl, 'sms:received')} label="Copy command" />
          </div>
          <pre>
            <code>{registerWebhookCommand(webhookUrl, 'sms:received')}</code>
          </pre>
        </details>
      )}
      {source.kind === 'sms' && <TestMessageCheck baseline={source} onReceived={props.onReceived} />}
      <p className="hint">The full recipe for every channel is in docs/sms.md.</p>
    </SecretOnce>
  );
}
