import { CaptureSourceKindSchema, Timestamp } from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import {
  CAPTURE_SOURCE_EXAMPLE,
  CAPTURE_SOURCE_LIST_EXAMPLE,
  CAPTURE_SOURCE_WITH_TOKEN_EXAMPLE,
  CREATE_CAPTURE_SOURCE_EXAMPLE,
} from './examples.js';

/**
 * How an SMS source reaches the relay: a provider's own webhook, verified by the signature
 * scheme that provider really uses, or `generic` (the JSON capture API and its form and
 * query-string variants for forwarder apps). Email sources have no provider.
 */
export const CAPTURE_SOURCE_PROVIDERS = ['sms-gateway', 'twilio', 'telnyx', 'generic'] as const;
export const CaptureSourceProviderSchema = z
  .enum(CAPTURE_SOURCE_PROVIDERS)
  .meta({ id: 'CaptureSourceProvider' });
export type CaptureSourceProvider = z.infer<typeof CaptureSourceProviderSchema>;

export const CaptureSource = z
  .object({
    id: z.string(),
    kind: CaptureSourceKindSchema,
    name: z.string(),
    prefix: z.string(),
    provider: CaptureSourceProviderSchema.nullable(),
    webhookUrl: z
      .string()
      .nullable()
      .meta({ description: 'Where the provider or app posts messages (from PUBLIC_URL); null for email.' }),
    signed: z
      .boolean()
      .meta({ description: 'Messages must carry an HMAC signature (sms-gateway, generic signed).' }),
    messagesReceived: z.number().int().nonnegative(),
    lastMessageAt: Timestamp.nullable(),
    lastError: z.string().nullable().meta({
      description: 'The last refusal or miss, e.g. "bad signature (X-Signature)"; never message content.',
    }),
    lastErrorAt: Timestamp.nullable(),
    createdAt: Timestamp,
    lastSeenAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'CaptureSource', example: CAPTURE_SOURCE_EXAMPLE });
export type CaptureSource = z.infer<typeof CaptureSource>;

const TWILIO_AUTH_TOKEN = /^[A-Za-z0-9]{16,128}$/;

/** A raw Ed25519 public key is 32 bytes; Telnyx shows it base64-encoded. */
function isEd25519PublicKey(value: string): boolean {
  if (!/^[A-Za-z0-9+/]{43}=?$/.test(value)) return false;
  // atob, not Buffer: the dashboard validates with this schema in the browser.
  return atob(value.endsWith('=') ? value : `${value}=`).length === 32;
}

export const CreateSourceBody = z
  .strictObject({
    kind: CaptureSourceKindSchema,
    name: z.string().trim().min(1, 'name is required').max(100),
    provider: CaptureSourceProviderSchema.optional().meta({
      description: 'SMS sources only; default `generic`.',
    }),
    twilioAuthToken: z
      .string()
      .trim()
      .regex(TWILIO_AUTH_TOKEN, 'twilioAuthToken must be the account Auth Token (letters and digits)')
      .optional()
      .meta({ description: 'provider `twilio`: the Auth Token that signs its webhooks; stored encrypted.' }),
    telnyxPublicKey: z
      .string()
      .trim()
      .refine(
        isEd25519PublicKey,
        'telnyxPublicKey must be the base64 Ed25519 public key from the Telnyx portal',
      )
      .optional()
      .meta({ description: 'provider `telnyx`: the account public key that verifies its webhooks.' }),
    signed: z.boolean().optional().meta({
      description: 'provider `generic`: require an X-Signature HMAC-SHA256 on every message.',
    }),
  })
  .superRefine((body, ctx) => {
    const provider = body.kind === 'sms' ? (body.provider ?? 'generic') : null;
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (body.kind !== 'sms' && body.provider !== undefined)
      issue('provider', 'provider applies to sms sources only');
    if (provider === 'twilio' && body.twilioAuthToken === undefined)
      issue('twilioAuthToken', 'twilioAuthToken is required for provider twilio');
    if (provider !== 'twilio' && body.twilioAuthToken !== undefined)
      issue('twilioAuthToken', 'twilioAuthToken applies to provider twilio only');
    if (provider === 'telnyx' && body.telnyxPublicKey === undefined)
      issue('telnyxPublicKey', 'telnyxPublicKey is required for provider telnyx');
    if (provider !== 'telnyx' && body.telnyxPublicKey !== undefined)
      issue('telnyxPublicKey', 'telnyxPublicKey applies to provider telnyx only');
    if (provider !== 'generic' && body.signed !== undefined)
      issue('signed', 'signed applies to provider generic only');
  })
  .meta({ id: 'CreateCaptureSource', example: CREATE_CAPTURE_SOURCE_EXAMPLE });
export type CreateSourceBody = z.infer<typeof CreateSourceBody>;

/** One value to type into the app or provider console, in the order the screens ask for them. */
export const SourceSetupField = z
  .object({ label: z.string(), value: z.string(), secret: z.boolean().optional() })
  .meta({ id: 'CaptureSourceSetupField' });
export type SourceSetupField = z.infer<typeof SourceSetupField>;

export const SourceSetup = z
  .object({
    qrPayload: z
      .string()
      .optional()
      .meta({ description: 'Text to show as a QR code where the app can scan its configuration.' }),
    fields: z.array(SourceSetupField),
  })
  .meta({ id: 'CaptureSourceSetup' });
export type SourceSetup = z.infer<typeof SourceSetup>;

export const SourceWithToken = z
  .object({
    source: CaptureSource,
    token: z.string().meta({ description: 'Shown once; store it now.' }),
    signingSecret: z
      .string()
      .optional()
      .meta({ description: 'Shown once: the HMAC key to paste in the app (sms-gateway, generic signed).' }),
    webhookUrl: z
      .string()
      .optional()
      .meta({ description: 'The URL to paste in the app or provider console.' }),
    setup: SourceSetup.optional(),
  })
  .meta({ id: 'CaptureSourceWithToken', example: CAPTURE_SOURCE_WITH_TOKEN_EXAMPLE });
export type SourceWithToken = z.infer<typeof SourceWithToken>;

/** `GET /api/v1/sources`. */
export const OwnerCaptureSourceList = z
  .object({ sources: z.array(CaptureSource) })
  .meta({ id: 'CaptureSourceList', example: CAPTURE_SOURCE_LIST_EXAMPLE });
export type OwnerCaptureSourceList = z.infer<typeof OwnerCaptureSourceList>;
