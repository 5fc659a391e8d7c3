import type { CaptureSourceProvider, CreateSourceBody } from '@agent-otp/shared';

/** The ways a phone, an SMS number or a mailbox can reach the relay, as the owner picks them. */
export type ChannelId = 'sms-gateway' | 'ios-shortcuts' | 'android-forwarder' | 'twilio' | 'telnyx' | 'email';

/** The provider credential a channel's form asks for before the source exists. */
export type ChannelCredential = {
  field: 'twilioAuthToken' | 'telnyxPublicKey';
  label: string;
  hint: string;
};

export type Channel = {
  id: ChannelId;
  label: string;
  hint: string;
  kind: CreateSourceBody['kind'];
  provider?: CaptureSourceProvider;
  credential?: ChannelCredential;
  /** Generic forwarders that can compute an HMAC may require one (`signed`). */
  canSign?: boolean;
  /** An example name shown in the empty Name field (its HTML placeholder). */
  exampleName: string;
  /** Short steps for the app or console; the exact values come from the relay's `setup.fields`. */
  steps: string[];
};

const TEST_STEP =
  'Send a text to the phone or number: the check below turns green when it reaches the relay.';

// Steps follow docs/sms.md, which has the full recipe for each channel.
export const CHANNELS: readonly Channel[] = [
  {
    id: 'sms-gateway',
    label: 'SMS Gateway for Android (recommended)',
    hint: 'The open-source app signs every message it forwards.',
    kind: 'sms',
    provider: 'sms-gateway',
    exampleName: 'Pixel 8',
    steps: [
      'Install SMS Gateway for Android (GitHub releases or F-Droid) on the phone that receives the codes, give it the SMS permission and choose Local server or Cloud server.',
      'In the app open Settings → Webhooks → Signing Key and paste the signing secret.',
      'Register the webhook URL for the event sms:received with one of the commands below (Local mode: the phone’s address; Cloud mode: api.sms-gate.app), using the username and password from the app’s Home tab. For “last seen”, register system:ping the same way and turn on Settings → Ping.',
      TEST_STEP,
    ],
  },
  {
    id: 'ios-shortcuts',
    label: 'iPhone (iOS Shortcuts)',
    hint: 'A personal automation posts each matching message to the relay.',
    kind: 'sms',
    provider: 'generic',
    exampleName: 'iPhone 15',
    steps: [
      'In Shortcuts open Automation → New Automation → Message. Set “Message Contains” to a word your codes share (for example “code”), choose Run Immediately, then Next.',
      'Add the action Get Contents of URL and fill in the URL, method, headers and body with the values below, inserting the Shortcut Input’s Sender and Content where they are named.',
      TEST_STEP,
    ],
  },
  {
    id: 'android-forwarder',
    label: 'Other Android forwarders (Tasker, SmsForwarder, Incoming SMS to URL)',
    hint: 'Any app that can post an incoming SMS to a URL.',
    kind: 'sms',
    provider: 'generic',
    canSign: true,
    exampleName: 'Old Android phone',
    steps: [
      'In the forwarder add a rule that sends every incoming SMS to a URL (webhook).',
      'Fill in the URL, method, header and body with the values below, using the app’s template variables for the sender and the message text.',
      TEST_STEP,
    ],
  },
  {
    id: 'twilio',
    label: 'Twilio number',
    hint: 'Twilio signs its webhooks with your account’s Auth Token.',
    kind: 'sms',
    provider: 'twilio',
    credential: {
      field: 'twilioAuthToken',
      label: 'Twilio Auth Token',
      hint: 'Twilio Console → Account Info → Auth Token. Stored encrypted; only used to check X-Twilio-Signature.',
    },
    exampleName: 'Twilio +1 415 555 0100',
    steps: [
      'In the Twilio Console open Phone Numbers → Manage → Active numbers and choose the number.',
      'Under Messaging Configuration set “A message comes in” to Webhook, paste the webhook URL, choose HTTP POST and save.',
      'Behind a reverse proxy the relay’s PUBLIC_URL must be the address Twilio calls: the signature covers the full URL.',
      TEST_STEP,
    ],
  },
  {
    id: 'telnyx',
    label: 'Telnyx number',
    hint: 'Telnyx signs its webhooks with Ed25519; the relay checks them with your public key.',
    kind: 'sms',
    provider: 'telnyx',
    credential: {
      field: 'telnyxPublicKey',
      label: 'Telnyx public key',
      hint: 'Telnyx portal → Keys & Credentials → Public Key (base64).',
    },
    exampleName: 'Telnyx +1 415 555 0101',
    steps: [
      'In the Telnyx portal open Messaging → Messaging Profiles → your profile → Inbound and set “Send a webhook to this URL” to the URL below (API v2).',
      'Make sure the number is assigned to that messaging profile.',
      TEST_STEP,
    ],
  },
  {
    id: 'email',
    label: 'Email forwarder',
    hint: 'A mail rule or script that posts messages to the capture API with the token.',
    kind: 'email',
    exampleName: 'Work mailbox forwarder',
    steps: ['Give the token to your forwarder; it posts each message to POST /api/v1/capture/messages.'],
  },
];

/** What the relay calls a source's provider, in words, for the list. */
export function providerLabel(provider: CaptureSourceProvider | null, kind: string): string {
  switch (provider) {
    case 'sms-gateway':
      return 'SMS Gateway for Android';
    case 'twilio':
      return 'Twilio';
    case 'telnyx':
      return 'Telnyx';
    case 'generic':
      return 'Forwarder (capture API)';
    case null:
      return kind === 'email' ? 'Email' : 'SMS';
  }
}

/** The channel that set up a source, for a rotation's recipe (generic sources share one). */
export function channelOf(source: { provider: CaptureSourceProvider | null; kind: string }): Channel {
  const { provider } = source;
  const id: ChannelId =
    source.kind === 'email'
      ? 'email'
      : provider === null || provider === 'generic'
        ? 'android-forwarder'
        : provider;
  return CHANNELS.find((channel) => channel.id === id) ?? (CHANNELS[0] as Channel);
}

/**
 * The command that registers a webhook with SMS Gateway for Android's cloud API (the app's
 * own docs: one registration per event).
 */
export function registerWebhookCommand(webhookUrl: string, event: 'sms:received' | 'system:ping'): string {
  const body = JSON.stringify({ url: webhookUrl, event });
  return `curl -X POST -u <username>:<password> \\
  -H "Content-Type: application/json" \\
  -d '${body}' \\
  https://api.sms-gate.app/3rdparty/v1/webhooks`;
}
