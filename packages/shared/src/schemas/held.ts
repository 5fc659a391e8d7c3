import {
  CaptureSourceKindSchema,
  OtpRequestId,
  OtpStatusSchema,
  prefixedId,
  Timestamp,
} from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import {
  ASSIGN_HELD_MESSAGE_EXAMPLE,
  ASSIGN_HELD_MESSAGE_RESULT_EXAMPLE,
  DISCARD_HELD_MESSAGE_RESULT_EXAMPLE,
  HELD_MESSAGE_LIST_EXAMPLE,
  HOLD_MESSAGE_EXAMPLE,
  HOLD_MESSAGE_RESULT_EXAMPLE,
} from './examples.js';

export const HeldMessageId = prefixedId('hld');

/** The most candidates one held message may name: the owner picks among them by hand. */
export const MAX_HELD_CANDIDATES = 20;

const CompactJwe = z
  .string()
  .min(1)
  .max(16_384, 'encryptedPayload is too long')
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}$/, 'encryptedPayload must be a compact JWE');

/** One request a held message could serve, as the owner sees it. */
export const HeldCandidate = z
  .object({
    requestId: z.string(),
    agent: z.object({ id: z.string(), name: z.string() }),
    reason: z.string(),
    status: OtpStatusSchema,
    senderPattern: z.string().nullable(),
    senderLabel: z.string().meta({ description: 'The sender pattern, or "any sender" when there is none.' }),
    expiresAt: Timestamp,
  })
  .meta({ id: 'HeldCandidate' });
export type HeldCandidate = z.infer<typeof HeldCandidate>;

/**
 * A message that requests of two or more agents matched equally well: the relay does not
 * guess, the owner assigns it. Only metadata is shown; the code exists only as ciphertext.
 */
export const HeldMessage = z
  .object({
    id: z.string(),
    source: CaptureSourceKindSchema,
    sender: z.string().meta({ description: 'The parsed sender address or SMS sender id.' }),
    receivedAt: Timestamp,
    createdAt: Timestamp,
    expiresAt: Timestamp,
    candidates: z.array(HeldCandidate),
  })
  .meta({ id: 'HeldMessage' });
export type HeldMessage = z.infer<typeof HeldMessage>;

export const HeldMessageList = z
  .object({ heldMessages: z.array(HeldMessage) })
  .meta({ id: 'HeldMessageList', example: HELD_MESSAGE_LIST_EXAMPLE });
export type HeldMessageList = z.infer<typeof HeldMessageList>;

/** Body of `POST /api/v1/held-messages/:id/assign`. */
export const AssignHeldMessageBody = z
  .strictObject({ requestId: OtpRequestId })
  .meta({ id: 'AssignHeldMessage', example: ASSIGN_HELD_MESSAGE_EXAMPLE });
export type AssignHeldMessageBody = z.infer<typeof AssignHeldMessageBody>;

export const AssignHeldMessageResponse = z
  .object({
    id: z.string(),
    requestId: z.string(),
    status: z.enum(['pending_approval', 'otp_received']),
  })
  .meta({ id: 'AssignHeldMessageResult', example: ASSIGN_HELD_MESSAGE_RESULT_EXAMPLE });
export type AssignHeldMessageResponse = z.infer<typeof AssignHeldMessageResponse>;

export const DiscardHeldMessageResponse = z
  .object({ id: z.string(), status: z.literal('discarded') })
  .meta({ id: 'DiscardHeldMessageResult', example: DISCARD_HELD_MESSAGE_RESULT_EXAMPLE });

/**
 * Body of `POST /api/v1/capture/held`: a capture source that encrypts on its own side found
 * requests of several agents tied for one message, and hands the relay one ciphertext per
 * candidate for the owner to assign.
 */
export const HoldMessageBody = z
  .strictObject({
    from: z.string().trim().min(1, 'from is required').max(512),
    receivedAt: Timestamp,
    payloads: z
      .array(z.strictObject({ requestId: OtpRequestId, encryptedPayload: CompactJwe }))
      .min(2, 'a held message needs at least two candidate requests')
      .max(MAX_HELD_CANDIDATES, `a held message may name at most ${MAX_HELD_CANDIDATES} requests`)
      .refine((p) => new Set(p.map((x) => x.requestId)).size === p.length, 'each request may appear once'),
  })
  .meta({ id: 'HoldMessage', example: HOLD_MESSAGE_EXAMPLE });
export type HoldMessageBody = z.infer<typeof HoldMessageBody>;

export const HoldMessageResponse = z
  .object({ id: z.string(), expiresAt: Timestamp, candidates: z.array(z.string()) })
  .meta({ id: 'HoldMessageResult', example: HOLD_MESSAGE_RESULT_EXAMPLE });
export type HoldMessageResponse = z.infer<typeof HoldMessageResponse>;
