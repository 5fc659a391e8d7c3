import { CaptureSourceKindSchema, Timestamp } from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import {
  CAPTURE_MESSAGE_EXAMPLE,
  CAPTURE_MESSAGE_RESULT_EXAMPLE,
  CAPTURE_REQUEST_LIST_EXAMPLE,
  DELIVER_BODY_EXAMPLE,
  DELIVER_RESPONSE_EXAMPLE,
} from './examples.js';

/** An open request as a capture source sees it: enough to match and encrypt, nothing more. */
export const CaptureRequest = z
  .object({
    id: z.string(),
    agentId: z.string().meta({
      description: 'Requests of different agents that match a message equally well are held for the owner.',
    }),
    status: z.enum(['pending_approval', 'approved']),
    sources: z.array(CaptureSourceKindSchema),
    senderPattern: z.string().nullable(),
    contentPattern: z.string().nullable(),
    expectedSender: z.string().nullable(),
    publicKey: z.string().meta({ description: 'SPKI, base64 DER.' }),
    keyFingerprint: z.string(),
    createdAt: Timestamp,
    notBefore: Timestamp.meta({
      description: 'Messages received before this instant cannot serve the request.',
    }),
    expiresAt: Timestamp,
  })
  .meta({ id: 'CaptureRequest' });
export type CaptureRequest = z.infer<typeof CaptureRequest>;

export const CaptureRequestList = z
  .object({ requests: z.array(CaptureRequest), serverTime: Timestamp })
  .meta({ id: 'CaptureRequestList', example: CAPTURE_REQUEST_LIST_EXAMPLE });
export type CaptureRequestList = z.infer<typeof CaptureRequestList>;

/** Body of `POST /api/v1/capture/requests/:id/deliver`: ciphertext only. */
export const DeliverBody = z
  .strictObject({
    encryptedPayload: z
      .string()
      .min(1)
      .max(16_384, 'encryptedPayload is too long')
      .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}$/, 'encryptedPayload must be a compact JWE'),
  })
  .meta({ id: 'DeliverBody', example: DELIVER_BODY_EXAMPLE });
export type DeliverBody = z.infer<typeof DeliverBody>;

export const DeliverResponse = z
  .object({ id: z.string(), status: z.enum(['pending_approval', 'otp_received']) })
  .meta({ id: 'DeliverResponse', example: DELIVER_RESPONSE_EXAMPLE });

/**
 * Body of `POST /api/v1/capture/messages`: one plaintext message from a simple forwarder.
 * The server matches, extracts and encrypts it in memory and keeps nothing readable.
 */
export const CaptureMessageBody = z
  .strictObject({
    from: z.string().trim().min(1, 'from is required').max(512),
    subject: z.string().max(2_000).optional(),
    text: z.string().max(262_144, 'text is longer than 256 KiB').optional(),
    html: z.string().max(1_048_576, 'html is longer than 1 MiB').optional(),
    receivedAt: Timestamp.optional(),
  })
  .refine((m) => m.text !== undefined || m.html !== undefined || m.subject !== undefined, {
    message: 'a message needs text, html or subject',
  })
  .meta({ id: 'CaptureMessage', example: CAPTURE_MESSAGE_EXAMPLE });
export type CaptureMessageBody = z.infer<typeof CaptureMessageBody>;

export const CaptureMessageResponse = z
  .object({
    matched: z.boolean(),
    requestId: z.string().nullable(),
    status: z.enum(['pending_approval', 'otp_received']).nullable(),
    reason: z
      .enum(['delivered', 'held_for_owner', 'no_matching_request', 'no_code_found'])
      .meta({ description: 'Why the message did or did not serve a request.' }),
    heldMessageId: z.string().optional().meta({
      description:
        'With `held_for_owner`: requests of different agents matched equally well; the owner assigns it.',
    }),
  })
  .meta({ id: 'CaptureMessageResult', example: CAPTURE_MESSAGE_RESULT_EXAMPLE });
export type CaptureMessageResponse = z.infer<typeof CaptureMessageResponse>;
