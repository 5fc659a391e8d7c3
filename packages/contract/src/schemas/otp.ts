import { z } from 'zod';
import { SENDER_GLOB_LIMITS, senderGlobProblem } from '../sender-glob.js';
import { DECISION_CHANNELS, OTP_STATUSES, OTP_TTL } from '../status.js';
import { CaptureSourceList } from './capture-sources.js';
import { Timestamp } from './common.js';
import { CONSUME_OTP_RESPONSE_EXAMPLE, CREATE_OTP_REQUEST_EXAMPLE, OTP_REQUEST_EXAMPLE } from './examples.js';
import { WebhookUrl } from './webhook-url.js';

export { CaptureSourceKindSchema, CaptureSourceList } from './capture-sources.js';
export const OtpStatusSchema = z.enum(OTP_STATUSES).meta({ id: 'OtpStatus', example: 'pending_approval' });

/** Which messages may serve a request. */
export const OtpFilter = z
  .strictObject({
    sources: CaptureSourceList.min(1, 'sources must name at least one of sms, email')
      .max(2)
      .optional()
      .meta({ description: 'Where the code may come from. Default: both.' }),
    senderPattern: z
      .string()
      .trim()
      .min(1)
      .max(SENDER_GLOB_LIMITS.maxLength)
      .superRefine((pattern, ctx) => {
        const problem = senderGlobProblem(pattern);
        if (problem) ctx.addIssue({ code: 'custom', message: `senderPattern: ${problem}` });
      })
      .optional()
      .meta({
        description: `Case-insensitive glob matched against the whole parsed sender address (email) or sender id (SMS), e.g. \`*@acme.com\` or \`Acme\`: \`*\` matches any run of characters, \`?\` one character, everything else itself. At most ${SENDER_GLOB_LIMITS.maxStars} \`*\`.`,
        example: '*@acme.com',
      }),
    contentPattern: z.string().min(1).max(200).optional().meta({
      description:
        'Case-insensitive text that must appear in the subject or body; `*` matches any run of characters. Not a regular expression.',
      example: 'verification code',
    }),
  })
  .meta({ id: 'OtpFilter' });
export type OtpFilter = z.infer<typeof OtpFilter>;

/** A JSON Web Key as sent by an agent (validated further when parsed). */
export const PublicJwk = z.looseObject({ kty: z.string() });

export const AgentPublicKeyInput = z
  .union([z.string().min(1, 'publicKey is empty').max(16_384, 'publicKey is too long'), PublicJwk])
  .meta({
    description:
      'The agent’s RSA public key (at least 2048 bits): SPKI as base64 DER (what the SDK exports), PEM, or a JWK.',
  });

/** Body of `POST /api/v1/otp`. */
export const CreateOtpRequestBody = z
  .strictObject({
    reason: z
      .string()
      .trim()
      .min(1, 'reason is required')
      .max(500)
      .meta({ example: 'Sign up for Acme website' }),
    expectedSender: z.string().trim().min(1).max(200).optional().meta({ example: 'Acme' }),
    filter: OtpFilter.optional(),
    publicKey: AgentPublicKeyInput,
    ttl: z
      .number()
      .int('ttl must be a whole number of seconds')
      .min(OTP_TTL.min, `ttl must be at least ${OTP_TTL.min} seconds`)
      .max(OTP_TTL.max, `ttl must be at most ${OTP_TTL.max} seconds`)
      .optional()
      .meta({ description: 'Seconds until the request expires. Default 300.' }),
    webhookUrl: WebhookUrl.optional(),
  })
  .meta({ id: 'CreateOtpRequest', example: CREATE_OTP_REQUEST_EXAMPLE });
export type CreateOtpRequestBody = z.infer<typeof CreateOtpRequestBody>;

/** Who made a decision on a request, and how. */
export const Decision = z
  .object({
    outcome: z.enum(['approved', 'denied']),
    by: z.string().meta({ description: 'Who decided: an owner’s email, `policy:<name>` or `test-key`.' }),
    channel: z.enum(DECISION_CHANNELS),
    at: Timestamp,
  })
  .meta({ id: 'Decision' });

/**
 * The owner's words when they denied a request (issue 15): present only on a `denied`
 * request whose owner gave a reason, so an agent can tell "no" from "not like this".
 */
export const DenialReasonField = z.string().optional().meta({
  description:
    'Why the owner denied the request, in their words. Only when `status` is `denied` and they gave a reason.',
  example: 'Use the staging account, not production',
});

/** An OTP request as its agent sees it. Never carries a payload. */
export const OtpRequest = z
  .object({
    id: z.string().meta({ example: 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N' }),
    status: OtpStatusSchema,
    reason: z.string(),
    expectedSender: z.string().nullable(),
    filter: z.object({
      sources: CaptureSourceList,
      senderPattern: z.string().nullable(),
      contentPattern: z.string().nullable(),
    }),
    keyFingerprint: z.string().meta({ description: 'SHA-256 of the public key (SPKI DER), hex.' }),
    approvalUrl: z.string(),
    isTest: z.boolean(),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    decision: Decision.nullable(),
    denialReason: DenialReasonField,
    otpReceivedAt: Timestamp.nullable(),
    consumedAt: Timestamp.nullable(),
  })
  .meta({ id: 'OtpRequest', example: OTP_REQUEST_EXAMPLE });
export type OtpRequest = z.infer<typeof OtpRequest>;

/** Response of `POST /api/v1/otp/:id/consume`: the ciphertext, handed out once. */
export const ConsumeOtpResponse = z
  .object({
    id: z.string(),
    status: z.literal('consumed'),
    encryptedPayload: z
      .string()
      .meta({ description: 'Compact JWE (RSA-OAEP-256 + A256GCM) to the agent key.' }),
    consumedAt: Timestamp,
  })
  .meta({ id: 'ConsumeOtpResponse', example: CONSUME_OTP_RESPONSE_EXAMPLE });
export type ConsumeOtpResponse = z.infer<typeof ConsumeOtpResponse>;
